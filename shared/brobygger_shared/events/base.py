"""The published language: versioned integration events, their registry, codec and upcasters.

An integration event is a pydantic model with a fixed `event_type` and `event_version`. Only the
newest version of each type is a model; an older version is a chain of upcasters (dict -> dict), so
a message written by an older producer is read as the newest version and never rewritten.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, ClassVar
from uuid import UUID, uuid4

import orjson
from pydantic import BaseModel, ConfigDict, Field

from brobygger_shared.shredding import forget_keys, open_message, personal_data_of

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


class IntegrationEvent(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    event_type: ClassVar[str]
    event_version: ClassVar[int] = 1

    event_id: UUID = Field(default_factory=uuid4)
    occurred_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    aggregate_id: UUID

    def to_json(self) -> bytes:
        return self.model_dump_json().encode()


class UnknownEventType(LookupError):
    """No model for this event type: a newer producer, or a type this build does not know."""


class UnsupportedEventVersion(LookupError):
    """A version with no upcaster path to the current model (for example, a newer version)."""


class EventRegistry:
    def __init__(self) -> None:
        self._models: dict[str, type[IntegrationEvent]] = {}
        self._upcasters: dict[tuple[str, int], Upcaster] = {}

    def register(self, model: type[IntegrationEvent]) -> type[IntegrationEvent]:
        existing = self._models.get(model.event_type)
        if existing is not None and existing is not model:
            raise ValueError(f"event type {model.event_type} is registered twice")
        self._models[model.event_type] = model
        return model

    def upcaster(self, event_type: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
        """Register a function that turns version `from_version` of a payload into the next one."""

        def decorate(function: Upcaster) -> Upcaster:
            self._upcasters[(event_type, from_version)] = function
            return function

        return decorate

    def model_for(self, event_type: str) -> type[IntegrationEvent]:
        try:
            return self._models[event_type]
        except KeyError:
            raise UnknownEventType(event_type) from None

    def knows(self, event_type: str) -> bool:
        return event_type in self._models

    def decode(self, event_type: str, version: int, payload: bytes | dict[str, Any]) -> IntegrationEvent:
        event = self._decoded(event_type, version, payload)
        if event.event_type == "PersonErased":  # every reader asks the vault again for these persons
            forget_keys([*getattr(event, "case_ids", ()), *getattr(event, "volunteer_ids", ())])
        return event

    def _decoded(self, event_type: str, version: int, payload: bytes | dict[str, Any]) -> IntegrationEvent:
        model = self.model_for(event_type)
        if version > model.event_version:
            raise UnsupportedEventVersion(f"{event_type} v{version} is newer than v{model.event_version}")
        declared = personal_data_of(model)
        if version == model.event_version and isinstance(payload, bytes | bytearray) and declared is None:
            return model.model_validate_json(payload)  # pydantic-core parses and validates in one pass
        data = orjson.loads(payload) if isinstance(payload, bytes | bytearray) else dict(payload)
        while version < model.event_version:
            try:
                data = self._upcasters[(event_type, version)](data)
            except KeyError:
                raise UnsupportedEventVersion(f"no upcaster for {event_type} v{version}") from None
            version += 1
        return model.model_validate(open_message(model, data) if declared is not None else data)

    def models(self) -> list[type[IntegrationEvent]]:
        return sorted(self._models.values(), key=lambda model: model.event_type)

    def json_schemas(self) -> dict[str, dict[str, Any]]:
        schemas = {}
        for model in self.models():
            schema = model.model_json_schema()
            schema["x-event-type"] = model.event_type
            schema["x-event-version"] = model.event_version
            schemas[f"{model.event_type}.v{model.event_version}"] = schema
        return schemas


registry = EventRegistry()
integration_event = registry.register
