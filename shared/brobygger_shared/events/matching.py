"""Integration events published by the matching service (topic brobygger.matching.events)."""

from datetime import date
from uuid import UUID

from brobygger_shared.events.base import IntegrationEvent, integration_event


class MatchEvent(IntegrationEvent):
    application_id: UUID  # the citizen's case
    volunteer_id: UUID
    scheme: str


@integration_event
class MatchProposed(MatchEvent):
    event_type = "MatchProposed"

    proposed_on: date
    expires_on: date


@integration_event
class VolunteerMatched(MatchEvent):
    """Both the user (or the family) and the oppdragstaker accepted: the contract can be drafted."""

    event_type = "VolunteerMatched"

    user_birth_date: date  # rates for a child depend on its age: the contract and payroll need it
    scope: float
    scope_unit: str
    period_from: date
    period_to: date
    matched_on: date


@integration_event
class MatchDeclined(MatchEvent):
    """Declined by either side, or lapsed unanswered: the case goes back on the waiting list."""

    event_type = "MatchDeclined"

    declined_by: str  # bruker | oppdragstaker | utløpt
    reason: str
    declined_on: date
