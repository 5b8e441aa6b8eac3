"""The published language. Importing this package registers every integration event type."""

from brobygger_shared.events import applications, archive, contracts, matching, notifications, payroll
from brobygger_shared.events.base import (
    EventRegistry,
    IntegrationEvent,
    UnknownEventType,
    UnsupportedEventVersion,
    integration_event,
    registry,
)

__all__ = [
    "EventRegistry",
    "IntegrationEvent",
    "UnknownEventType",
    "UnsupportedEventVersion",
    "applications",
    "archive",
    "contracts",
    "matching",
    "notifications",
    "payroll",
    "integration_event",
    "registry",
]
