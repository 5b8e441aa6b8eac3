"""The consumer side against the real broker and PostgreSQL: duplicates, dead letters, unknown types,
old versions and stale offsets, on a topic and database of the test's own."""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date
from uuid import uuid4

import asyncpg
import orjson
import psycopg
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from faststream.kafka import KafkaBroker

from brobygger_shared import metrics
from brobygger_shared.consumer import EventConsumer, make_broker
from brobygger_shared.events import registry
from brobygger_shared.events.applications import VolunteerApplicationReceived
from brobygger_shared.messages import Envelope
from brobygger_shared.projection import Projection
from brobygger_dev.runtime.stack import with_database
from brobygger_shared.settings import ServiceSettings
from brobygger_shared.topics import dlq_topic, ensure_topics
from brobygger_shared.tracking import ReadModelTracking

pytestmark = pytest.mark.stack


class Volunteers(Projection):
    schema = "CREATE TABLE IF NOT EXISTS volunteers (volunteer_id uuid PRIMARY KEY, languages text[] NOT NULL)"

    def __init__(self, topic: str) -> None:
        super().__init__()
        self.name = "test.volunteers"
        self.topics = [topic]

        @self.on(VolunteerApplicationReceived)
        async def insert(connection, batch):
            await connection.executemany(
                "INSERT INTO volunteers VALUES ($1, $2)", [(d.event.volunteer_id, d.event.languages) for d in batch]
            )


def received(**changes) -> VolunteerApplicationReceived:
    return VolunteerApplicationReceived(
        aggregate_id=uuid4(), volunteer_id=uuid4(), full_name="Test Testesen", birth_date=date(1990, 1, 1),
        roles=["støttekontakt"], area="Sentrum", **changes,
    )


def envelope(event, position: int, previous: int) -> Envelope:
    return Envelope(event, "test", position, previous, correlation_id="c", causation_id="c")


@dataclass
class Harness:
    topic: str
    database_url: str
    bootstrap: str
    producer: AIOKafkaProducer
    consumer: EventConsumer | None = None
    broker: KafkaBroker | None = None
    sinks: list[ReadModelTracking] = field(default_factory=list)

    async def send(self, value: bytes, headers: list, partition: int = 0, key: bytes = b"k") -> None:
        await self.producer.send_and_wait(self.topic, value, key=key, partition=partition, headers=headers)

    async def send_envelope(self, item: Envelope, partition: int = 0) -> None:
        await self.send(item.value, item.headers, partition, item.key)

    async def start_consumer(self, group: str) -> None:
        settings = ServiceSettings(
            service_name="kerneltest", database_url=self.database_url, kafka_bootstrap_servers=self.bootstrap,
            consumer_group=group, topic_partitions=2,
        )
        self.broker = make_broker(settings)
        sink = ReadModelTracking(self.database_url, Volunteers(self.topic))
        await sink.setup()
        self.sinks.append(sink)
        self.consumer = EventConsumer(self.broker, sink, registry, settings)
        await self.broker.start()

    async def rows(self) -> dict:
        connection = await asyncpg.connect(self.database_url)
        try:
            return {row[0]: row[1] for row in await connection.fetch("SELECT volunteer_id, languages FROM volunteers")}
        finally:
            await connection.close()

    async def wait_for_rows(self, count: int, timeout: float = 30) -> dict:
        for _ in range(int(timeout * 10)):
            rows = await self.rows()
            if len(rows) >= count:
                return rows
            await asyncio.sleep(0.1)
        raise AssertionError(f"{len(rows)} rows, expected {count}")

    async def dead_letters(self, count: int) -> list:
        reader = AIOKafkaConsumer(bootstrap_servers=self.bootstrap, auto_offset_reset="earliest")
        await reader.start()
        try:
            reader.assign([TopicPartition(dlq_topic(self.topic), p) for p in range(2)])
            found = []
            for _ in range(50):
                batches = await reader.getmany(timeout_ms=200)
                found += [record for records in batches.values() for record in records]
                if len(found) >= count:
                    break
            return found
        finally:
            await reader.stop()


@pytest.fixture
async def harness(stack) -> AsyncIterator[Harness]:
    name = f"t{uuid4().hex[:10]}"
    topic = f"test.{name}.events"
    await ensure_topics(stack.kafka_bootstrap_servers, [topic, dlq_topic(topic)], 2)
    with psycopg.connect(with_database(stack.postgres_url, "postgres"), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    producer = AIOKafkaProducer(bootstrap_servers=stack.kafka_bootstrap_servers, acks="all")
    await producer.start()
    harness = Harness(topic, with_database(stack.postgres_url, name), stack.kafka_bootstrap_servers, producer)
    yield harness
    await producer.stop()
    if harness.broker:
        await harness.broker.stop()
    for sink in harness.sinks:
        await sink.close()


async def test_the_same_messages_published_twice_change_the_projection_once(harness):
    items = [envelope(received(), position, position - 1 if position > 1 else 0) for position in range(1, 6)]
    for item in items + items:
        await harness.send_envelope(item)
    await harness.send_envelope(envelope(received(), 6, 5))
    await harness.start_consumer(f"g-{uuid4()}")

    rows = await harness.wait_for_rows(6)

    assert len(rows) == 6
    assert harness.consumer.applied == 6


async def test_a_consumer_that_rereads_everything_applies_nothing_twice(harness):
    for position in range(1, 4):
        await harness.send_envelope(envelope(received(), position, position - 1))
    await harness.start_consumer("first")
    await harness.wait_for_rows(3)
    await harness.broker.stop()

    await harness.start_consumer("second-reads-from-the-start")
    await harness.send_envelope(envelope(received(), 4, 3))
    await harness.wait_for_rows(4)

    assert harness.consumer.applied == 1


async def test_a_poison_message_goes_to_the_dlq_and_the_partition_moves_on(harness):
    await harness.send(b"\x00 not json at all", headers=[])
    await harness.send(b"{broken", headers=envelope(received(), 1, 0).headers)
    after = received()
    await harness.send_envelope(envelope(after, 2, 1))
    await harness.start_consumer(f"g-{uuid4()}")

    rows = await harness.wait_for_rows(1)
    dead = await harness.dead_letters(2)

    assert list(rows) == [after.volunteer_id]
    assert len(dead) == 2
    errors = [dict(record.headers)["dlq_error"].decode() for record in dead]
    assert "event_type" in errors[0]  # no headers at all
    assert errors[1]  # a body that is not JSON
    assert dead[0].value == b"\x00 not json at all"


async def test_a_handler_that_keeps_failing_sends_its_message_to_the_dlq(harness):
    first, clash, after = received(), received(), received()
    clash = clash.model_copy(update={"volunteer_id": first.volunteer_id})  # primary key violation, every time
    await harness.send_envelope(envelope(first, 1, 0))
    await harness.send_envelope(envelope(clash, 2, 1))
    await harness.send_envelope(envelope(after, 3, 2))
    await harness.start_consumer(f"g-{uuid4()}")

    rows = await harness.wait_for_rows(2)
    dead = await harness.dead_letters(1)

    assert set(rows) == {first.volunteer_id, after.volunteer_id}
    assert "UniqueViolation" in dict(dead[0].headers)["dlq_error"].decode()


async def test_unknown_event_types_are_skipped_and_counted(harness):
    unknown = envelope(received(), 1, 0)
    headers = [(name, b"SomethingFromTheFuture" if name == "event_type" else value) for name, value in unknown.headers]
    before = metrics.UNKNOWN_SKIPPED.labels(harness.topic, "SomethingFromTheFuture")._value.get()
    await harness.send(b'{"whatever": 1}', headers)
    after = received()
    await harness.send_envelope(envelope(after, 2, 1))
    await harness.start_consumer(f"g-{uuid4()}")

    rows = await harness.wait_for_rows(1)

    assert list(rows) == [after.volunteer_id]
    assert metrics.UNKNOWN_SKIPPED.labels(harness.topic, "SomethingFromTheFuture")._value.get() == before + 1


async def test_an_event_written_in_version_1_is_upcast_on_read(harness):
    current = received()
    v1 = {key: value for key, value in current.model_dump(mode="json").items() if key != "languages"}
    v1["language"] = "polsk"
    headers = [(name, b"1" if name == "event_version" else value) for name, value in envelope(current, 1, 0).headers]
    await harness.send(orjson.dumps(v1), headers)
    await harness.start_consumer(f"g-{uuid4()}")

    rows = await harness.wait_for_rows(1)

    assert rows[current.volunteer_id] == ["polsk"]


async def test_a_consumer_resuming_past_a_message_it_never_applied_rereads_the_partition(harness):
    events = [received() for _ in range(3)]
    for position, event in enumerate(events, start=1):
        await harness.send_envelope(envelope(event, position, position - 1))
    group = f"g-{uuid4()}"
    stale = AIOKafkaConsumer(bootstrap_servers=harness.bootstrap, group_id=group, enable_auto_commit=False)
    await stale.start()
    partition = TopicPartition(harness.topic, 0)
    stale.assign([partition])
    await stale.commit({partition: 2})  # as if offsets 0 and 1 had been consumed: they were not
    await stale.stop()

    await harness.start_consumer(group)
    rows = await harness.wait_for_rows(3)

    assert set(rows) == {event.volunteer_id for event in events}
