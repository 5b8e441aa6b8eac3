"""The notifications service's Application: its aggregates (Notification, Contact), loaded and saved.

- `policy`: which integration events ask for which messages (and keep which contact details);
- `clock`: the time the service works by (settable in dev and tests);
- `messages`: a message rendered from its templates (bokmål; plain text and HTML for e-mail);
- `channels`: e-mail by SMTP, SMS through the kommune's gateway;
- `reservations`: the reservation register (KRR), asked by identity number before an important letter;
- `sending`: the sender, which sends each due notification once and records what happened;
- `scheduler`: reminders from the clock, each decided once under its key.
"""

from datetime import datetime
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from brobygger_notifications.application.clock import Clock
from brobygger_notifications.domain import Contact, Notification
from brobygger_shared.eventstore import ProcessingApplication


class NotFound(LookupError):
    pass


class NotificationsApplication(ProcessingApplication):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.clock = Clock()

    def notification(self, notification_id: UUID) -> Notification:
        return self.get_aggregate(notification_id, Notification, NotFound)

    def contact(self, subject_id: UUID) -> Contact | None:
        try:
            return self.repository.get(Contact.create_id(subject_id))
        except AggregateNotFoundError:
            return None

    def save_once(self, *aggregates) -> bool:
        """Save; False when another process (or an earlier life of this one) saved first."""
        try:
            self.save(*aggregates)
        except IntegrityError:
            return False
        return True

    def request(self, notification_id: UUID, recipient_id: UUID, kind: str, caused_by: UUID,
                details: dict, requested_at: datetime) -> bool:
        """Request a notification under an id derived from its key; False when it was decided before."""
        return self.save_once(Notification(id=notification_id, recipient_id=recipient_id, template=kind,
                                           caused_by=caused_by, details=details, requested_at=requested_at))
