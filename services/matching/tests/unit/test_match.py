"""The Match: a proposal of one oppdragstaker for one case, answered by both the bruker and the
oppdragstaker before it lapses."""

from datetime import date, timedelta
from uuid import UUID

import pytest

from brobygger_matching.domain import Match, MatchStatus, Party, RuleViolation, VolunteerLoad, contract_id_of

TODAY = date(2026, 11, 23)
EXPIRES_ON = date(2026, 12, 7)  # TODAY + 14 days
APPLICATION_ID = UUID(int=101)
VOLUNTEER_ID = UUID(int=1)


def proposal(**changes) -> Match:
    fields = dict(application_id=APPLICATION_ID, volunteer_id=VOLUNTEER_ID, scheme="støttekontakt", scope=3.0,
                  scope_unit="timer per uke", period_from=date(2027, 1, 1), period_to=date(2027, 12, 31),
                  proposed_by="saksbehandler", today=TODAY, lapse_after_days=14)
    return Match.propose(**{**fields, **changes})


def event_names(match: Match) -> list[str]:
    return [type(e).__name__ for e in match.collect_events()]


# -- proposing --------------------------------------------------------------------------------------


def test_a_new_proposal_is_foreslatt_and_expires_fourteen_days_later():
    match = proposal()

    assert match.status == MatchStatus.PROPOSED == "foreslått"
    assert match.expires_on == EXPIRES_ON == TODAY + timedelta(days=14)
    assert match.accepted_by == []
    assert event_names(match) == ["Proposed"]


def test_the_lapse_period_is_a_setting():
    assert proposal(lapse_after_days=7).expires_on == date(2026, 11, 30)


# -- accepting --------------------------------------------------------------------------------------


def test_accepted_by_the_bruker_alone_is_still_foreslatt():
    match = proposal()

    match.accept(Party.USER, TODAY)

    assert match.status == "foreslått"
    assert match.accepted_by == ["bruker"]


def test_accepted_by_bruker_then_oppdragstaker_is_matchet_with_a_matched_event():
    match = proposal()
    match.collect_events()

    match.accept(Party.USER, TODAY)
    match.accept(Party.VOLUNTEER, TODAY + timedelta(days=3))

    assert match.status == MatchStatus.MATCHED == "matchet"
    events = match.collect_events()
    assert [type(e).__name__ for e in events] == ["Accepted", "Accepted", "Matched"]
    matched = events[-1]
    assert matched.application_id == APPLICATION_ID
    assert matched.volunteer_id == VOLUNTEER_ID
    assert matched.scheme == "støttekontakt"
    assert (matched.scope, matched.scope_unit) == (3.0, "timer per uke")
    assert (matched.period_from, matched.period_to) == (date(2027, 1, 1), date(2027, 12, 31))
    assert matched.matched_on == date(2026, 11, 26)


def test_accepted_by_oppdragstaker_then_bruker_is_matchet_too():
    match = proposal()

    match.accept(Party.VOLUNTEER, TODAY)
    match.accept(Party.USER, TODAY)

    assert match.status == "matchet"


def test_the_same_party_cannot_accept_twice():
    match = proposal()
    match.accept(Party.USER, TODAY)
    match.collect_events()

    with pytest.raises(RuleViolation, match="allerede godtatt av bruker"):
        match.accept(Party.USER, TODAY)

    assert match.status == "foreslått"
    assert match.collect_events() == []


def test_a_party_given_as_plain_text_counts_as_the_same_party():
    match = proposal()
    match.accept(Party.VOLUNTEER, TODAY)

    with pytest.raises(RuleViolation):
        match.accept("oppdragstaker", TODAY)


def test_a_matched_proposal_cannot_be_accepted_again():
    match = proposal()
    match.accept(Party.USER, TODAY)
    match.accept(Party.VOLUNTEER, TODAY)

    with pytest.raises(RuleViolation, match="matchet"):
        match.accept(Party.USER, TODAY)


# -- declining --------------------------------------------------------------------------------------


def test_a_declined_proposal_is_avslatt_and_says_who_declined_and_why():
    match = proposal()
    match.collect_events()

    match.decline(Party.VOLUNTEER, "Bor for langt unna", TODAY)

    assert match.status == MatchStatus.DECLINED == "avslått"
    (declined,) = match.collect_events()
    assert type(declined).__name__ == "Declined"
    assert declined.declined_by == "oppdragstaker"
    assert declined.reason == "Bor for langt unna"
    assert declined.declined_on == TODAY
    assert (declined.application_id, declined.volunteer_id) == (APPLICATION_ID, VOLUNTEER_ID)


def test_the_bruker_can_decline_after_the_oppdragstaker_accepted():
    match = proposal()
    match.accept(Party.VOLUNTEER, TODAY)

    match.decline(Party.USER, "Ønsker en annen", TODAY)

    assert match.status == "avslått"


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_decline_without_a_reason_is_refused(reason):
    match = proposal()
    match.collect_events()

    with pytest.raises(RuleViolation, match="begrunnes"):
        match.decline(Party.USER, reason, TODAY)

    assert match.status == "foreslått"
    assert match.collect_events() == []


def test_a_declined_proposal_cannot_be_accepted():
    match = proposal()
    match.decline(Party.USER, "Ønsker en annen", TODAY)

    with pytest.raises(RuleViolation, match="avslått"):
        match.accept(Party.VOLUNTEER, TODAY)


def test_a_matched_proposal_cannot_be_declined():
    match = proposal()
    match.accept(Party.USER, TODAY)
    match.accept(Party.VOLUNTEER, TODAY)

    with pytest.raises(RuleViolation, match="matchet"):
        match.decline(Party.USER, "Angret", TODAY)

    assert match.status == "matchet"


# -- expiry -----------------------------------------------------------------------------------------


def test_a_proposal_can_still_be_answered_on_the_day_it_expires():
    match = proposal()

    match.accept(Party.USER, EXPIRES_ON)
    match.accept(Party.VOLUNTEER, EXPIRES_ON)

    assert match.status == "matchet"


def test_accepting_after_the_expiry_date_is_refused():
    match = proposal()

    with pytest.raises(RuleViolation, match="07.12.2026"):
        match.accept(Party.USER, EXPIRES_ON + timedelta(days=1))

    assert match.status == "foreslått"


def test_declining_after_the_expiry_date_is_refused():
    match = proposal()

    with pytest.raises(RuleViolation, match="utløp"):
        match.decline(Party.USER, "For sent", EXPIRES_ON + timedelta(days=1))


def test_the_second_acceptance_after_the_expiry_date_is_refused_and_nothing_is_matched():
    match = proposal()
    match.accept(Party.USER, TODAY)

    with pytest.raises(RuleViolation):
        match.accept(Party.VOLUNTEER, EXPIRES_ON + timedelta(days=1))

    assert match.status == "foreslått"


@pytest.mark.parametrize("day", [TODAY, EXPIRES_ON])
def test_a_proposal_cannot_lapse_before_its_expiry_date_has_passed(day):
    match = proposal()

    with pytest.raises(RuleViolation, match="ikke utløpt"):
        match.lapse(day)

    assert match.status == "foreslått"


def test_an_unanswered_proposal_lapses_the_day_after_expiry_as_utlopt():
    match = proposal()
    match.collect_events()

    match.lapse(EXPIRES_ON + timedelta(days=1))

    assert match.status == MatchStatus.LAPSED == "utløpt"
    (declined,) = match.collect_events()
    assert type(declined).__name__ == "Declined"
    assert declined.declined_by == "utløpt"
    assert declined.reason  # the case history says why
    assert declined.declined_on == date(2026, 12, 8)


def test_a_half_accepted_proposal_lapses_too():
    match = proposal()
    match.accept(Party.USER, TODAY)

    match.lapse(EXPIRES_ON + timedelta(days=1))

    assert match.status == "utløpt"


def test_a_matched_proposal_cannot_lapse():
    match = proposal()
    match.accept(Party.USER, TODAY)
    match.accept(Party.VOLUNTEER, TODAY)

    with pytest.raises(RuleViolation):
        match.lapse(EXPIRES_ON + timedelta(days=30))

    assert match.status == "matchet"


def test_a_lapsed_proposal_cannot_be_answered_or_lapse_again():
    match = proposal()
    match.lapse(EXPIRES_ON + timedelta(days=1))

    with pytest.raises(RuleViolation):
        match.accept(Party.USER, EXPIRES_ON + timedelta(days=1))
    with pytest.raises(RuleViolation):
        match.lapse(EXPIRES_ON + timedelta(days=2))


# -- the places one oppdragstaker holds --------------------------------------------------------------


def test_open_proposals_take_places_and_the_one_beyond_capacity_is_refused():
    load = VolunteerLoad(volunteer_id=VOLUNTEER_ID)
    load.hold(UUID(int=1), capacity=2, ended_contracts=set())
    load.hold(UUID(int=2), capacity=2, ended_contracts=set())

    with pytest.raises(RuleViolation, match="ikke ledig kapasitet: 2 av 2"):
        load.hold(UUID(int=3), capacity=2, ended_contracts=set())


def test_a_declined_proposal_and_an_ended_contract_give_their_places_back():
    load = VolunteerLoad(volunteer_id=VOLUNTEER_ID)
    load.hold(UUID(int=1), capacity=2, ended_contracts=set())
    load.hold(UUID(int=2), capacity=2, ended_contracts=set())

    load.release(UUID(int=1))
    load.hold(UUID(int=3), capacity=2, ended_contracts=set())
    load.hold(UUID(int=4), capacity=2, ended_contracts={contract_id_of(UUID(int=2))})

    assert load.places == [str(UUID(int=3)), str(UUID(int=4))]
