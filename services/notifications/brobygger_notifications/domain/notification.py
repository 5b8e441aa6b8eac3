"""Notification: one message to one person, decided once and recorded sent once. Pure.

Requested -> Sent (the channel and the provider's id) | Failed (the reason and when to try again,
with backoff) -> ... -> HandedToStaff after the last try. A reserved person's important letter, or one
to a person who gave no contact details, is HandedToStaff at once ("send i posten"); any other message
to such a person is Skipped. Each id is derived from what caused it (an event, a reminder's key), so
a redelivery or a second scheduler cannot request it twice.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from brobygger_notifications.domain.stored import TOPIC_MODULE
from brobygger_shared.rules import RuleViolation
from brobygger_shared.shredding import PersonalData


class NotificationStatus(StrEnum):
    REQUESTED = "bestilt"
    SENT = "sendt"
    FAILED = "feilet"  # tried and failed; tried again at next_attempt_at
    STAFF = "til_ansatte"  # a staff task: send by post, or look into why it failed
    SKIPPED = "ikke_sendt"  # nowhere to send it, and not a letter


class Channel(StrEnum):
    EMAIL = "epost"
    SMS = "sms"


class StaffTask(StrEnum):
    SEND_BY_POST = "send_i_posten"
    LOOK_INTO_FAILURE = "undersøk_feil"


@dataclass(frozen=True)
class Backoff:
    """Try again after `first`, doubling to at most `longest`; hand to staff after `attempts` tries."""

    attempts: int = 6
    first: timedelta = timedelta(seconds=30)
    longest: timedelta = timedelta(hours=1)

    def delay(self, attempt: int) -> timedelta:
        return min(self.first * (2 ** (attempt - 1)), self.longest)


class AlreadyDone(RuleViolation):
    """The notification was already sent, handed to staff or skipped."""


class Notification(Aggregate):
    __module__ = TOPIC_MODULE
    id: UUID  # derived from what caused it, so a redelivery cannot notify twice

    @event("Requested")
    def __init__(self, recipient_id: UUID, template: str, caused_by: UUID, subject_id: UUID | None = None,
                 details: dict | None = None, requested_at: datetime | None = None,
                 channel: Channel | None = None, is_barnevern: bool = False) -> None:
        """`recipient_id`: the person as the events name them (volunteer id; for a citizen, the case id);
        `subject_id`: whose Contact holds the address (the same unless said); `template`: the kind;
        `details`: what the message may say besides (an interview's time and place, a month);
        `channel`: by this channel only (a message that goes by e-mail and by SMS is two notifications),
        none for e-mail where there is an address, else SMS. `is_barnevern`: caused by an event of a
        barnevern case (only staff with the barnevern role see it listed)."""
        self.recipient_id = recipient_id
        self.is_barnevern = is_barnevern
        self.channel = Channel(channel) if channel else None
        self.template = template
        self.caused_by = caused_by
        self.subject_id = subject_id or recipient_id
        self.details = details or {}
        self.requested_at = requested_at
        self.status = NotificationStatus.REQUESTED
        self.attempts = 0
        self.next_attempt_at: datetime | None = None  # due at once; a failure sets the next try
        self.sent: dict | None = None
        self.staff_task: dict | None = None

    @property
    def open(self) -> bool:
        return self.status in (NotificationStatus.REQUESTED, NotificationStatus.FAILED)

    def due(self, now: datetime) -> bool:
        return self.open and (self.next_attempt_at is None or self.next_attempt_at <= now)

    def record_sent(self, channel: Channel, provider_id: str, at: datetime) -> None:
        self._require_open()
        self._sent(recipient_id=self.recipient_id, kind=self.template, channel=Channel(channel),
                   provider_id=provider_id, at=at)

    @event("Sent")
    def _sent(self, recipient_id: UUID, kind: str, channel: Channel, provider_id: str, at: datetime) -> None:
        self.status = NotificationStatus.SENT
        self.attempts += 1
        self.sent = {"channel": Channel(channel), "provider_id": provider_id, "at": at}
        self.next_attempt_at = None

    def record_failure(self, reason: str, at: datetime, backoff: Backoff) -> None:
        """A try failed: try again after the backoff, or hand it to staff after the last try."""
        self._require_open()
        attempt = self.attempts + 1
        if attempt >= backoff.attempts:
            self._failed(reason=reason, attempt=attempt, at=at, next_attempt_at=None, recipient_id=self.recipient_id)
            self._handed_to_staff(task=StaffTask.LOOK_INTO_FAILURE, reason=reason, at=at,
                                  recipient_id=self.recipient_id)
        else:
            self._failed(reason=reason, attempt=attempt, at=at, next_attempt_at=at + backoff.delay(attempt),
                         recipient_id=self.recipient_id)

    @event("Failed")
    def _failed(self, reason: str, attempt: int, at: datetime, next_attempt_at: datetime | None,
                recipient_id: UUID | None = None) -> None:
        # `recipient_id` (events since crypto-shredding): whose key seals the reason, which may quote an
        # address the provider refused
        self.status = NotificationStatus.FAILED
        self.attempts = attempt
        self.next_attempt_at = next_attempt_at

    def hand_to_staff(self, task: StaffTask, reason: str, at: datetime) -> None:
        self._require_open()
        self._handed_to_staff(task=StaffTask(task), reason=reason, at=at, recipient_id=self.recipient_id)

    @event("HandedToStaff")
    def _handed_to_staff(self, task: StaffTask, reason: str, at: datetime, recipient_id: UUID | None = None) -> None:
        self.status = NotificationStatus.STAFF
        self.staff_task = {"task": StaffTask(task), "reason": reason, "at": at}
        self.next_attempt_at = None

    def skip(self, reason: str, at: datetime) -> None:
        self._require_open()
        self._skipped(reason=reason, at=at)

    @event("Skipped")
    def _skipped(self, reason: str, at: datetime) -> None:
        self.status = NotificationStatus.SKIPPED
        self.next_attempt_at = None

    def _require_open(self) -> None:
        if not self.open:
            raise AlreadyDone(f"Varselet er allerede {self.status}.")


# Crypto-shredding: what a message may say about its person (details), and a failure's reason (it may quote
# the address refused), sealed under the recipient's key (a case id or a volunteer id); "slettet" or
# nothing once the person is erased.
Notification.Requested.personal_data = PersonalData(subject="recipient_id", fields=("details",))
Notification.Failed.personal_data = PersonalData(subject="recipient_id", fields=("reason",))
Notification.HandedToStaff.personal_data = PersonalData(subject="recipient_id", fields=("reason",))
