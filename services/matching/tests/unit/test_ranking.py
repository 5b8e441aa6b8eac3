"""Ranking the candidates for one case: who is ruled out and why, who scores what, in which order, and
how the caseworker reads it."""

import random
from dataclasses import replace
from datetime import date
from uuid import UUID

import pytest

from brobygger_matching.domain import Candidate, CandidatePool, Ranked, WaitingCase, Weights, rank
from brobygger_shared.attests import AttestKind, AttestRules
from brobygger_shared.events.terms import Scheme

TODAY = date(2026, 11, 23)
CAPACITY = 2

# Someone who can do anything a case asks of them, so each test takes away exactly what it is about.
ALL_ROUNDER = Candidate(
    volunteer_id=UUID(int=1),
    full_name="Kari Nordmann",
    roles=frozenset({"støttekontakt", "avlaster", "besøkshjem"}),
    interests=frozenset(),
    languages=frozenset({"norsk"}),
    gender="kvinne",
    birth_date=date(1990, 5, 1),  # 36 on TODAY
    area="Nord",
    has_car=True,
    has_spare_bedroom=True,
    certificate_kind="ordinær",
    certificate_valid=True,
    assignments=0,
    spare_beds=1,
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

CERTIFICATE_FOR = {
    "støttekontakt": "ordinær",
    "privat_avlastning": "ordinær",
    "støttekontakt_barnevern": "barneomsorgsattest",
    "besøkshjem": "barneomsorgsattest",
}


def candidate(n: int = 1, **changes) -> Candidate:
    return replace(ALL_ROUNDER, volunteer_id=UUID(int=n), **changes)


def case(scheme: str = "støttekontakt", **changes) -> WaitingCase:
    return replace(A_CASE, scheme=scheme, **changes)


def fit_for(scheme: str, n: int = 1, **changes) -> Candidate:
    """A candidate who meets every hard constraint of a plain case of this scheme."""
    return candidate(n, certificate_kind=CERTIFICATE_FOR[scheme], **changes)


def ranked(a_case: WaitingCase, *candidates: Candidate, weights: Weights = Weights()) -> list[Ranked]:
    return rank(a_case, CandidatePool(candidates, TODAY, CAPACITY), weights)


def only(a_case: WaitingCase, a_candidate: Candidate, weights: Weights = Weights()) -> Ranked:
    (result,) = ranked(a_case, a_candidate, weights=weights)
    return result


# -- hard constraints ------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", list(CERTIFICATE_FOR))
def test_a_candidate_who_meets_every_hard_constraint_of_the_scheme_is_eligible(scheme):
    result = only(case(scheme), fit_for(scheme))

    assert result.eligible
    assert result.excluded_because == []


@pytest.mark.parametrize(
    ("scheme", "role"),
    [
        ("støttekontakt", "støttekontakt"),
        ("støttekontakt_barnevern", "støttekontakt"),
        ("privat_avlastning", "avlaster"),
        ("besøkshjem", "besøkshjem"),
    ],
)
def test_a_candidate_without_the_role_the_scheme_needs_is_excluded_and_told_which_role(scheme, role):
    others = frozenset({"støttekontakt", "avlaster", "besøkshjem"}) - {role}

    without_role = only(case(scheme), fit_for(scheme, roles=others))
    with_only_that_role = only(case(scheme), fit_for(scheme, roles=frozenset({role})))

    assert without_role.excluded_because == [f"kan ikke være {role}"]
    assert with_only_that_role.eligible


@pytest.mark.parametrize("scheme", ["støttekontakt_barnevern", "besøkshjem"])
def test_a_barnevern_case_excludes_a_candidate_with_only_an_ordinary_politiattest(scheme):
    result = only(case(scheme), candidate(certificate_kind="ordinær"))

    assert result.excluded_because == ["mangler gyldig barneomsorgsattest"]


@pytest.mark.parametrize("scheme", ["støttekontakt", "privat_avlastning"])
def test_a_barneomsorgsattest_does_not_exclude_anyone_from_an_ordinary_case(scheme):
    """Fault 5: a person holding a barneomsorgsattest was excluded ("mangler gyldig ordinær")."""
    result = only(case(scheme), candidate(certificate_kind="barneomsorgsattest"))

    assert result.eligible


def test_which_attest_satisfies_a_scheme_is_the_kommunes_setting():
    strict = AttestRules({Scheme.STOTTEKONTAKT: [AttestKind.ORDINARY], Scheme.PRIVAT_AVLASTNING: [AttestKind.ORDINARY],
                          Scheme.STOTTEKONTAKT_BARNEVERN: [AttestKind.CHILD_CARE, AttestKind.ORDINARY],
                          Scheme.BESOKSHJEM: [AttestKind.CHILD_CARE]})

    def under_strict(a_case, a_candidate):
        (result,) = rank(a_case, CandidatePool([a_candidate], TODAY, CAPACITY, strict), Weights())
        return result

    assert under_strict(case("støttekontakt"), candidate(certificate_kind="barneomsorgsattest")).excluded_because \
        == ["mangler gyldig ordinær politiattest"]
    assert under_strict(case("støttekontakt_barnevern"), candidate(certificate_kind="ordinær")).eligible


def test_a_politiattest_that_is_not_valid_excludes_the_candidate():
    result = only(case("støttekontakt"), candidate(certificate_kind="ordinær", certificate_valid=False))

    assert result.excluded_because == ["mangler gyldig ordinær politiattest eller barneomsorgsattest"]


def test_a_candidate_who_has_presented_no_politiattest_is_excluded():
    result = only(case("besøkshjem"), candidate(certificate_kind=None, certificate_valid=False))

    assert result.excluded_because == ["mangler gyldig barneomsorgsattest"]


def test_a_candidate_with_as_many_assignments_as_the_capacity_is_excluded_as_full():
    full = only(case(), candidate(assignments=CAPACITY))
    over_full = only(case(), candidate(assignments=CAPACITY + 1))
    one_place_left = only(case(), candidate(assignments=CAPACITY - 1))

    assert full.excluded_because == ["har ikke ledig kapasitet"]
    assert over_full.excluded_because == ["har ikke ledig kapasitet"]
    assert one_place_left.eligible


def test_privat_avlastning_excludes_an_avlaster_without_a_car():
    result = only(case("privat_avlastning"), candidate(has_car=False))

    assert result.excluded_because == ["har ikke bil til henting og levering"]


def test_privat_avlastning_excludes_an_avlaster_without_a_spare_bedroom():
    result = only(case("privat_avlastning"), candidate(has_spare_bedroom=False))

    assert result.excluded_because == ["har ikke eget soverom til overnatting"]


def test_privat_avlastning_names_car_and_bedroom_as_two_separate_reasons():
    result = only(case("privat_avlastning"), candidate(has_car=False, has_spare_bedroom=False))

    assert result.excluded_because == ["har ikke bil til henting og levering", "har ikke eget soverom til overnatting"]


def test_a_stottekontakt_case_needs_neither_car_nor_spare_bedroom():
    result = only(case("støttekontakt"), candidate(has_car=False, has_spare_bedroom=False))

    assert result.eligible


def test_a_besokshjem_for_two_siblings_excludes_a_home_with_one_spare_bed():
    siblings = case("besøkshjem", helper_wishes={"siblings": 2})

    one_bed = only(siblings, fit_for("besøkshjem", has_spare_bedroom=True, spare_beds=1))
    two_beds = only(siblings, fit_for("besøkshjem", has_spare_bedroom=True, spare_beds=2))

    assert one_bed.excluded_because == ["har ikke plass til 2 søsken sammen"]
    assert two_beds.eligible


def test_spare_beds_count_only_in_a_spare_bedroom_for_siblings():
    siblings = case("besøkshjem", helper_wishes={"siblings": 2})

    result = only(siblings, fit_for("besøkshjem", has_spare_bedroom=False, spare_beds=2))

    assert result.excluded_because == ["har ikke plass til 2 søsken sammen"]


def test_a_besokshjem_for_one_child_accepts_a_home_with_one_spare_bed():
    result = only(case("besøkshjem"), fit_for("besøkshjem", spare_beds=1))

    assert result.eligible


def test_a_required_gender_excludes_a_candidate_of_the_other_gender():
    wants_a_woman = case(helper_wishes={"gender": "kvinne", "gender_required": "ja"})

    man = only(wants_a_woman, candidate(gender="mann"))
    woman = only(wants_a_woman, candidate(gender="kvinne"))

    assert man.excluded_because == ["er ikke kvinne, som søkeren krever"]
    assert woman.eligible


@pytest.mark.parametrize("required", [None, "nei", ""])
def test_a_gender_wish_that_is_not_required_only_scores_and_never_excludes(required):
    wishes = {"gender": "kvinne"} if required is None else {"gender": "kvinne", "gender_required": required}
    wishes_a_woman = case(helper_wishes=wishes)

    man = only(wishes_a_woman, candidate(gender="mann"))
    woman = only(wishes_a_woman, candidate(gender="kvinne"))

    assert man.eligible
    assert man.contributions["kjønn som ønsket"] == 0  # 0 × 5
    assert woman.contributions["kjønn som ønsket"] == 5  # 1 × 5
    assert woman.score - man.score == 5


def test_gender_is_one_vocabulary_whatever_its_case_or_spacing():
    wants_a_woman = case(helper_wishes={"gender": "Kvinne", "gender_required": "ja"})

    assert only(wants_a_woman, candidate(gender="KVINNE ")).eligible
    assert only(case(helper_wishes={"gender": "kvinne"}), candidate(gender="Kvinne")).contributions[
        "kjønn som ønsket"] == 5


def test_a_person_without_a_stated_gender_is_told_so_where_a_gender_is_required():
    wants_a_woman = case(helper_wishes={"gender": "kvinne", "gender_required": True})

    unstated = only(wants_a_woman, candidate(gender=None))

    assert unstated.excluded_because == ["har ikke oppgitt kjønn, og søkeren krever kvinne"]


def test_a_car_without_a_driving_licence_cannot_fetch_and_bring_in_privat_avlastning():
    result = only(case("privat_avlastning"), fit_for("privat_avlastning", has_car=True, has_driving_licence=False))

    assert result.excluded_because == ["har ikke førerkort til henting og levering"]


def test_a_candidate_failing_two_constraints_is_told_both_reasons():
    result = only(case("støttekontakt_barnevern"),
                  candidate(roles=frozenset({"avlaster"}), certificate_kind="ordinær"))

    assert result.excluded_because == ["kan ikke være støttekontakt", "mangler gyldig barneomsorgsattest"]


def test_a_candidate_failing_every_constraint_of_a_privat_avlastning_case_is_told_every_reason():
    strict = case("privat_avlastning", helper_wishes={"gender": "mann", "gender_required": "ja"})
    result = only(strict, candidate(roles=frozenset({"støttekontakt"}), certificate_valid=False, assignments=CAPACITY,
                                    has_car=False, has_driving_licence=False, has_spare_bedroom=False,
                                    gender="kvinne"))

    assert result.excluded_because == [
        "kan ikke være avlaster",
        "mangler gyldig ordinær politiattest eller barneomsorgsattest",
        "har ikke ledig kapasitet",
        "har ikke bil til henting og levering",
        "har ikke førerkort til henting og levering",
        "har ikke eget soverom til overnatting",
        "er ikke mann, som søkeren krever",
    ]


# -- soft criteria: the score -----------------------------------------------------------------------

EVERY_WISH = case(
    area="Sentrum",
    interests=frozenset({"fotball", "sjakk", "musikk", "turer", "matlaging"}),
    helper_wishes={"language": "arabisk", "age_from": 25, "age_to": 40, "gender": "kvinne"},
)


def test_a_candidate_meeting_every_wish_scores_each_criterion_with_the_default_weights():
    best = candidate(
        interests=frozenset({"fotball", "sjakk", "musikk", "turer", "ski"}),  # 4 shared with the case
        area="Sentrum",
        languages=frozenset({"norsk", "arabisk"}),
        birth_date=date(1990, 5, 1),  # 36 on 2026-11-23
        gender="kvinne",
    )

    result = only(EVERY_WISH, best)

    assert result.contributions == {
        "felles interesser": 30,  # 4 shared, capped at 3: 3 × 10
        "samme område": 15,  # Sentrum == Sentrum: 15
        "snakker ønsket språk": 10,  # speaks arabisk: 10
        "alder som ønsket": 10,  # 36 within 25..40: 10
        "kjønn som ønsket": 5,  # kvinne as wished: 5
    }
    assert result.score == 70  # 30 + 15 + 10 + 10 + 5


def test_a_candidate_meeting_no_wish_scores_nothing_but_stays_eligible():
    nothing_in_common = candidate(
        interests=frozenset({"ski"}), area="Vest", languages=frozenset({"norsk"}),
        birth_date=date(1960, 1, 1),  # 66 on 2026-11-23
        gender="mann",
    )

    result = only(EVERY_WISH, nothing_in_common)

    assert result.eligible
    assert result.contributions == {
        "felles interesser": 0,  # 0 shared × 10
        "samme område": 0,  # Vest != Sentrum
        "snakker ønsket språk": 0,  # no arabisk
        "alder som ønsket": 0,  # 66 not within 25..40
        "kjønn som ønsket": 0,  # mann, wished kvinne
    }
    assert result.score == 0


def test_each_shared_interest_counts_ten_up_to_three():
    def score_with(shared: int) -> float:
        interests = frozenset(["fotball", "sjakk", "musikk", "turer", "matlaging"][:shared])
        return only(EVERY_WISH, candidate(interests=interests, area="Vest", languages=frozenset(),
                                          birth_date=date(1960, 1, 1), gender="mann")).score

    assert [score_with(n) for n in range(6)] == [0, 10, 20, 30, 30, 30]  # min(n, 3) × 10


def test_wishes_the_case_did_not_make_neither_score_nor_show():
    no_wishes = case(area="Sentrum", interests=frozenset({"fotball", "sjakk"}), helper_wishes={})

    result = only(no_wishes, candidate(interests=frozenset({"fotball"}), area="Sentrum", gender="kvinne"))

    assert result.contributions == {
        "felles interesser": 10,  # 1 shared × 10
        "samme område": 15,  # Sentrum == Sentrum
    }
    assert result.score == 25  # 10 + 15


def test_a_candidate_turning_41_today_is_outside_an_age_wish_up_to_40():
    wants_25_to_40 = case(helper_wishes={"age_from": 25, "age_to": 40})

    turns_41_today = only(wants_25_to_40, candidate(birth_date=date(1985, 11, 23)))
    turns_41_tomorrow = only(wants_25_to_40, candidate(birth_date=date(1985, 11, 24)))
    turned_25_today = only(wants_25_to_40, candidate(birth_date=date(2001, 11, 23)))

    assert turns_41_today.contributions["alder som ønsket"] == 0  # 41 > 40
    assert turns_41_tomorrow.contributions["alder som ønsket"] == 10  # 40 within 25..40
    assert turned_25_today.contributions["alder som ønsket"] == 10  # 25 within 25..40


def test_a_wished_language_nobody_in_the_pool_speaks_scores_nothing():
    wants_somali = case(helper_wishes={"language": "somali"})

    result = only(wants_somali, candidate(languages=frozenset({"norsk"})))

    assert result.eligible
    assert result.contributions["snakker ønsket språk"] == 0


def test_custom_weights_change_the_totals():
    weights = Weights(per_shared_interest=5, max_shared_interests=4, same_area=0, language=20, age_fit=1,
                      gender_wish=2)
    best = candidate(interests=frozenset({"fotball", "sjakk", "musikk", "turer", "ski"}), area="Sentrum",
                     languages=frozenset({"arabisk"}), birth_date=date(1990, 5, 1), gender="kvinne")

    result = only(EVERY_WISH, best, weights=weights)

    assert result.contributions == {
        "felles interesser": 20,  # 4 shared, cap 4: 4 × 5
        "samme område": 0,  # same area, but weighs 0
        "snakker ønsket språk": 20,  # 20
        "alder som ønsket": 1,  # 1
        "kjønn som ønsket": 2,  # 2
    }
    assert result.score == 43  # 20 + 0 + 20 + 1 + 2


def test_custom_weights_can_change_who_comes_first():
    shares_interests = candidate(1, full_name="Interesse", interests=frozenset({"fotball", "sjakk"}), area="Vest")
    lives_nearby = candidate(2, full_name="Nabo", interests=frozenset(), area="Sentrum")
    a_case = case(area="Sentrum", interests=frozenset({"fotball", "sjakk"}))

    by_default = ranked(a_case, shares_interests, lives_nearby)  # 20 vs 15
    area_weighs_more = ranked(a_case, shares_interests, lives_nearby, weights=Weights(same_area=25))  # 20 vs 25

    assert [r.candidate.full_name for r in by_default] == ["Interesse", "Nabo"]
    assert [r.candidate.full_name for r in area_weighs_more] == ["Nabo", "Interesse"]


# -- order ------------------------------------------------------------------------------------------


def test_eligible_candidates_come_best_first_ties_by_id_and_the_excluded_last():
    a_case = case(area="Sentrum", interests=frozenset({"fotball", "sjakk", "musikk"}))
    pool = [
        candidate(5, full_name="Tjue A", interests=frozenset({"fotball", "sjakk"})),  # 20
        candidate(2, full_name="Tretti", interests=frozenset({"fotball", "sjakk", "musikk"})),  # 30
        candidate(9, full_name="Utelukket med 45", interests=frozenset({"fotball", "sjakk", "musikk"}),
                  area="Sentrum", certificate_valid=False),  # 45, but excluded
        candidate(3, full_name="Tjue B", interests=frozenset({"fotball", "sjakk"})),  # 20, lower id than Tjue A
        candidate(7, full_name="Null", interests=frozenset()),  # 0
        candidate(4, full_name="Utelukket med 0", assignments=CAPACITY),  # 0, excluded
        candidate(6, full_name="Førti-fem", interests=frozenset({"fotball", "sjakk", "musikk"}), area="Sentrum"),  # 45
    ]
    random.Random(3).shuffle(pool)

    result = ranked(a_case, *pool)

    assert [(r.candidate.full_name, r.score, r.eligible) for r in result] == [
        ("Førti-fem", 45, True),
        ("Tretti", 30, True),
        ("Tjue B", 20, True),
        ("Tjue A", 20, True),
        ("Null", 0, True),
        ("Utelukket med 45", 45, False),
        ("Utelukket med 0", 0, False),
    ]


def test_every_candidate_appears_exactly_once_in_the_ranking():
    pool = [candidate(n, full_name=f"K{n}", assignments=n % 4, interests=frozenset({"fotball"} if n % 2 else ()))
            for n in range(1, 21)]

    result = ranked(case(interests=frozenset({"fotball"})), *pool)

    assert sorted(r.candidate.volunteer_id.int for r in result) == list(range(1, 21))


def test_the_ranking_does_not_depend_on_the_order_the_candidates_arrive_in():
    a_case = case(interests=frozenset({"fotball"}))
    pool = [candidate(n, interests=frozenset({"fotball"}) if n % 3 else frozenset()) for n in range(1, 13)]
    shuffled = pool[:]
    random.Random(11).shuffle(shuffled)

    assert [r.candidate.volunteer_id for r in ranked(a_case, *pool)] == \
        [r.candidate.volunteer_id for r in ranked(a_case, *shuffled)]


def test_ties_are_broken_by_the_id_as_text():
    # UUID(int=10) is "…000a" and sorts after UUID(int=9) "…0009" both as a number and as text.
    result = ranked(case(), candidate(10, full_name="Ti"), candidate(9, full_name="Ni"))

    assert [r.candidate.full_name for r in result] == ["Ni", "Ti"]


def test_an_empty_pool_ranks_nobody():
    assert ranked(case()) == []


# -- explanation ------------------------------------------------------------------------------------


def test_an_eligible_candidate_is_explained_with_points_per_criterion_and_the_wishes_not_met():
    a_case = case(area="Sentrum", interests=frozenset({"fotball", "sjakk"}),
                  helper_wishes={"language": "arabisk", "gender": "mann"})
    kari = candidate(full_name="Kari Nordmann", interests=frozenset({"fotball", "sjakk"}), area="Sentrum",
                     languages=frozenset({"arabisk"}), gender="kvinne")

    result = only(a_case, kari)

    assert result.explanation() == (
        "Kari Nordmann: 45 poeng for felles interesser (+20), samme område (+15), snakker ønsket språk (+10);"
        " ikke oppfylt: kjønn ikke som ønsket, 0 av 5."
    )


def test_an_eligible_candidate_with_no_points_is_explained_as_zero_points():
    result = only(case(area="Sentrum"), candidate(full_name="Ola Hansen", area="Vest"))

    assert result.explanation() == (
        "Ola Hansen: 0 poeng; ikke oppfylt: ingen felles interesser, 0 av 30; ikke samme område, 0 av 15."
    )


def test_an_excluded_candidate_is_explained_with_every_reason():
    ola = candidate(full_name="Ola Hansen", roles=frozenset({"støttekontakt"}), has_car=False)

    result = only(case("privat_avlastning"), ola)

    assert result.explanation() == (
        "Ola Hansen er utelukket: kan ikke være avlaster, har ikke bil til henting og levering."
    )


def test_an_excluded_candidate_explanation_does_not_mention_points():
    result = only(case(area="Sentrum", interests=frozenset({"fotball"})),
                  candidate(full_name="Per Berg", area="Sentrum", interests=frozenset({"fotball"}),
                            assignments=CAPACITY))

    assert result.explanation() == "Per Berg er utelukket: har ikke ledig kapasitet."
