"""Integration events published by the matching service (topic brobygger.matching.events)."""

from datetime import date
from typing import ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from brobygger_shared.events.base import IntegrationEvent, integration_event
from brobygger_shared.shredding import PersonalData


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
    # sealed under the citizen's case id; null once they are erased
    personal_data: ClassVar[PersonalData] = PersonalData(subject="application_id", fields=("user_birth_date",))

    user_birth_date: date | None  # rates for a child depend on its age: the contract and payroll need it
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


@integration_event
class MatchAcceptedInPrinciple(MatchEvent):
    """Both sides said yes to the proposal in principle: the first meeting is to be planned, held and
    confirmed by `meeting_by`, or the proposal lapses (MatchDeclined by utløpt). Not yet a match."""

    event_type = "MatchAcceptedInPrinciple"

    accepted_on: date
    meeting_by: date


@integration_event
class FirstMeetingPlanned(MatchEvent):
    """The first meeting is planned (or moved) for a date; the place and who attends stay in matching."""

    event_type = "FirstMeetingPlanned"

    meeting_on: date
    meeting_by: date


@integration_event
class FollowUpPlanned(MatchEvent):
    """A match was made (after its VolunteerMatched): follow-up contacts are due after each of
    `after_days`, then every `every_days`; the first on `next_due_on`."""

    event_type = "FollowUpPlanned"

    after_days: list[int]
    every_days: int
    next_due_on: date


@integration_event
class FollowUpHeld(MatchEvent):
    """A follow-up contact was held; the note is personal data and stays in matching."""

    event_type = "FollowUpHeld"

    held_on: date
    outcome: str  # fortsetter | endres | bør_avsluttes
    next_due_on: date


@integration_event
class GuidanceSessionRecorded(IntegrationEvent):
    """A training or guidance session for oppdragstakere was held (kurs, veiledning_gruppe,
    veiledning_individuell), with who attended and who was invited but did not; its title and who led
    it stay in matching."""

    event_type = "GuidanceSessionRecorded"

    kind: str
    held_on: date
    present: list[UUID]
    absent: list[UUID]


class GroupMember(BaseModel):
    """One user of a group assignment, by their case (each with their own granted vedtak)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    application_id: UUID


@integration_event
class GroupAssignmentMatched(MatchEvent):
    """A made støttekontakt match (after its VolunteerMatched) covers a group: `members` are every user's
    case, the match's own (`application_id`) first; one oppdragstaker, optionally a partner organisation
    (its name). The contract drafted from the VolunteerMatched lists them."""

    event_type = "GroupAssignmentMatched"

    members: list[GroupMember]
    partner: str | None = None
    formed_on: date
