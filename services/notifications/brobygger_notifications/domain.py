"""Notification: one message to one person. Pure: no I/O.

This slice records that a message is due (Requested); sending it by e-mail or SMS, and
NotificationSent, arrive with the notifications issue.
"""

from uuid import UUID

from eventsourcing.domain import Aggregate, event

RECEIPT_TEMPLATE = "soknad_mottatt_oppdragstaker"


class Notification(Aggregate):
    id: UUID  # derived from the event that caused it, so a redelivery cannot notify twice

    @event("Requested")
    def __init__(self, recipient_id: UUID, template: str, caused_by: UUID) -> None:
        self.recipient_id = recipient_id
        self.template = template
        self.caused_by = caused_by
