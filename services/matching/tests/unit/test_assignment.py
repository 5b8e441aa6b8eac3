"""Assigning the whole waiting list at once: better than taking the cases one by one, never an excluded
person, never more than a person's capacity, the longest waits first, and the same answer every time."""

import random
from dataclasses import replace
from datetime import date, timedelta
from uuid import UUID

from brobygger_matching.domain import (
    Candidate,
    CandidatePool,
    Suggestion,
    WaitingCase,
    Weights,
    assign,
    rank,
    readable,
)

TODAY = date(2026, 11, 23)
CAPACITY = 2

A_CANDIDATE = Candidate(
    volunteer_id=UUID(int=1),
    full_name="Kari Nordmann",
    roles=frozenset({"støttekontakt"}),
    interests=frozenset(),
    languages=frozenset({"norsk"}),
    gender="kvinne",
    birth_date=date(1990, 5, 1),
    area="Nord",
    has_car=True,
    has_spare_bedroom=True,
    certificate_kind="ordinær",
    certificate_valid=True,
    assignments=0,
)

A_CASE = WaitingCase(
    application_id=UUID(int=1001),
    scheme="støttekontakt",
    area="Sentrum",
    interests=frozenset(),
    birth_date=date(2012, 3, 4),
    waiting_since=date(2026, 9, 1),
    helper_wishes={},
)


def candidate(n: int, **changes) -> Candidate:
    return replace(A_CANDIDATE, volunteer_id=UUID(int=n), full_name=changes.pop("full_name", f"Kandidat {n}"),
                   **changes)


def case(n: int, **changes) -> WaitingCase:
    return replace(A_CASE, application_id=UUID(int=n), **changes)


def pool_of(*candidates: Candidate, capacity: int = CAPACITY) -> CandidatePool:
    return CandidatePool(candidates, TODAY, capacity)


def pairs(suggestions: list[Suggestion]) -> set[tuple[int, int]]:
    return {(s.application_id.int, s.volunteer_id.int) for s in suggestions}


def greedy(cases: list[WaitingCase], pool: CandidatePool, weights: Weights) -> list[Suggestion]:
    """The baseline a caseworker would do by hand: each case in turn takes its best remaining candidate."""
    places = {c.volunteer_id: int(left) for c, left in zip(pool.candidates, pool.capacity_left)}
    suggestions = []
    for a_case in cases:
        for r in rank(a_case, pool, weights):
            if r.eligible and places[r.candidate.volunteer_id] > 0:
                places[r.candidate.volunteer_id] -= 1
                suggestions.append(Suggestion(a_case.application_id, r.candidate.volunteer_id, r.score))
                break
    return suggestions


def total(suggestions: list[Suggestion]) -> float:
    return sum(s.score for s in suggestions)


# -- better than one by one -------------------------------------------------------------------------

INTERESTS = frozenset({"fotball", "sjakk", "musikk"})
X = 1  # shares three interests with both cases
Y = 2  # shares one interest with case A and lives in its area; a man, so case B (wants a woman) excludes him
CASE_A, CASE_B = 101, 102


def greedy_trap() -> tuple[list[WaitingCase], CandidatePool]:
    case_a = case(CASE_A, area="Sentrum", interests=INTERESTS)
    case_b = case(CASE_B, area="Vest", interests=INTERESTS,
                  helper_wishes={"gender": "kvinne", "gender_required": "ja"})
    x = candidate(X, full_name="Xenia", interests=INTERESTS, area="Nord", gender="kvinne")  # A: 30, B: 30
    y = candidate(Y, full_name="Yngve", interests=frozenset({"fotball"}), area="Sentrum", gender="mann")  # A: 25
    return [case_a, case_b], pool_of(x, y, capacity=1)


def test_the_trap_is_as_described_case_a_prefers_x_and_case_b_can_only_have_x():
    (case_a, case_b), pool = greedy_trap()

    for_a = {r.candidate.volunteer_id.int: (r.score, r.eligible) for r in rank(case_a, pool, Weights())}
    for_b = {r.candidate.volunteer_id.int: (r.score, r.eligible) for r in rank(case_b, pool, Weights())}

    assert for_a == {X: (30, True), Y: (25, True)}  # X: 3 × 10; Y: 1 × 10 + 15 same area
    assert for_b[X] == (30, True) and for_b[Y][1] is False  # X: 3 × 10; Y is not a woman


def test_the_whole_list_beats_taking_the_cases_one_by_one():
    cases, pool = greedy_trap()

    one_by_one = greedy(cases, pool, Weights())
    all_at_once = assign(cases, pool, Weights(), TODAY)

    assert pairs(one_by_one) == {(CASE_A, X)}  # B is left with nobody
    assert total(one_by_one) == 30  # A→X 30
    assert pairs(all_at_once) == {(CASE_A, Y), (CASE_B, X)}
    assert total(all_at_once) == 55  # A→Y 25 + B→X 30
    assert total(all_at_once) > total(one_by_one)
    assert {s.application_id.int for s in all_at_once} == {CASE_A, CASE_B}  # every case served


def test_a_suggestion_carries_the_candidates_score_without_the_waiting_bonus():
    cases, pool = greedy_trap()

    scores = {(s.application_id.int, s.volunteer_id.int): s.score for s in assign(cases, pool, Weights(), TODAY)}

    assert scores == {(CASE_A, Y): 25, (CASE_B, X): 30}  # as rank scores them; 83 days waited add nothing here


# -- hard constraints -------------------------------------------------------------------------------


def test_an_excluded_candidate_is_never_suggested_even_with_the_highest_score():
    a_case = case(101, area="Sentrum", interests=INTERESTS)
    excluded_star = candidate(1, interests=INTERESTS, area="Sentrum", certificate_valid=False)  # 45, excluded
    plain = candidate(2)  # 0, eligible

    suggestions = assign([a_case], pool_of(excluded_star, plain), Weights(), TODAY)

    assert pairs(suggestions) == {(101, 2)}


def test_a_case_with_no_eligible_candidate_gets_no_suggestion():
    barnevern = case(101, scheme="støttekontakt_barnevern", interests=INTERESTS)
    ordinary_only = [candidate(n, interests=INTERESTS, certificate_kind="ordinær") for n in (1, 2, 3)]

    assert assign([barnevern], pool_of(*ordinary_only), Weights(), TODAY) == []


def test_a_case_with_no_eligible_candidate_does_not_keep_others_from_theirs():
    barnevern = case(101, scheme="besøkshjem")
    plain = case(102)

    suggestions = assign([barnevern, plain], pool_of(candidate(1)), Weights(), TODAY)

    assert pairs(suggestions) == {(102, 1)}


def test_an_eligible_candidate_with_no_points_is_still_suggested_rather_than_nobody():
    # Put on the list today, so no waiting bonus helps: 0 points and 0 days must still beat "nobody".
    a_case = case(101, area="Sentrum", interests=INTERESTS, waiting_since=TODAY)
    nothing_in_common = candidate(1, area="Vest", interests=frozenset({"ski"}))

    (suggestion,) = assign([a_case], pool_of(nothing_in_common), Weights(), TODAY)

    assert (suggestion.volunteer_id.int, suggestion.score) == (1, 0)


def test_every_suggestion_is_a_pair_rank_calls_eligible():
    rng = random.Random(5)
    schemes = ["støttekontakt", "støttekontakt_barnevern", "privat_avlastning", "besøkshjem"]
    roles = ["støttekontakt", "avlaster", "besøkshjem"]
    candidates = [candidate(n, roles=frozenset(rng.sample(roles, k=rng.randint(1, 2))),
                            certificate_kind=rng.choice(["ordinær", "barneomsorgsattest", None]),
                            certificate_valid=rng.random() < 0.8, has_car=rng.random() < 0.6,
                            has_spare_bedroom=rng.random() < 0.5, gender=rng.choice(["kvinne", "mann"]),
                            assignments=rng.choice([0, 1, 2])) for n in range(1, 16)]
    cases = [case(100 + n, scheme=rng.choice(schemes),
                  helper_wishes={"gender": "mann", "gender_required": "ja"} if rng.random() < 0.3 else {})
             for n in range(1, 21)]
    pool = pool_of(*candidates)

    suggestions = assign(cases, pool, Weights(), TODAY)

    eligible = {(c.application_id.int, r.candidate.volunteer_id.int)
                for c in cases for r in rank(c, pool, Weights()) if r.eligible}
    assert suggestions  # the mix has some eligible pairs
    assert pairs(suggestions) <= eligible


# -- capacity ---------------------------------------------------------------------------------------


def test_a_person_with_one_place_left_gets_at_most_one_more_suggestion():
    three_cases = [case(n) for n in (101, 102, 103)]
    one_place_left = candidate(1, assignments=1)  # capacity 2

    suggestions = assign(three_cases, pool_of(one_place_left, capacity=2), Weights(), TODAY)

    assert [s.volunteer_id.int for s in suggestions] == [1]


def test_a_person_with_two_places_left_can_be_suggested_for_two_cases():
    three_cases = [case(n) for n in (101, 102, 103)]
    two_places_left = candidate(1, assignments=0)  # capacity 2

    suggestions = assign(three_cases, pool_of(two_places_left, capacity=2), Weights(), TODAY)

    assert [s.volunteer_id.int for s in suggestions] == [1, 1]
    assert len({s.application_id for s in suggestions}) == 2  # two different cases


def test_when_everyone_is_full_no_case_gets_a_suggestion():
    cases = [case(n) for n in (101, 102)]
    full = [candidate(n, assignments=CAPACITY) for n in (1, 2)]

    assert assign(cases, pool_of(*full), Weights(), TODAY) == []


def test_a_case_gets_at_most_one_suggestion():
    a_case = case(101)
    many = [candidate(n) for n in range(1, 6)]

    suggestions = assign([a_case], pool_of(*many), Weights(), TODAY)

    assert len(suggestions) == 1


# -- waiting time -----------------------------------------------------------------------------------


def two_cases_wanting_the_only_candidate(first_waiting_since: date, second_waiting_since: date):
    first = case(101, waiting_since=first_waiting_since)
    second = case(102, waiting_since=second_waiting_since)
    return [first, second], pool_of(candidate(1), capacity=1)


def test_of_two_equal_cases_the_one_waiting_longer_gets_the_only_candidate():
    cases, pool = two_cases_wanting_the_only_candidate(date(2026, 10, 1), date(2026, 6, 1))
    assert pairs(assign(cases, pool, Weights(), TODAY)) == {(102, 1)}  # 102 has waited 122 days longer

    cases, pool = two_cases_wanting_the_only_candidate(date(2026, 6, 1), date(2026, 10, 1))
    assert pairs(assign(cases, pool, Weights(), TODAY)) == {(101, 1)}  # now 101 has


def test_a_long_wait_outweighs_a_small_score_difference_by_the_per_day_weight():
    better_fit = case(101, interests=INTERESTS, waiting_since=TODAY - timedelta(days=10))  # 30 + 10 × 0.1 = 31
    waited_long = case(102, interests=frozenset({"fotball", "sjakk"}),
                       waiting_since=TODAY - timedelta(days=200))  # 20 + 200 × 0.1 = 40
    pool = pool_of(candidate(1, interests=INTERESTS), capacity=1)

    with_waiting = assign([better_fit, waited_long], pool, Weights(per_day_waited=0.1), TODAY)
    without_waiting = assign([better_fit, waited_long], pool, Weights(per_day_waited=0), TODAY)

    assert pairs(with_waiting) == {(102, 1)}
    assert pairs(without_waiting) == {(101, 1)}  # 30 > 20


# -- deterministic ----------------------------------------------------------------------------------


def test_the_same_list_in_another_order_gives_the_same_suggestions():
    # Identical cases and identical candidates: every assignment is a tie, so only a fixed order decides.
    cases = [case(100 + n, interests=frozenset({"fotball"}) if n % 2 else INTERESTS) for n in range(1, 9)]
    candidates = [candidate(n, interests=frozenset({"fotball"}) if n % 3 else INTERESTS, assignments=n % 2)
                  for n in range(1, 7)]
    expected = assign(cases, pool_of(*candidates), Weights(), TODAY)

    rng = random.Random(2026)
    for _ in range(10):
        rng.shuffle(cases)
        rng.shuffle(candidates)
        assert assign(cases, pool_of(*candidates), Weights(), TODAY) == expected


# -- nothing to do ----------------------------------------------------------------------------------


def test_no_waiting_cases_give_no_suggestions():
    assert assign([], pool_of(candidate(1)), Weights(), TODAY) == []


def test_no_candidates_give_no_suggestions():
    assert assign([case(101)], pool_of(), Weights(), TODAY) == []


def test_nothing_at_all_gives_no_suggestions():
    assert assign([], pool_of(), Weights(), TODAY) == []


# -- a case whose wishes cannot be read -------------------------------------------------------------


def test_a_case_with_a_wish_stored_as_free_text_is_left_out_and_named_while_the_others_are_assigned():
    old = case(201, helper_wishes={"age_from": "25 år"})  # stored before wishes were checked
    fine = case(202, helper_wishes={"age_from": "25", "gender": "Kvinne"})

    ok, left_out = readable([old, fine])
    suggestions = assign([old, fine], pool_of(candidate(1)), Weights(), TODAY)

    assert ok == [fine]
    assert [(c.application_id.int, c.field) for c in left_out] == [(201, "helper_wishes.age_from")]
    assert "helt tall" in left_out[0].reason
    assert pairs(suggestions) == {(202, 1)}
