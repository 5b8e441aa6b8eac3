"""Domain event -> integration event, for the relay: NotificationSent when a message reached its
channel. Requests, failures, staff tasks and contact details stay private to notifications."""

from brobygger_notifications.domain import Notification
from brobygger_shared.events import notifications as published
from brobygger_shared.events.base import IntegrationEvent

PUBLISHES = [published.NotificationSent]


def to_integration_event(domain_event: object) -> IntegrationEvent | None:
    if isinstance(domain_event, Notification.Sent):
        return published.NotificationSent(
            aggregate_id=domain_event.originator_id, occurred_at=domain_event.timestamp,
            recipient_id=domain_event.recipient_id, kind=domain_event.kind, channel=str(domain_event.channel),
            sent_at=domain_event.at,
        )
    return None
