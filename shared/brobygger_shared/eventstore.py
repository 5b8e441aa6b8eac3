"""The write side every service shares: an eventsourcing Application on PostgreSQL whose stored
events remember the correlation and causation ids of the work that made them.
"""

import base64
from collections.abc import AsyncIterator, Sequence
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

import asyncpg
import orjson

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import JSONTranscoder, Mapper, Notification, StoredEvent, Transcoding
from eventsourcing.utils import get_topic

from brobygger_shared.settings import ServiceSettings
from brobygger_shared.shredding import open_key_vault, open_state, personal_data_of, seal_state
from brobygger_shared.tracing import Trace, current_trace

_TRACE_KEY = "_trace"

A = TypeVar("A")


def stamp_trace(domain_event: Any, trace: Trace) -> None:
    """Give one event its own trace, for batches whose events come from different work."""
    vars(domain_event)[_TRACE_KEY] = [trace.correlation_id, trace.causation_id]


class TracingMapper(Mapper):
    """Stores the current trace beside each event's state, and hands it back to the relay. Seals the
    personal fields an event class declares (brobygger_shared.shredding.PersonalData) on write, each
    value's transcoded JSON under its person's key, and opens them on read ("slettet" once erased; a
    value never sealed, written before encryption, is read as it is)."""

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        cls = type(domain_event)
        state = vars(domain_event)
        declared = personal_data_of(cls)
        if _TRACE_KEY in state and declared is None:
            return super().to_stored_event(domain_event)
        if _TRACE_KEY not in state:
            trace = current_trace()
            state = {**state, _TRACE_KEY: [trace.correlation_id, trace.causation_id]}
        if declared is not None:
            state = seal_state(cls, state, encode=self._encode_value)
        stamped = object.__new__(cls)
        object.__setattr__(stamped, "__dict__", state)
        return super().to_stored_event(stamped)

    def _encode_value(self, value: Any) -> str:
        return self.transcoder.encode(value).decode()

    def _decode_value(self, text: str) -> Any:
        return self.transcoder.decode(text.encode())

    def to_domain_event_and_trace(self, stored_event: StoredEvent) -> tuple[Any, Trace | None]:
        domain_event = super().to_domain_event(stored_event)
        cls = type(domain_event)
        if personal_data_of(cls) is not None:
            object.__setattr__(domain_event, "__dict__", open_state(cls, vars(domain_event), decode=self._decode_value))
        stored_trace = vars(domain_event).pop(_TRACE_KEY, None)
        trace = Trace(*stored_trace) if stored_trace else None
        return domain_event, trace

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        return self.to_domain_event_and_trace(stored_event)[0]


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class BytesAsBase64(Transcoding):
    type = bytes
    name = "bytes_base64"

    def encode(self, obj: bytes) -> str:
        return base64.b64encode(obj).decode()

    def decode(self, data: str) -> bytes:
        return base64.b64decode(data)


_NESTED = (dict, list)


class OrjsonDecodingTranscoder(JSONTranscoder):
    """The library's JSON format, read with orjson: the standard decoder took a third of the relay's
    time. Writing stays with the library's encoder, which knows the registered transcodings."""

    def decode(self, data: bytes) -> Any:
        return self._revive(orjson.loads(data))

    def _encode_obj(self, o: Any) -> dict[str, Any]:
        # asyncpg hands out its own UUID subclass; store it as the UUID it is.
        if isinstance(o, UUID) and type(o) is not UUID:
            o = UUID(str(o))
        return super()._encode_obj(o)

    def _revive(self, value: Any) -> Any:
        """Turn the library's {"_type_": ..., "_data_": ...} objects back into values, innermost first."""
        if type(value) is dict:
            if len(value) == 2 and "_type_" in value and "_data_" in value:
                data = value["_data_"]
                return self.names[value["_type_"]].decode(self._revive(data) if type(data) in _NESTED else data)
            return {key: self._revive(item) if type(item) in _NESTED else item for key, item in value.items()}
        if type(value) is list:
            return [self._revive(item) if type(item) in _NESTED else item for item in value]
        return value


class EventSourcedApplication(Application):
    """Base for each service's Application: PostgreSQL from settings, traced events."""

    def __init__(self, settings: ServiceSettings, env: dict[str, str] | None = None) -> None:
        self.settings = settings
        env = {**settings.database_dsn_parts, **(env or {})}
        if env["PERSISTENCE_MODULE"] == "eventsourcing.postgres":
            open_key_vault(settings)  # in memory (unit tests) keys stay in the process's in-memory vault
        super().__init__(env=env)

    def get_aggregate(self, aggregate_id: UUID, kind: type[A], not_found: type[Exception]) -> A:
        """The aggregate of this kind with this id; `not_found(aggregate_id)` when there is none, or
        when the id belongs to an aggregate of another kind."""
        try:
            aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise not_found(aggregate_id) from None
        if not isinstance(aggregate, kind):
            raise not_found(aggregate_id)
        return aggregate

    def construct_transcoder(self) -> JSONTranscoder:
        transcoder = OrjsonDecodingTranscoder()
        self.register_transcodings(transcoder)
        return transcoder

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
        transcoder.register(BytesAsBase64())

    def construct_mapper(self) -> Mapper:
        return self.factory.mapper(transcoder=self.construct_transcoder(), mapper_class=TracingMapper)

    @property
    def notification_channel(self) -> str:
        """The PostgreSQL channel the library NOTIFYs when events are inserted."""
        return self.recorder.channel_name


class ProcessingApplication(EventSourcedApplication):
    """An Application whose recorder also keeps tracking records, for handlers that consume
    integration events and record events of their own aggregates in the same transaction."""

    def construct_recorder(self):
        return self.factory.process_recorder()


def events_table(app: Application) -> str:
    """The application's events table, schema-qualified and quoted, for SQL of our own."""
    recorder = app.recorder
    return f'"{recorder.datastore.schema}"."{recorder.events_table_name}"'


_COLUMNS = "notification_id, originator_id, originator_version, topic, state"


def _notification(row: asyncpg.Record) -> Notification:
    # asyncpg hands out its own UUID subclass; the mapper expects the standard one.
    return Notification(id=row[0], originator_id=UUID(bytes=row[1].bytes), originator_version=row[2],
                        topic=row[3], state=row[4])


async def select_notifications(app: Application, connection: asyncpg.Connection, start: int,
                               limit: int) -> list[Notification]:
    """The recorder's select_notifications, on asyncpg: no worker thread and no per-row dicts, for
    the relay and the local read models, which read every event the service records."""
    rows = await connection.fetch(
        f"SELECT {_COLUMNS} FROM {events_table(app)} WHERE notification_id >= $1 ORDER BY notification_id LIMIT $2",
        start, limit,
    )
    return [_notification(row) for row in rows]


def stored_events_query(app: Application, event_types: Sequence[type]) -> tuple[str, list[str]]:
    """The SQL (and its one argument) that selects the stored events of these types, oldest first."""
    sql = f"SELECT {_COLUMNS} FROM {events_table(app)} WHERE topic = ANY($1::text[]) ORDER BY notification_id"
    return sql, [get_topic(event_type) for event_type in event_types]


async def read_stored_events(app: Application, connection: asyncpg.Connection, event_types: Sequence[type],
                             prefetch: int = 2000) -> AsyncIterator[tuple[int, Any]]:
    """Every stored event of these types with its position, oldest first, decoded by the application's
    mapper. For reads of the whole log (a rebuild): one cursor, without the recorder's page queries."""
    sql, topics = stored_events_query(app, event_types)
    async with connection.transaction(readonly=True, isolation="repeatable_read"):
        async for row in connection.cursor(sql, topics, prefetch=prefetch):
            yield row[0], app.mapper.to_domain_event(_notification(row))
