"""The relay: follows a service's events table (the outbox) and publishes integration events.

At-least-once, in position order. The position, and per partition the last position and the next
offset, are stored in the service's own database only after the broker acknowledged (acks=all).
It wakes on the NOTIFY the eventsourcing recorder sends on insert, so latency is not a poll interval.

The broker is a transport, not the source of truth: when it returns an offset below one it already
acknowledged, or cannot show the last message published on a partition, it lost data (a memory
broker restarted, a topic deleted). The relay then recreates the topics and republishes from position 0;
consumers skip what they already applied.
"""

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import KafkaError, OffsetOutOfRangeError

from brobygger_shared import metrics
from brobygger_shared.eventstore import EventSourcedApplication, select_notifications
from brobygger_shared.events.base import IntegrationEvent
from brobygger_shared.logging import get_logger
from brobygger_shared.messages import Envelope, message_key
from brobygger_shared.relay_state import STATE_DDL, RelayState, load_state, store_state
from brobygger_shared.settings import ServiceSettings
from brobygger_shared.topics import ensure_topics, events_topic, partition_for
from brobygger_shared.tracing import Trace

ToIntegrationEvent = Callable[[Any], IntegrationEvent | None]

log = get_logger(__name__)

@dataclass
class InFlight:
    """A batch sent but not yet acknowledged."""

    position: int
    last_position: dict[int, int]
    sends: list[tuple[int, int, asyncio.Future]]  # partition, records, acknowledgement


class BrokerLostData(Exception):
    pass


# How long each read-back of the last published message may wait, one entry per attempt: a partition
# whose message the broker has not shown after all of them counts as lost (see `_check_broker`).
READ_BACK_TIMEOUTS = (1.0, 2.0, 4.0)


class Relay:
    def __init__(
        self,
        app: EventSourcedApplication,
        to_integration_event: ToIntegrationEvent,
        settings: ServiceSettings,
    ) -> None:
        self.app = app
        self.to_integration_event = to_integration_event
        self.settings = settings
        self.topic = events_topic(settings.service_name)
        self.partitions = settings.topic_partitions
        self.published = 0
        self._wake = asyncio.Event()
        self._connections: list[asyncpg.Connection] = []
        self._producer: AIOKafkaProducer | None = None
        self._offsets_client: AIOKafkaConsumer | None = None
        # partition -> (the next offset it was read back at, read-backs in a row that showed nothing)
        self._unconfirmed: dict[int, tuple[int, int]] = {}
        self.ready = asyncio.Event()

    # -- lifecycle -------------------------------------------------------------------------------

    async def run(self) -> None:
        try:
            await self._start()
            state = await load_state(self._connections[0], self.topic)
            self.ready.set()
            await self._follow(state)
        finally:
            await self._close()

    async def _start(self) -> None:
        lock = await asyncpg.connect(self.settings.database_url)
        self._connections.append(lock)
        await lock.execute(STATE_DDL)
        # One relay per service, however many replicas run: the others wait for the lock.
        await lock.execute("SELECT pg_advisory_lock(hashtext($1))", self.topic)
        listener = await asyncpg.connect(self.settings.database_url)
        self._connections.append(listener)
        await listener.add_listener(self.app.notification_channel, lambda *_: self._wake.set())
        await self._connect_broker()

    async def _connect_broker(self) -> None:
        while True:
            try:
                await ensure_topics(self.settings.kafka_bootstrap_servers, [self.topic], self.partitions)
                self._producer = AIOKafkaProducer(
                    bootstrap_servers=self.settings.kafka_bootstrap_servers,
                    acks="all",
                    enable_idempotence=self.settings.kafka_idempotence,
                    linger_ms=1,
                    max_batch_size=256 * 1024,
                    request_timeout_ms=10_000,
                )
                await self._producer.start()
                await self._start_offsets_client()
                return
            except (KafkaError, OSError) as error:
                log.warning("relay.broker_unavailable", topic=self.topic, error=str(error))
                await self._close_broker()
                await asyncio.sleep(1)

    async def _start_offsets_client(self) -> None:
        """The client that reads published messages back (no group: it only seeks and fetches)."""
        client = AIOKafkaConsumer(
            bootstrap_servers=self.settings.kafka_bootstrap_servers,
            auto_offset_reset="none",
            enable_auto_commit=False,
            fetch_max_wait_ms=50,
        )
        try:
            await client.start()
        except BaseException:
            await _stop_quietly(client)
            raise
        self._offsets_client = client

    async def _close_offsets_client(self) -> None:
        client, self._offsets_client = self._offsets_client, None
        await _stop_quietly(client)

    async def _close_broker(self) -> None:
        await _stop_quietly(self._producer)
        self._producer = None
        await self._close_offsets_client()

    async def _close(self) -> None:
        await self._close_broker()
        for connection in self._connections:
            await connection.close()
        self._connections.clear()

    # -- the loop --------------------------------------------------------------------------------

    async def _follow(self, state: RelayState) -> None:
        """Publish batch after batch. One batch is in flight while the next is read and sent: its
        acknowledgements are awaited, and its position stored, only after the next one went out."""
        loop = asyncio.get_running_loop()
        next_check = 0.0
        in_flight: InFlight | None = None
        while True:
            try:
                self._wake.clear()
                sent = in_flight or state
                notifications = await select_notifications(
                    self.app, self._connections[0], sent.position + 1, self.settings.relay_batch_size)
                if notifications:
                    batch = await self._send(notifications, sent.last_position)
                    if in_flight is not None:
                        state = await self._confirm(state, in_flight)
                    in_flight = batch
                    continue
                if in_flight is not None:
                    state, in_flight = await self._confirm(state, in_flight), None
                    continue
                # Idle: the moment to look for a broker that lost data while nothing was sent.
                if loop.time() >= next_check:
                    await self._check_broker(state)
                    next_check = loop.time() + self.settings.relay_broker_check_seconds
                await self._update_backlog(state)
                try:
                    await asyncio.wait_for(self._wake.wait(), timeout=self.settings.relay_broker_check_seconds)
                except TimeoutError:
                    pass
            except BrokerLostData as lost:
                in_flight = None
                log.warning("relay.broker_lost_data", topic=self.topic, detail=str(lost))
                metrics.RELAY_REPUBLISHES.labels(self.topic).inc()
                await self._recreate_topic_if_missing()
                self._unconfirmed.clear()
                state = RelayState()
                await store_state(self._connections[0], self.topic, state)
            except (KafkaError, OSError, TimeoutError) as error:
                in_flight = None  # sent again from the stored position: at-least-once
                log.warning("relay.publish_failed", topic=self.topic, error=repr(error))
                await asyncio.sleep(0.5)
                await self._recreate_topic_if_missing()
                if self._producer is None:
                    await self._connect_broker()

    async def _send(self, notifications: Sequence[Any], last_position: dict[int, int]) -> "InFlight":
        """Map a batch of notifications and send them as record batches, one or more per partition."""
        assert self._producer is not None
        producer = self._producer
        mapper = self.app.mapper
        last_position = dict(last_position)
        builders: dict[int, tuple[Any, int]] = {}  # partition -> (record batch being filled, its size)
        sends: list[tuple[int, int, asyncio.Future]] = []

        async def submit(partition: int) -> None:
            builder, count = builders.pop(partition)
            future = await producer.send_batch(builder, self.topic, partition=partition)
            # A batch abandoned after an error is never awaited: keep its failure from being reported twice.
            future.add_done_callback(lambda done: done.cancelled() or done.exception())
            sends.append((partition, count, future))

        for notification in notifications:
            domain_event, trace = mapper.to_domain_event_and_trace(notification)
            integration_event = self.to_integration_event(domain_event)
            if integration_event is None:
                continue
            trace = trace or Trace.new()
            key = message_key(integration_event)
            partition = partition_for(key, self.partitions)
            envelope = Envelope(
                event=integration_event,
                source=self.settings.service_name,
                source_position=notification.id,
                previous_position=last_position.get(partition, 0),
                correlation_id=trace.correlation_id,
                causation_id=trace.causation_id,
            )
            last_position[partition] = notification.id
            record = dict(timestamp=None, key=key, value=envelope.value, headers=envelope.headers)
            if partition in builders and builders[partition][0].append(**record) is not None:
                builders[partition] = (builders[partition][0], builders[partition][1] + 1)
                continue
            if partition in builders:  # full: send it and start the next
                await submit(partition)
            builder = producer.create_batch()
            builder.append(**record)
            builders[partition] = (builder, 1)
        for partition in list(builders):
            await submit(partition)
        return InFlight(notifications[-1].id, last_position, sends)

    async def _confirm(self, state: RelayState, batch: "InFlight") -> RelayState:
        """Wait for the broker to acknowledge a batch, then store the position after it."""
        next_offset = dict(state.next_offset)
        published = 0
        for partition, count, future in batch.sends:
            base_offset = (await future).offset
            if base_offset < state.next_offset.get(partition, 0):
                raise BrokerLostData(
                    f"partition {partition} gave offset {base_offset}, "
                    f"below {state.next_offset[partition]} already acknowledged"
                )
            next_offset[partition] = max(next_offset.get(partition, 0), base_offset + count)
            published += count
        new_state = RelayState(batch.position, batch.last_position, next_offset)
        await store_state(self._connections[0], self.topic, new_state)
        self.published += published
        metrics.RELAY_PUBLISHED.labels(self.topic).inc(published)
        return new_state

    async def _check_broker(self, state: RelayState) -> None:
        """Raise BrokerLostData if the broker cannot show the last message published on a partition.

        Every partition with a stored next offset had its messages acknowledged with acks=all, so a
        healthy broker holds the one at next offset - 1, however few the service published. It is
        lost when the topic is gone, when the broker answers that the offset is out of range, when
        another message sits there, or when the broker shows nothing there (a broker restarted
        empty, or a log that now ends below what was published, answers a fetch with no records and
        no error: Tansu does exactly that).

        It reads that one message back rather than comparing end offsets: Tansu reports a
        partition's end as the first offset of its last record batch, short of the true end.

        Nothing shown is not proof on its own: the fetch may just be slow (a client still
        reconnecting after the broker came back, a loaded machine), and a healthy broker would then
        be taken for an empty one. So a partition is read back again at the next checks, each time
        with a new client and a longer wait (`READ_BACK_TIMEOUTS`), and counts as lost only when
        every attempt showed nothing. The bound is what keeps a broker that restarted empty from
        going unnoticed forever: a relay with no new event to send has no other way to notice. Its
        cost is small either way: a message the broker holds comes back in milliseconds, so several
        empty answers over seconds, from fresh connections, mean the broker cannot show it; and if
        a broker that slow did hold it after all, republishing from position 0 only sends
        duplicates, which consumers skip by their tracking marks.
        """
        if not state.next_offset:
            return  # nothing published yet: nothing the broker could have lost
        if self._offsets_client is None:
            await self._start_offsets_client()
        client = self._offsets_client
        assert client is not None
        # Asked first: reading from a topic that is gone would make Tansu create it again with its own
        # partition count, where the relay creates it with the fixed one.
        if self.topic not in await client.topics():
            raise BrokerLostData(f"topic {self.topic} is gone")
        # Misses count in a row for the same offset: a partition published to since starts again.
        self._unconfirmed = {partition: (offset, misses) for partition, (offset, misses) in self._unconfirmed.items()
                             if state.next_offset.get(partition) == offset}
        attempt = max((misses for _, misses in self._unconfirmed.values()), default=0)

        partitions = {partition: TopicPartition(self.topic, partition) for partition in state.next_offset}
        client.assign(list(partitions.values()))
        for partition, next_offset in state.next_offset.items():
            client.seek(partitions[partition], next_offset - 1)
        shown = await self._read_back(client, set(partitions.values()), READ_BACK_TIMEOUTS[attempt])

        missing = []
        for partition, next_offset in state.next_offset.items():
            record = shown.get(partitions[partition])
            expected = str(state.last_position.get(partition, 0)).encode()
            if record is None:
                missing.append(partition)
                misses = self._unconfirmed.get(partition, (next_offset, 0))[1] + 1
                self._unconfirmed[partition] = (next_offset, misses)
            elif record.offset != next_offset - 1 or dict(record.headers).get("source_position") != expected:
                raise BrokerLostData(f"partition {partition} holds another message at offset {next_offset - 1}")
            else:
                self._unconfirmed.pop(partition, None)
        if not missing:
            return
        gave_up = [partition for partition in missing if self._unconfirmed[partition][1] >= len(READ_BACK_TIMEOUTS)]
        if gave_up:
            raise BrokerLostData(
                f"partitions {sorted(gave_up)} showed nothing at their last published offsets "
                f"in {len(READ_BACK_TIMEOUTS)} read-backs"
            )
        log.warning("relay.broker_check_inconclusive", topic=self.topic, partitions=sorted(missing),
                    attempt=attempt + 1, of=len(READ_BACK_TIMEOUTS))
        # The next attempt starts from a new connection, so a client wedged since the broker went
        # away cannot be what makes a healthy broker look empty.
        await self._close_offsets_client()

    async def _read_back(self, client: AIOKafkaConsumer, partitions: set[TopicPartition],
                         timeout: float) -> dict[TopicPartition, Any]:
        """The first message fetched from each partition (from where it was sought to), within timeout."""
        shown: dict[TopicPartition, Any] = {}
        deadline = time.monotonic() + timeout
        while len(shown) < len(partitions) and (remaining := deadline - time.monotonic()) > 0:
            try:
                batches = await client.getmany(timeout_ms=max(int(remaining * 1000), 1))
            except OffsetOutOfRangeError as error:
                raise BrokerLostData(f"the broker no longer has {error}") from None
            for topic_partition, records in batches.items():
                if records and topic_partition in partitions:
                    shown.setdefault(topic_partition, records[0])
        return shown

    async def _recreate_topic_if_missing(self) -> None:
        try:
            await ensure_topics(self.settings.kafka_bootstrap_servers, [self.topic], self.partitions)
        except (KafkaError, OSError) as error:
            log.warning("relay.broker_unavailable", topic=self.topic, error=repr(error))

    async def _update_backlog(self, state: RelayState) -> None:
        newest = await asyncio.to_thread(self.app.recorder.max_notification_id) or 0
        metrics.RELAY_BACKLOG.labels(self.topic).set(max(newest - state.position, 0))

async def _stop_quietly(client: AIOKafkaProducer | AIOKafkaConsumer | None) -> None:
    if client is not None:
        try:
            await asyncio.wait_for(client.stop(), timeout=5)
        except Exception:  # noqa: BLE001 - a half-dead client must not stop shutdown
            pass
