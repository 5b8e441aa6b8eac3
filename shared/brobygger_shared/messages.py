"""The Kafka message around an integration event: key, value and headers (docs/architecture.md, the event path).

Besides the headers docs/architecture.md names, each message carries `previous_position`: the source position
of the message published before it on the same partition. A consumer that sees a previous position
above what it has applied knows it missed something (for example, the broker lost data and it
resumed at a stale offset) and re-reads the partition from the start; tracking skips what it has.
"""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from brobygger_shared.events.base import EventRegistry, IntegrationEvent
from brobygger_shared.shredding import seal_message


def message_key(event: IntegrationEvent) -> bytes:
    """The Kafka key: the aggregate id, so one aggregate's events keep their order on one partition."""
    return str(event.aggregate_id).encode()


class UndecodableMessage(ValueError):
    """A message without the headers or body an integration event needs."""


@dataclass(frozen=True)
class Envelope:
    event: IntegrationEvent
    source: str
    source_position: int
    previous_position: int
    correlation_id: str
    causation_id: str

    @property
    def key(self) -> bytes:
        return message_key(self.event)

    @property
    def value(self) -> bytes:
        return seal_message(self.event)  # personal fields sealed under their person's key

    @property
    def headers(self) -> list[tuple[str, bytes]]:
        event = self.event
        return [
            ("event_type", event.event_type.encode()),
            ("event_version", str(event.event_version).encode()),
            ("event_id", str(event.event_id).encode()),
            ("source", self.source.encode()),
            ("source_position", str(self.source_position).encode()),
            ("previous_position", str(self.previous_position).encode()),
            ("occurred_at", event.occurred_at.isoformat().encode()),
            ("correlation_id", self.correlation_id.encode()),
            ("causation_id", self.causation_id.encode()),
        ]


@dataclass(frozen=True)
class MessageMeta:
    """What a consumer knows of a message before it decodes the body."""

    event_type: str
    event_version: int
    event_id: UUID
    source: str
    source_position: int
    previous_position: int
    occurred_at: datetime
    correlation_id: str
    causation_id: str

    @classmethod
    def from_headers(cls, headers: list[tuple[str, bytes]] | tuple) -> "MessageMeta":
        values = {name: value.decode() for name, value in headers or ()}
        try:
            return cls(
                event_type=values["event_type"],
                event_version=int(values["event_version"]),
                event_id=UUID(values["event_id"]),
                source=values["source"],
                source_position=int(values["source_position"]),
                previous_position=int(values.get("previous_position", "0")),
                occurred_at=datetime.fromisoformat(values["occurred_at"]),
                correlation_id=values.get("correlation_id", ""),
                causation_id=values.get("causation_id", ""),
            )
        except (KeyError, ValueError) as error:
            raise UndecodableMessage(f"bad or missing header: {error}") from error


def decode_event(registry: EventRegistry, meta: MessageMeta, value: bytes) -> IntegrationEvent:
    try:
        return registry.decode(meta.event_type, meta.event_version, value)
    except ValueError as error:  # orjson and pydantic errors are ValueErrors
        raise UndecodableMessage(str(error)) from error
