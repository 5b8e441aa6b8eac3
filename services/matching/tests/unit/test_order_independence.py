"""Property: whom matching puts first, and what it proposes for the whole list, does not depend on the
order the read model happens to hand over the candidates or the cases, for any candidates and cases
hypothesis can make (ties in score included, which is where an order would leak through)."""

from datetime import date
from uuid import UUID

from hypothesis import given, settings
from hypothesis import strategies as st

from brobygger_matching.domain import Candidate, CandidatePool, WaitingCase, Weights, assign, rank

TODAY = date(2026, 11, 23)
SCHEMES = ["støttekontakt", "støttekontakt_barnevern", "privat_avlastning", "besøkshjem"]
ROLES = ["støttekontakt", "avlaster", "besøkshjem"]
# Few values, so that candidates often tie and the order among equals is what is tested.
AREAS = st.sampled_from(["Nord", "Sør", "Sentrum"])
WORDS = st.frozensets(st.sampled_from(["fotball", "sjakk", "musikk", "tur"]), max_size=3)
LANGUAGES = st.frozensets(st.sampled_from(["norsk", "arabisk", "polsk"]), max_size=2)


@st.composite
def candidates(draw) -> list[Candidate]:
    ids = draw(st.lists(st.integers(1, 10_000), min_size=0, max_size=12, unique=True))
    return [Candidate(
        volunteer_id=UUID(int=n), full_name=f"Kandidat {n}",
        roles=draw(st.frozensets(st.sampled_from(ROLES), min_size=1)), interests=draw(WORDS),
        languages=draw(LANGUAGES), gender=draw(st.sampled_from([None, "kvinne", "mann"])),
        birth_date=draw(st.dates(date(1950, 1, 1), date(2006, 1, 1))), area=draw(AREAS),
        has_car=draw(st.booleans()), has_spare_bedroom=draw(st.booleans()),
        certificate_kind=draw(st.sampled_from([None, "ordinær", "barneomsorgsattest"])),
        certificate_valid=draw(st.booleans()), assignments=draw(st.integers(0, 3)),
        spare_beds=draw(st.integers(0, 3)), has_driving_licence=draw(st.booleans()),
    ) for n in ids]


@st.composite
def waiting_cases(draw, n: int) -> WaitingCase:
    wishes = draw(st.fixed_dictionaries({}, optional={
        "gender": st.sampled_from(["kvinne", "mann"]), "language": st.sampled_from(["norsk", "arabisk"]),
        "age_from": st.integers(18, 40), "siblings": st.integers(1, 3)}))
    if "gender" in wishes:  # a required gender needs a wished one
        wishes["gender_required"] = draw(st.booleans())
    return WaitingCase(
        application_id=UUID(int=100_000 + n), scheme=draw(st.sampled_from(SCHEMES)), area=draw(AREAS),
        interests=draw(WORDS), birth_date=date(2012, 3, 4),
        waiting_since=draw(st.dates(date(2026, 1, 1), TODAY)), helper_wishes=wishes)


def outcome(case: WaitingCase, pool: list[Candidate]) -> list[tuple]:
    return [(r.candidate.volunteer_id, r.score, r.excluded_because, r.contributions, r.explanation())
            for r in rank(case, CandidatePool(pool, TODAY, capacity=2), Weights())]


@settings(max_examples=150, deadline=None)
@given(data=st.data(), pool=candidates())
def test_the_ranking_of_one_case_is_the_same_whatever_order_the_candidates_come_in(data, pool):
    case = data.draw(waiting_cases(1))
    shuffled = data.draw(st.permutations(pool))

    assert outcome(case, shuffled) == outcome(case, pool)


@settings(max_examples=75, deadline=None)
@given(data=st.data(), pool=candidates(), how_many=st.integers(0, 6))
def test_the_proposals_for_the_whole_list_are_the_same_whatever_order_cases_and_candidates_come_in(
        data, pool, how_many):
    cases = [data.draw(waiting_cases(n)) for n in range(how_many)]
    shuffled_pool = data.draw(st.permutations(pool))
    shuffled_cases = data.draw(st.permutations(cases))

    def proposals(cases, pool):
        return assign(cases, CandidatePool(pool, TODAY, capacity=2), Weights(), TODAY)

    assert proposals(shuffled_cases, shuffled_pool) == proposals(cases, pool)
