"""Integration events published by the notifications service (topic brobygger.notifications.events).

Only that a message reached its channel: which kind, to whom (by internal id), by which channel, when.
Never an address or the message's text."""

from datetime import datetime
from uuid import UUID

from brobygger_shared.events.base import IntegrationEvent, integration_event


@integration_event
class NotificationSent(IntegrationEvent):
    event_type = "NotificationSent"

    recipient_id: UUID  # the volunteer id; for a citizen, the case id; staff: a fixed id for the mailbox
    kind: str  # soknad_mottatt | vedtak | forelopig_svar | ... (the notifications service's kinds)
    channel: str  # epost | sms
    sent_at: datetime
