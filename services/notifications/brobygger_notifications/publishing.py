"""Notifications will publish NotificationSent once messages are really sent; requests stay private."""

from brobygger_shared.events.base import IntegrationEvent

PUBLISHES: list = []


def to_integration_event(domain_event: object) -> IntegrationEvent | None:
    return None
