"""The Match: a proposal of one oppdragstaker for one case, answered in principle by both the bruker and
the oppdragstaker before it lapses, then a first meeting after which both confirm; only then is it made.
Its follow-up plan's due dates."""

from datetime import date, timedelta
from uuid import UUID

import pytest

from brobygger_matching.domain import (
    FollowUpOutcome,
    FollowUpPlan,
    Match,
    MatchStatus,
    Party,
    RuleViolation,
    VolunteerLoad,
    contract_id_of,
)

TODAY = date(2026, 11, 23)
EXPIRES_ON = date(2026, 12, 7)  # TODAY + 14 days
APPLICATION_ID = UUID(int=101)
VOLUNTEER_ID = UUID(int=1)


def proposal(**changes) -> Match:
    fields = dict(application_id=APPLICATION_ID, volunteer_id=VOLUNTEER_ID, scheme="støttekontakt", scope=3.0,
                  scope_unit="timer per uke", period_from=date(2027, 1, 1), period_to=date(2027, 12, 31),
                  proposed_by="saksbehandler", today=TODAY, lapse_after_days=14)
    return Match.propose(**{**fields, **changes})


def made(match: Match, day: date = TODAY) -> Match:
    """Both said yes, the first meeting held on `day`, both confirmed on it."""
    for party in (Party.USER, Party.VOLUNTEER):
        if party not in match.accepted_by:
            match.accept(party, day)
    match.plan_first_meeting(day, "Biblioteket", "Sara Saksbehandler", day)
    match.confirm(Party.USER, day)
    match.confirm(Party.VOLUNTEER, day)
    return match


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


def test_accepted_by_both_is_not_yet_a_match_the_first_meeting_is_due_within_the_setting():
    match = proposal()
    match.collect_events()

    match.accept(Party.USER, TODAY)
    match.accept(Party.VOLUNTEER, TODAY + timedelta(days=3), first_meeting_within_days=20)

    assert match.status == MatchStatus.FIRST_MEETING == "første_møte"
    assert match.expires_on == TODAY + timedelta(days=23)
    assert event_names(match) == ["Accepted", "Accepted", "AcceptedInPrinciple"]


def test_confirmation_before_the_first_meeting_is_planned_or_held_is_refused():
    match = proposal()
    match.accept(Party.USER, TODAY)
    match.accept(Party.VOLUNTEER, TODAY)

    with pytest.raises(RuleViolation, match="ikke planlagt"):
        match.confirm(Party.USER, TODAY)
    match.plan_first_meeting(TODAY + timedelta(days=5), "Biblioteket", "Sara Saksbehandler", TODAY)
    with pytest.raises(RuleViolation, match="bekreft etter møtet"):
        match.confirm(Party.USER, TODAY + timedelta(days=4))

    assert match.status == "første_møte"


def test_the_first_meeting_cannot_be_planned_before_both_said_yes_nor_after_its_deadline():
    match = proposal()
    match.accept(Party.USER, TODAY)
    with pytest.raises(RuleViolation, match="Begge sider"):
        match.plan_first_meeting(TODAY, "Biblioteket", "Sara Saksbehandler", TODAY)
    match.accept(Party.VOLUNTEER, TODAY, first_meeting_within_days=30)

    with pytest.raises(RuleViolation, match="innen 23.12.2026"):
        match.plan_first_meeting(TODAY + timedelta(days=31), "Biblioteket", "Sara Saksbehandler", TODAY)
    with pytest.raises(RuleViolation, match="hvem fra kommunen"):
        match.plan_first_meeting(TODAY, "Biblioteket", " ", TODAY)


def test_the_first_meeting_is_planned_with_date_place_and_who_attends_and_can_be_moved():
    match = proposal()
    match.accept(Party.USER, TODAY)
    match.accept(Party.VOLUNTEER, TODAY)

    match.plan_first_meeting(TODAY + timedelta(days=7), "Kafé Sentrum", "Sara Saksbehandler", TODAY)
    match.plan_first_meeting(TODAY + timedelta(days=9), "Biblioteket", "Leo Leder", TODAY + timedelta(days=6))

    assert (match.meeting_on, match.meeting_place, match.meeting_kommune_attendee) == (
        TODAY + timedelta(days=9), "Biblioteket", "Leo Leder")


def test_after_the_first_meeting_both_confirm_and_only_then_the_match_is_made():
    match = proposal()
    match.accept(Party.USER, TODAY)
    match.accept(Party.VOLUNTEER, TODAY)
    match.plan_first_meeting(TODAY + timedelta(days=2), "Biblioteket", "Sara Saksbehandler", TODAY)
    match.collect_events()

    match.confirm(Party.VOLUNTEER, TODAY + timedelta(days=2))
    assert match.status == "første_møte"
    match.confirm(Party.USER, TODAY + timedelta(days=3))

    assert match.status == MatchStatus.MATCHED == "matchet"
    events = match.collect_events()
    assert [type(e).__name__ for e in events] == ["Confirmed", "Confirmed", "Matched", "FollowUpPlanned"]
    matched = events[2]
    assert matched.application_id == APPLICATION_ID
    assert matched.volunteer_id == VOLUNTEER_ID
    assert matched.scheme == "støttekontakt"
    assert (matched.scope, matched.scope_unit) == (3.0, "timer per uke")
    assert (matched.period_from, matched.period_to) == (date(2027, 1, 1), date(2027, 12, 31))
    assert matched.matched_on == date(2026, 11, 26)


def test_after_the_first_meeting_either_side_may_still_decline_with_a_reason():
    match = proposal()
    match.accept(Party.VOLUNTEER, TODAY)
    match.accept(Party.USER, TODAY)
    match.plan_first_meeting(TODAY, "Biblioteket", "Sara Saksbehandler", TODAY)
    match.confirm(Party.VOLUNTEER, TODAY)

    match.decline(Party.USER, "Kjemien stemte ikke", TODAY + timedelta(days=1))

    assert match.status == "avslått"


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
    match = made(proposal())

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
    match = made(proposal())

    with pytest.raises(RuleViolation, match="matchet"):
        match.decline(Party.USER, "Angret", TODAY)

    assert match.status == "matchet"


# -- expiry -----------------------------------------------------------------------------------------


def test_a_proposal_can_still_be_answered_on_the_day_it_expires():
    match = proposal()

    match.accept(Party.USER, EXPIRES_ON)
    match.accept(Party.VOLUNTEER, EXPIRES_ON)

    assert match.status == "første_møte"


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
    match = made(proposal())

    with pytest.raises(RuleViolation):
        match.lapse(EXPIRES_ON + timedelta(days=60))

    assert match.status == "matchet"


def test_a_first_meeting_not_held_and_confirmed_by_its_deadline_lapses_as_utlopt():
    match = proposal()
    match.accept(Party.USER, TODAY)
    match.accept(Party.VOLUNTEER, TODAY, first_meeting_within_days=30)
    match.plan_first_meeting(TODAY + timedelta(days=10), "Biblioteket", "Sara Saksbehandler", TODAY)
    deadline = TODAY + timedelta(days=30)

    with pytest.raises(RuleViolation, match="ikke utløpt"):
        match.lapse(deadline)
    with pytest.raises(RuleViolation, match="utløp"):
        match.confirm(Party.USER, deadline + timedelta(days=1))
    match.collect_events()
    match.lapse(deadline + timedelta(days=1))

    assert match.status == "utløpt"
    (declined,) = match.collect_events()
    assert declined.declined_by == "utløpt"
    assert "første møtet" in declined.reason


def test_a_lapsed_proposal_cannot_be_answered_or_lapse_again():
    match = proposal()
    match.lapse(EXPIRES_ON + timedelta(days=1))

    with pytest.raises(RuleViolation):
        match.accept(Party.USER, EXPIRES_ON + timedelta(days=1))
    with pytest.raises(RuleViolation):
        match.lapse(EXPIRES_ON + timedelta(days=2))


# -- follow-up --------------------------------------------------------------------------------------


def test_the_follow_up_plan_is_due_after_two_weeks_three_months_then_yearly():
    plan = FollowUpPlan(after_days=(14, 91), then_every_days=365)
    matched_on = date(2027, 1, 4)

    assert [plan.due_on(matched_on, held) for held in range(4)] == [
        date(2027, 1, 18), date(2027, 4, 5), date(2028, 4, 4), date(2029, 4, 4)]


def test_a_made_match_plans_its_first_follow_up_and_each_one_held_moves_the_next_due_date():
    match = proposal()
    match.accept(Party.USER, TODAY)
    match.accept(Party.VOLUNTEER, TODAY)
    match.plan_first_meeting(TODAY, "Biblioteket", "Sara Saksbehandler", TODAY)
    match.confirm(Party.USER, TODAY)
    match.confirm(Party.VOLUNTEER, TODAY, FollowUpPlan((7, 30), 180))
    assert match.next_follow_up_on == TODAY + timedelta(days=7)

    match.record_follow_up(TODAY + timedelta(days=9), "Sara Saksbehandler", "Går fint.", FollowUpOutcome.CONTINUES,
                           TODAY + timedelta(days=9))

    assert match.next_follow_up_on == TODAY + timedelta(days=30)
    assert match.follow_ups[0]["due_on"] == TODAY + timedelta(days=7)
    assert match.follow_ups[0]["outcome"] == "fortsetter"


def test_a_follow_up_is_recorded_only_on_a_made_match_and_only_once_held():
    open_proposal = proposal()
    with pytest.raises(RuleViolation, match="inngått"):
        open_proposal.record_follow_up(TODAY, "Sara", "", FollowUpOutcome.CONTINUES, TODAY)
    match = made(proposal())

    with pytest.raises(RuleViolation, match="når den er holdt"):
        match.record_follow_up(TODAY + timedelta(days=1), "Sara", "", FollowUpOutcome.CHANGES, TODAY)
    assert match.follow_ups == []


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
