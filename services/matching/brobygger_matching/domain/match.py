"""The Match aggregate: a proposal of one oppdragstaker for one case, answered by both sides."""

from datetime import date, timedelta
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from brobygger_matching.domain.stored import TOPIC_MODULE
from brobygger_shared.rules import RuleViolation


class MatchStatus(StrEnum):
    PROPOSED = "foreslått"
    MATCHED = "matchet"
    DECLINED = "avslått"
    LAPSED = "utløpt"


class Party(StrEnum):
    USER = "bruker"
    VOLUNTEER = "oppdragstaker"


class Match(Aggregate):
    """A proposal of one oppdragstaker for one case, answered by both sides."""

    __module__ = TOPIC_MODULE  # the topic its events were first stored under (see `stored`)

    @event("Proposed")
    def __init__(self, application_id: UUID, volunteer_id: UUID, scheme: str, scope: float, scope_unit: str,
                 period_from: date, period_to: date, proposed_by: str, proposed_on: date, expires_on: date,
                 user_birth_date: date | None = None) -> None:
        self.application_id = application_id
        self.user_birth_date = user_birth_date
        self.volunteer_id = volunteer_id
        self.scheme = scheme
        self.scope = scope
        self.scope_unit = scope_unit
        self.period_from = period_from
        self.period_to = period_to
        self.proposed_on = proposed_on
        self.expires_on = expires_on
        self.accepted_by: list[str] = []
        self.status = MatchStatus.PROPOSED

    @classmethod
    def propose(cls, application_id: UUID, volunteer_id: UUID, scheme: str, scope: float, scope_unit: str,
                period_from: date, period_to: date, proposed_by: str, today: date, lapse_after_days: int,
                user_birth_date: date | None = None) -> "Match":
        return cls(application_id=application_id, volunteer_id=volunteer_id, scheme=scheme, scope=scope,
                   scope_unit=scope_unit, period_from=period_from, period_to=period_to, proposed_by=proposed_by,
                   proposed_on=today, expires_on=today + timedelta(days=lapse_after_days),
                   user_birth_date=user_birth_date)

    def accept(self, party: Party, today: date) -> None:
        self._require_open(today)
        if party in self.accepted_by:
            raise RuleViolation(f"Forslaget er allerede godtatt av {party}.")
        self._accepted(party=Party(party), accepted_on=today)
        if set(self.accepted_by) == {Party.USER, Party.VOLUNTEER}:
            self._matched(application_id=self.application_id, volunteer_id=self.volunteer_id, scheme=self.scheme,
                          scope=self.scope, scope_unit=self.scope_unit, period_from=self.period_from,
                          period_to=self.period_to, matched_on=today, user_birth_date=self.user_birth_date)

    @event("Accepted")
    def _accepted(self, party: Party, accepted_on: date) -> None:
        self.accepted_by = [*self.accepted_by, str(party)]

    @event("Matched")
    def _matched(self, application_id: UUID, volunteer_id: UUID, scheme: str, scope: float, scope_unit: str,
                 period_from: date, period_to: date, matched_on: date, user_birth_date: date | None = None) -> None:
        self.status = MatchStatus.MATCHED

    def decline(self, party: Party, reason: str, today: date) -> None:
        self._require_open(today)
        if not reason.strip():
            raise RuleViolation("Et avslag må begrunnes.")
        self._declined(application_id=self.application_id, volunteer_id=self.volunteer_id, scheme=self.scheme,
                       declined_by=str(Party(party)), reason=reason, declined_on=today)

    def lapse(self, today: date) -> None:
        if self.status != MatchStatus.PROPOSED or today <= self.expires_on:
            raise RuleViolation("Forslaget er ikke utløpt.")
        self._declined(application_id=self.application_id, volunteer_id=self.volunteer_id, scheme=self.scheme,
                       declined_by="utløpt", reason="Forslaget ble ikke besvart i tide.", declined_on=today)

    @event("Declined")
    def _declined(self, application_id: UUID, volunteer_id: UUID, scheme: str, declined_by: str, reason: str,
                  declined_on: date) -> None:
        self.status = MatchStatus.LAPSED if declined_by == "utløpt" else MatchStatus.DECLINED

    def _require_open(self, today: date) -> None:
        if self.status != MatchStatus.PROPOSED:
            raise RuleViolation(f"Forslaget er {self.status}; det kan ikke besvares.")
        if today > self.expires_on:
            raise RuleViolation(f"Forslaget utløp {self.expires_on:%d.%m.%Y}.")
