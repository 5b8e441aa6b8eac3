"""Domain events -> integration events, for the relay. Who accepted or confirmed first stays private, and so
do the first meeting's place and attendee and a follow-up's note."""

from functools import singledispatch
from typing import Any

from brobygger_matching.domain import GuidanceSession, Match
from brobygger_shared.events import matching as published
from brobygger_shared.events.base import IntegrationEvent


@singledispatch
def to_integration_event(domain_event: object) -> IntegrationEvent | None:
    return None


def _match(e: Any) -> dict[str, Any]:
    return {"aggregate_id": e.originator_id, "occurred_at": e.timestamp, "application_id": e.application_id,
            "volunteer_id": e.volunteer_id, "scheme": e.scheme}


@to_integration_event.register
def _(e: Match.Proposed) -> IntegrationEvent:
    return published.MatchProposed(**_match(e), proposed_on=e.proposed_on, expires_on=e.expires_on)


@to_integration_event.register
def _(e: Match.Matched) -> IntegrationEvent:
    return published.VolunteerMatched(**_match(e), scope=e.scope, scope_unit=e.scope_unit, period_from=e.period_from,
                                      period_to=e.period_to, matched_on=e.matched_on,
                                      user_birth_date=e.user_birth_date)


@to_integration_event.register
def _(e: Match.GroupFormed) -> IntegrationEvent:
    return published.GroupAssignmentMatched(**_match(e), members=[{"application_id": m} for m in e.members],
                                            partner=e.partner, formed_on=e.formed_on)


@to_integration_event.register
def _(e: Match.Declined) -> IntegrationEvent:
    return published.MatchDeclined(**_match(e), declined_by=e.declined_by, reason=e.reason,
                                   declined_on=e.declined_on)


@to_integration_event.register
def _(e: Match.AcceptedInPrinciple) -> IntegrationEvent:
    return published.MatchAcceptedInPrinciple(**_match(e), accepted_on=e.accepted_on, meeting_by=e.meeting_by)


@to_integration_event.register
def _(e: Match.FirstMeetingPlanned) -> IntegrationEvent:
    return published.FirstMeetingPlanned(**_match(e), meeting_on=e.meeting_on, meeting_by=e.meeting_by)


@to_integration_event.register
def _(e: Match.FollowUpPlanned) -> IntegrationEvent:
    return published.FollowUpPlanned(**_match(e), after_days=e.after_days, every_days=e.every_days,
                                     next_due_on=e.next_due_on)


@to_integration_event.register
def _(e: Match.FollowUpHeld) -> IntegrationEvent:
    return published.FollowUpHeld(**_match(e), held_on=e.held_on, outcome=e.outcome, next_due_on=e.next_due_on)


@to_integration_event.register
def _(e: GuidanceSession.GuidanceSessionRecorded) -> IntegrationEvent:
    return published.GuidanceSessionRecorded(aggregate_id=e.originator_id, occurred_at=e.timestamp, kind=e.kind,
                                             held_on=e.held_on, present=e.present, absent=e.absent)


PUBLISHES = [published.MatchProposed, published.VolunteerMatched, published.MatchDeclined,
             published.MatchAcceptedInPrinciple, published.FirstMeetingPlanned, published.FollowUpPlanned,
             published.FollowUpHeld, published.GuidanceSessionRecorded, published.GroupAssignmentMatched]
