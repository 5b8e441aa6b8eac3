"""Matching's use cases on its Application, in memory, and what it publishes of them: the seam to
contracts (VolunteerMatched drafts the contract) and to notifications. Each published event is read as a
consumer decodes it off the wire."""

from dataclasses import replace
from datetime import date, timedelta
from uuid import UUID

import pytest

from brobygger_matching import publishing
from brobygger_matching.application import MatchingApplication, MatchNotFound
from brobygger_matching.domain import (
    Candidate,
    Excluded,
    FollowUpOutcome,
    GuidanceKind,
    MatchStatus,
    Party,
    UnreadableWishes,
    WaitingCase,
)
from brobygger_matching.main import MatchingSettings
from brobygger_shared.events.matching import (
    FirstMeetingPlanned,
    FollowUpHeld,
    FollowUpPlanned,
    GuidanceSessionRecorded,
    MatchAcceptedInPrinciple,
    MatchDeclined,
    MatchProposed,
    VolunteerMatched,
)
from brobygger_dev.inmemory import in_memory, of_type, published
from brobygger_shared.rules import RuleViolation

TODAY = date(2026, 11, 23)
CHILD_BORN = date(2014, 6, 9)  # the user's birth date: rates for a child depend on its age

KARI = Candidate(
    volunteer_id=UUID(int=1), full_name="Kari Nordmann", roles=frozenset({"støttekontakt"}),
    interests=frozenset({"fotball"}), languages=frozenset({"norsk"}), gender="kvinne", birth_date=date(1990, 5, 1),
    area="Nord", has_car=False, has_spare_bedroom=False, certificate_kind="ordinær", certificate_valid=True,
    assignments=0,
)
CASE = WaitingCase(
    application_id=UUID(int=1001), scheme="støttekontakt", area="Nord", interests=frozenset({"fotball"}),
    birth_date=CHILD_BORN, waiting_since=date(2026, 9, 1), scope=4.0, scope_unit="timer_per_uke",
    period_from=date(2027, 1, 1), period_to=date(2027, 12, 31),
)


@pytest.fixture
def app() -> MatchingApplication:
    return in_memory(MatchingApplication, MatchingSettings())


def matched(app: MatchingApplication):
    """Both say yes in principle, the first meeting is held two days after the proposal, both confirm."""
    match = app.propose(CASE, KARI.volunteer_id, [KARI], "sara", TODAY)
    app.accept(match.id, Party.USER, TODAY + timedelta(days=1))
    app.accept(match.id, Party.VOLUNTEER, TODAY + timedelta(days=1))
    app.plan_first_meeting(match.id, TODAY + timedelta(days=2), "Biblioteket", "Sara Saksbehandler",
                           TODAY + timedelta(days=1))
    app.confirm(match.id, Party.USER, TODAY + timedelta(days=2))
    return app.confirm(match.id, Party.VOLUNTEER, TODAY + timedelta(days=2))


def test_a_proposal_accepted_by_both_and_confirmed_after_the_first_meeting_publishes_volunteer_matched(app):
    match = matched(app)

    events = published(app, publishing.to_integration_event)
    assert [type(e) for e in events] == [MatchProposed, MatchAcceptedInPrinciple, FirstMeetingPlanned,
                                         VolunteerMatched, FollowUpPlanned]
    proposed, in_principle, meeting, made, plan = events
    assert in_principle.meeting_by == TODAY + timedelta(days=31)  # first_meeting_within_days: 30
    assert (meeting.meeting_on, meeting.meeting_by) == (TODAY + timedelta(days=2), TODAY + timedelta(days=31))
    assert "place" not in meeting.model_dump()  # where they meet, and who attends, stay in matching
    assert (plan.after_days, plan.every_days, plan.next_due_on) == ([14, 91], 365, TODAY + timedelta(days=16))
    assert (proposed.aggregate_id, proposed.proposed_on, proposed.expires_on) == (
        match.id, TODAY, TODAY + timedelta(days=14))
    assert made.aggregate_id == match.id
    assert (made.application_id, made.volunteer_id, made.scheme) == (CASE.application_id, KARI.volunteer_id,
                                                                     "støttekontakt")
    assert made.user_birth_date == CHILD_BORN  # the child's, not the day it was matched
    assert (made.scope, made.scope_unit) == (4.0, "timer_per_uke")
    assert (made.period_from, made.period_to) == (date(2027, 1, 1), date(2027, 12, 31))
    assert made.matched_on == TODAY + timedelta(days=2)
    assert app.match(match.id).status == MatchStatus.MATCHED


def test_one_side_accepting_is_not_published_who_accepted_first_stays_private(app):
    match = app.propose(CASE, KARI.volunteer_id, [KARI], "sara", TODAY)
    app.accept(match.id, Party.VOLUNTEER, TODAY)

    assert [type(e) for e in published(app, publishing.to_integration_event)] == [MatchProposed]


def test_a_decline_publishes_who_declined_and_why_and_gives_the_place_back(app):
    match = app.propose(CASE, KARI.volunteer_id, [KARI], "sara", TODAY)
    app.decline(match.id, Party.USER, "Vil heller ha en annen.", TODAY + timedelta(days=3))

    declined = of_type(published(app, publishing.to_integration_event), MatchDeclined)
    assert [(e.declined_by, e.reason, e.declined_on, e.application_id) for e in declined] == [
        ("bruker", "Vil heller ha en annen.", TODAY + timedelta(days=3), CASE.application_id)]
    # With capacity 2 and the first place given back, two more proposals fit, a third does not.
    app.propose(replace(CASE, application_id=UUID(int=1002)), KARI.volunteer_id, [KARI], "sara", TODAY)
    app.propose(replace(CASE, application_id=UUID(int=1003)), KARI.volunteer_id, [KARI], "sara", TODAY)
    with pytest.raises(RuleViolation, match="ikke ledig kapasitet"):
        app.propose(replace(CASE, application_id=UUID(int=1004)), KARI.volunteer_id, [KARI], "sara", TODAY)


def test_the_proposals_past_their_answer_date_lapse_and_are_published_as_declined_by_utlopt(app):
    late = app.propose(CASE, KARI.volunteer_id, [KARI], "sara", TODAY)
    answered = app.propose(replace(CASE, application_id=UUID(int=1002)), KARI.volunteer_id, [KARI], "sara", TODAY)
    app.decline(answered.id, Party.VOLUNTEER, "Har ikke tid.", TODAY)

    lapsed = app.lapse_expired([late.id, answered.id], TODAY + timedelta(days=15))

    assert lapsed == [late.id]
    declined = of_type(published(app, publishing.to_integration_event), MatchDeclined)
    assert [(e.aggregate_id, e.declined_by) for e in declined] == [(answered.id, "oppdragstaker"), (late.id, "utløpt")]


def test_a_proposal_a_hard_constraint_excludes_is_refused_by_the_use_case_and_nothing_is_stored(app):
    without_attest = replace(KARI, certificate_valid=False)

    with pytest.raises(Excluded) as refused:
        app.propose(CASE, KARI.volunteer_id, [without_attest], "sara", TODAY)

    assert refused.value.excluded_because == ["mangler gyldig ordinær politiattest eller barneomsorgsattest"]
    assert published(app, publishing.to_integration_event) == []


@pytest.mark.parametrize(("case", "candidates", "message"), [
    (replace(CASE, status="foreslått"), [KARI], "står ikke på ventelisten"),
    (CASE, [], "ikke en godkjent oppdragstaker"),
    (replace(CASE, scheme="besøkshjem"), [KARI], "kan ikke være besøkshjem"),
])
def test_a_proposal_is_refused_unless_the_case_waits_and_the_person_is_an_approved_fit(app, case, candidates,
                                                                                     message):
    with pytest.raises(RuleViolation, match=message):
        app.propose(case, KARI.volunteer_id, candidates, "sara", TODAY)


def test_a_case_whose_wishes_cannot_be_read_is_refused_naming_the_wish(app):
    unreadable = replace(CASE, helper_wishes={"gender": "ukjent"})

    with pytest.raises(UnreadableWishes) as refused:
        app.propose(unreadable, KARI.volunteer_id, [KARI], "sara", TODAY)
    assert refused.value.field.startswith("helper_wishes")


def test_a_proposal_cannot_be_accepted_once_its_case_is_withdrawn_or_ended(app):
    match = app.propose(CASE, KARI.volunteer_id, [KARI], "sara", TODAY)

    for status in ("trukket", "avsluttet"):
        with pytest.raises(RuleViolation, match=f"Saken er {status}"):
            app.accept(match.id, Party.USER, TODAY, case_status=status)
    with pytest.raises(MatchNotFound):
        app.accept(UUID(int=99), Party.USER, TODAY)


def test_ranking_needs_a_granted_case_and_the_suggestions_propose_the_fit(app):
    with pytest.raises(RuleViolation, match="innvilget vedtak"):
        app.ranked(replace(CASE, waiting_since=None), [KARI], TODAY)

    assert [r.candidate.volunteer_id for r in app.ranked(CASE, [KARI], TODAY)] == [KARI.volunteer_id]
    assert [(s.application_id, s.volunteer_id) for s in app.suggestions([CASE], [KARI], TODAY)] == [
        (CASE.application_id, KARI.volunteer_id)]



def test_a_follow_up_held_is_published_with_its_outcome_and_next_due_date_but_never_its_note(app):
    match = matched(app)

    app.record_follow_up(match.id, TODAY + timedelta(days=20), "Sara Saksbehandler", "Trives godt med fotball.",
                         FollowUpOutcome.CONTINUES, TODAY + timedelta(days=20))

    (held,) = of_type(published(app, publishing.to_integration_event), FollowUpHeld)
    assert (held.held_on, held.outcome, held.next_due_on) == (TODAY + timedelta(days=20), "fortsetter",
                                                             TODAY + timedelta(days=93))
    assert "Trives" not in held.to_json().decode()
    assert app.match(match.id).follow_ups[0]["note"] == "Trives godt med fotball."


def test_a_first_meeting_never_held_lapses_with_the_others_and_gives_the_place_back(app):
    match = app.propose(CASE, KARI.volunteer_id, [KARI], "sara", TODAY)
    app.accept(match.id, Party.USER, TODAY)
    app.accept(match.id, Party.VOLUNTEER, TODAY)

    assert app.lapse_expired([match.id], TODAY + timedelta(days=30)) == []
    assert app.lapse_expired([match.id], TODAY + timedelta(days=31)) == [match.id]
    assert app.match(match.id).status == MatchStatus.LAPSED
    app.propose(replace(CASE, application_id=UUID(int=1002)), KARI.volunteer_id, [KARI], "sara", TODAY)
    app.propose(replace(CASE, application_id=UUID(int=1003)), KARI.volunteer_id, [KARI], "sara", TODAY)


def test_a_guidance_session_is_published_with_attendance_but_not_its_title_and_only_for_approved_people(app):
    with pytest.raises(RuleViolation, match="ikke godkjente"):
        app.record_guidance(GuidanceKind.COURSE, "Grunnkurs", TODAY, "Sara", {UUID(int=9): True},
                            {KARI.volunteer_id}, TODAY)

    session = app.record_guidance(GuidanceKind.COURSE, "Grunnkurs for støttekontakter", TODAY, "Sara",
                                  {KARI.volunteer_id: True}, {KARI.volunteer_id}, TODAY)

    (recorded,) = of_type(published(app, publishing.to_integration_event), GuidanceSessionRecorded)
    assert (recorded.aggregate_id, recorded.kind, recorded.held_on) == (session.id, "kurs", TODAY)
    assert (recorded.present, recorded.absent) == ([KARI.volunteer_id], [])
    assert "Grunnkurs" not in recorded.to_json().decode()
