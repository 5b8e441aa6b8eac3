"""Test support for the fast tier: a service's Application in memory (the eventsourcing library's
plain-object persistence, no PostgreSQL), the integration events it would publish, as the relay maps
them and the wire carries them, and those events delivered to another service's policy as its consumer
would deliver them. With these a test follows a use case across a seam in milliseconds."""

from collections.abc import Iterable
from datetime import UTC, datetime
from itertools import count
from typing import Any, TypeVar
from uuid import uuid4

from eventsourcing.application import Application

from brobygger_shared.delivery import Delivered
from brobygger_shared.events import registry
from brobygger_shared.events.base import IntegrationEvent
from brobygger_shared.messages import MessageMeta

A = TypeVar("A", bound=Application)

IN_MEMORY = {"PERSISTENCE_MODULE": "eventsourcing.popo"}


def in_memory(application_class: type[A], settings: Any) -> A:
    """The service's Application with its events kept in memory."""
    return application_class(settings, env=IN_MEMORY)


def domain_events(app: Application, since: int = 0) -> list[Any]:
    """Every event the application stored after notification `since`, oldest first, as the relay reads them."""
    return [app.mapper.to_domain_event(n) for n in app.recorder.select_notifications(start=since + 1, limit=100_000)]


def on_the_wire(event: IntegrationEvent) -> IntegrationEvent:
    """The event as a consumer decodes it from the message the relay sends (JSON, by type and version)."""
    return registry.decode(event.event_type, event.event_version, event.to_json())


def published(app: Application, to_integration_event, since: int = 0) -> list[IntegrationEvent]:
    """What the relay would publish of the application's events: each mapped by the service's
    `publishing.to_integration_event` (private ones give nothing), then sent and decoded."""
    events = (to_integration_event(domain_event) for domain_event in domain_events(app, since))
    return [on_the_wire(event) for event in events if event is not None]


_positions = count(1)


def delivered(event: IntegrationEvent, source: str = "test") -> Delivered:
    """The event as a consumer hands it to a policy: decoded, with the message's metadata."""
    position = next(_positions)
    return Delivered(on_the_wire(event), MessageMeta(
        event_type=event.event_type, event_version=event.event_version, event_id=event.event_id, source=source,
        source_position=position, previous_position=position - 1, occurred_at=datetime.now(UTC),
        correlation_id=str(uuid4()), causation_id=str(event.event_id)))


def of_type(events: Iterable[IntegrationEvent], kind: type[IntegrationEvent]) -> list:
    """The events of one type, in order."""
    return [event for event in events if isinstance(event, kind)]
