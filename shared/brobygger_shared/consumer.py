"""The consumer side: a faststream subscriber per service, applying each partition's batch to a
tracking sink in one transaction, committing Kafka offsets only after that transaction committed.

- duplicates (at or below the mark) are skipped; a gap (a message whose previous position was never
  applied) rewinds the partition to its start, which recovers from a broker that lost data;
- unknown event types and versions are skipped and counted;
- a message that cannot be decoded, or whose handler keeps failing, goes to `<topic>.dlq` with the
  error in its headers, and the partition moves on; database outages are waited out, not
  dead-lettered.
"""

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Sequence

import asyncpg
import psycopg
from aiokafka import TopicPartition
from aiokafka.errors import KafkaError
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.middlewares import AckPolicy

from brobygger_shared import metrics
from brobygger_shared.delivery import Incoming, Plan, decode_incoming, plan_batch
from brobygger_shared.events.base import EventRegistry
from brobygger_shared.logging import get_logger
from brobygger_shared.settings import ServiceSettings
from brobygger_shared.topics import dlq_topic
from brobygger_shared.tracking import TrackingSink
from brobygger_shared.tracing import Trace, traced

log = get_logger(__name__)

TRANSIENT_ERRORS = (OSError, asyncpg.PostgresConnectionError, asyncpg.InterfaceError, psycopg.OperationalError)


def make_broker(settings: ServiceSettings) -> KafkaBroker:
    """The faststream broker a service subscribes and dead-letters through.

    Its per-message "Received"/"Processed" lines go to DEBUG: at thousands of events a second they
    drown what matters; errors still reach the log.
    """
    return KafkaBroker(
        settings.kafka_bootstrap_servers, enable_idempotence=settings.kafka_idempotence, log_level=logging.DEBUG
    )


async def _records_decoded_by_the_handler(message: KafkaMessage) -> None:
    """Skip faststream's own body decoding: the handler decodes each record itself (headers, version,
    upcasting, DLQ on failure), so decoding every body twice only cost time."""
    return None


class EventConsumer:
    def __init__(
        self,
        broker: KafkaBroker,
        sink: TrackingSink,
        registry: EventRegistry,
        settings: ServiceSettings,
        group_id: str | None = None,
    ) -> None:
        self.broker = broker
        self.sink = sink
        self.registry = registry
        self.settings = settings
        self.group_id = group_id or settings.consumer_group or settings.service_name
        self.applied = 0
        self._rewound: set[tuple[str, int]] = set()  # partitions re-read from the start since their last progress
        self.subscriber = broker.subscriber(
            *sink.topics,
            group_id=self.group_id,
            batch=True,
            max_records=settings.consumer_batch_max_records,
            batch_timeout_ms=settings.consumer_fetch_max_wait_ms,
            fetch_max_wait_ms=settings.consumer_fetch_max_wait_ms,
            auto_offset_reset="earliest",
            session_timeout_ms=settings.consumer_session_timeout_ms,
            heartbeat_interval_ms=settings.consumer_heartbeat_interval_ms,
            ack_policy=AckPolicy.MANUAL,
            decoder=_records_decoded_by_the_handler,
            title=f"{self.group_id}:{','.join(sink.topics)}",
        )
        self.subscriber(self._on_batch)

    async def _on_batch(self, message: KafkaMessage) -> None:
        by_partition: dict[tuple[str, int], list[Incoming]] = defaultdict(list)
        for record in message.raw_message:
            incoming = decode_incoming(
                self.registry, record.topic, record.partition, record.offset, record.key, record.value, record.headers
            )
            by_partition[(record.topic, record.partition)].append(incoming)
        for (topic, partition), batch in by_partition.items():
            await self._process_partition(topic, partition, batch)
            self._record_lag(topic, partition, batch[-1].offset)
        try:
            await message.ack()
        except KafkaError as error:
            # Offsets are a shortcut, not the truth: tracking in the database skips what was applied.
            log.warning("consumer.commit_failed", error=repr(error))

    async def _process_partition(self, topic: str, partition: int, batch: list[Incoming]) -> None:
        for incoming in batch:
            if incoming.error is not None:
                await self._dead_letter(incoming, incoming.error)
        started = time.perf_counter()
        try:
            plan = await self._apply(topic, partition, batch)
        except Exception as error:  # noqa: BLE001 - a handler bug must not stop the partition
            log.warning("consumer.batch_failed", topic=topic, partition=partition, error=repr(error))
            plan = await self._apply_one_by_one(topic, partition, batch)
        metrics.HANDLER_LATENCY.labels(topic).observe(time.perf_counter() - started)
        if plan.rewind:
            self._rewound.add((topic, partition))
            await self._rewind(topic, partition)
        elif plan.advances:
            self._rewound.discard((topic, partition))

    async def _apply(self, topic: str, partition: int, batch: Sequence[Incoming]) -> Plan:
        """Apply a batch, waiting out database outages; other errors are the caller's."""
        while True:
            try:
                pass_over_gaps = (topic, partition) in self._rewound
                plan = await self.sink.apply(topic, partition, lambda mark, gaps=pass_over_gaps: plan_batch(mark, batch, gaps))
            except TRANSIENT_ERRORS as error:
                log.warning("consumer.database_unavailable", topic=topic, error=repr(error))
                await asyncio.sleep(1)
                continue
            self._count(topic, plan)
            return plan

    async def _apply_one_by_one(self, topic: str, partition: int, batch: list[Incoming]) -> Plan:
        plan = Plan()
        for incoming in batch:
            for attempt in range(1, self.settings.consumer_max_attempts + 1):
                try:
                    with traced(Trace(incoming.meta.correlation_id, str(incoming.meta.event_id))) \
                            if incoming.meta else traced(Trace.new()):
                        plan = await self._apply(topic, partition, [incoming])
                    break
                except Exception as error:  # noqa: BLE001
                    last_error = error
                    await asyncio.sleep(0.05 * attempt)
            else:
                await self._dead_letter(incoming, repr(last_error))
                passed_over = Incoming(**{**incoming.__dict__, "event": None, "error": repr(last_error)})
                plan = await self._apply(topic, partition, [passed_over])
            if plan.rewind:
                return plan
        return plan

    def _count(self, topic: str, plan: Plan) -> None:
        self.applied += len(plan.apply)
        metrics.MESSAGES_APPLIED.labels(topic).inc(len(plan.apply))
        if plan.duplicates:
            metrics.DUPLICATES_SKIPPED.labels(topic).inc(plan.duplicates)
        for incoming in plan.unknown:
            if incoming.unknown:
                metrics.UNKNOWN_SKIPPED.labels(topic, incoming.meta.event_type).inc()

    async def _dead_letter(self, incoming: Incoming, error: str) -> None:
        headers = {name: value.decode(errors="replace") for name, value in incoming.headers}
        headers.update(
            dlq_error=error[:1000],
            dlq_source_topic=incoming.topic,
            dlq_source_partition=str(incoming.partition),
            dlq_source_offset=str(incoming.offset),
            dlq_consumer=self.group_id,
        )
        await self.broker.publish(
            incoming.value or b"", topic=dlq_topic(incoming.topic), key=incoming.key, headers=headers
        )
        metrics.DLQ_MESSAGES.labels(incoming.topic).inc()
        log.error("consumer.dead_lettered", topic=incoming.topic, partition=incoming.partition,
                  offset=incoming.offset, error=error[:200])

    async def _rewind(self, topic: str, partition: int) -> None:
        log.warning("consumer.gap_rewind", topic=topic, partition=partition)
        metrics.PARTITION_REWINDS.labels(topic).inc()
        consumer = self.subscriber.consumer
        if consumer is not None:
            await consumer.seek_to_beginning(TopicPartition(topic, partition))

    def _record_lag(self, topic: str, partition: int, last_offset: int) -> None:
        consumer = self.subscriber.consumer
        highwater = consumer.highwater(TopicPartition(topic, partition)) if consumer else None
        if highwater is not None:
            metrics.CONSUMER_LAG.labels(topic, str(partition)).set(max(highwater - last_offset - 1, 0))
