"""ArchiveRecord: one journalpost on its way to the archive. Pure.

Created (the journalpost as built, kept whole) -> Delivered (the format, and the archive's reference when
it answers) | Failed (the reason; tried again after a doubling backoff) -> ... -> Stopped after the last
try | Invalid (the message failed validation against the XSD: it is not sent; staff see the validator's
message). Staff may ask for a stopped or invalid one to be tried again (Retried).
The id is derived from the source event, so a redelivered event cannot make a second record.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from brobygger_archive.domain.journalpost import Journalpost
from brobygger_shared.rules import RuleViolation
from brobygger_shared.shredding import PersonalData


class RecordStatus(StrEnum):
    CREATED = "opprettet"
    DELIVERED = "levert"
    FAILED = "feilet"  # tried and failed; tried again at next_attempt_at
    STOPPED = "stoppet"  # the last try failed: staff look into it
    INVALID = "ugyldig"  # failed the XSD: not sent, staff look into it


@dataclass(frozen=True)
class Backoff:
    attempts: int = 8
    first: timedelta = timedelta(seconds=30)
    longest: timedelta = timedelta(hours=1)

    def delay(self, attempt: int) -> timedelta:
        return min(self.first * (2 ** (attempt - 1)), self.longest)


class AlreadyDone(RuleViolation):
    """The record was delivered already, or is not waiting for a try."""


def summary_of(journalpost: dict[str, Any]) -> dict[str, Any]:
    """What a journalpost says that names nobody: whose (by id), what kind, barnevern or not, the scheme,
    the case number, the document's date and how many documents."""
    return {"subject_id": journalpost["subject_id"], "kind": journalpost["kind"],
            "is_barnevern": journalpost["is_barnevern"], "scheme": journalpost.get("scheme"),
            "case_number": (journalpost.get("folder") or {}).get("case_number"),
            "document_date": journalpost["document_date"], "documents": len(journalpost.get("documents") or ())}


class ArchiveRecord(Aggregate):
    id: UUID

    @event("Created")
    def __init__(self, journalpost: dict[str, Any] | None, created_at: datetime, subject_id: UUID | None = None,
                 summary: dict[str, Any] | None = None) -> None:
        """`journalpost`: as built, whole (sealed under the subject's key since crypto-shredding: None once
        the subject is erased); `summary`: what names nobody (records created before it: taken from the
        journalpost)."""
        self.journalpost = journalpost
        self.summary = summary or summary_of(journalpost)
        self.created_at = created_at
        self.status = RecordStatus.CREATED
        self.attempts = 0
        self.next_attempt_at: datetime | None = created_at
        self.delivered: dict | None = None
        self.reason: str | None = None

    @property
    def entry(self) -> Journalpost:
        return Journalpost.from_dict(self.journalpost)

    @property
    def erased(self) -> bool:
        """The subject was erased: the journalpost is gone with their key; nothing is left to send."""
        return self.journalpost is None

    @property
    def open(self) -> bool:
        return self.status in (RecordStatus.CREATED, RecordStatus.FAILED) and not self.erased

    def due(self, now: datetime) -> bool:
        return self.open and (self.next_attempt_at is None or self.next_attempt_at <= now)

    @property
    def about(self) -> dict[str, Any]:
        """What every later event repeats, so that the relay can publish it without the aggregate."""
        return {"subject_id": self.summary["subject_id"], "kind": self.summary["kind"],
                "is_barnevern": self.summary["is_barnevern"]}

    def record_delivered(self, format: str, channel: str, reference: str | None, at: datetime) -> None:
        self._require_open()
        self._delivered(format=format, channel=channel, reference=reference, at=at, **self.about)

    @event("Delivered")
    def _delivered(self, format: str, channel: str, reference: str | None, at: datetime, subject_id: UUID,
                   kind: str, is_barnevern: bool) -> None:
        self.status = RecordStatus.DELIVERED
        self.attempts += 1
        self.delivered = {"format": format, "channel": channel, "reference": reference, "at": at}
        self.next_attempt_at = None
        self.reason = None

    def record_failure(self, reason: str, at: datetime, backoff: Backoff) -> None:
        self._require_open()
        attempt = self.attempts + 1
        final = attempt >= backoff.attempts
        self._failed(reason=reason, attempt=attempt, at=at,
                     next_attempt_at=None if final else at + backoff.delay(attempt), final=final, **self.about)

    @event("Failed")
    def _failed(self, reason: str, attempt: int, at: datetime, next_attempt_at: datetime | None,
                final: bool, subject_id: UUID, kind: str, is_barnevern: bool) -> None:
        self.status = RecordStatus.STOPPED if final else RecordStatus.FAILED
        self.attempts = attempt
        self.next_attempt_at = next_attempt_at
        self.reason = reason

    def record_invalid(self, format: str, validator_message: str, at: datetime) -> None:
        self._require_open()
        self._invalid(format=format, validator_message=validator_message, at=at, attempt=self.attempts + 1,
                      **self.about)

    @event("Invalid")
    def _invalid(self, format: str, validator_message: str, at: datetime, attempt: int, subject_id: UUID,
                 kind: str, is_barnevern: bool) -> None:
        self.status = RecordStatus.INVALID
        self.attempts = attempt
        self.next_attempt_at = None
        self.reason = validator_message

    def retry(self, at: datetime) -> None:
        """Staff: try a stopped or invalid record again (after the cause was put right)."""
        if self.status not in (RecordStatus.STOPPED, RecordStatus.INVALID):
            raise AlreadyDone(f"Journalposten er {self.status}; bare stoppede og ugyldige kan prøves igjen.")
        self._retried(at=at)

    @event("Retried")
    def _retried(self, at: datetime) -> None:
        self.status = RecordStatus.FAILED
        self.attempts = 0
        self.next_attempt_at = at

    def _require_open(self) -> None:
        if not self.open:
            raise AlreadyDone(f"Journalposten er allerede {self.status}.")


# Crypto-shredding (docs/privacy.md): the journalpost (titles and correspondents name the person) is sealed
# under its subject's key (a case id or a volunteer id). What was delivered to the kommune's archive stays
# there under archive law; Brobygger's own copy reads None once the subject is erased.
ArchiveRecord.Created.personal_data = PersonalData(subject="subject_id", fields=("journalpost",))
