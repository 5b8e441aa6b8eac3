"""Reading the event log: every `brobygger.<service>.events` topic from offset 0 to its end, as Arrow
record batches of the messages' headers and bodies (not yet decoded).

No consumer group: the partitions are assigned, sought to the beginning and read to the end, so a
replay commits nothing. The end: every partition has reached the end offset the broker gave at the
start, and then one more fetch brings nothing new. The end offsets alone are not enough: Tansu
reports an end before the last records of a partition's last batch (a replay that stopped there
lost a few records per partition), so they are a lower bound, and the fetch that brings nothing
is the end. Events published while a replay runs may or may not be in it.
"""

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pyarrow as pa
from aiokafka import AIOKafkaConsumer, TopicPartition

EVENTS_TOPIC = re.compile(r"brobygger\.[a-z0-9_]+\.events")

LANDING_SCHEMA = pa.schema([
    ("topic", pa.string()),
    ("partition", pa.int32()),
    ("offset", pa.int64()),
    ("event_type", pa.string()),
    ("event_version", pa.string()),
    ("occurred_at", pa.string()),
    ("value", pa.string()),
])


@dataclass
class LogRead:
    topics: list[str] = field(default_factory=list)
    messages: int = 0
    expected: int = 0
    short: dict[str, int] = field(default_factory=dict)  # partition -> messages missing at the end
    seconds: float = 0.0
    waiting_seconds: float = 0.0  # spent handing batches to the sink (waiting for it when it is behind)


async def read_log(
    bootstrap_servers: str,
    sink: Callable[[pa.RecordBatch], None],
    progress: Callable[[int, int], None] = lambda done, total: None,
    batch_rows: int = 50_000,
    idle_seconds: float = 10.0,
    drain_ms: int = 500,
) -> LogRead:
    """Read every events topic from its beginning to the end offsets seen at the start; hand each
    batch of `batch_rows` messages to `sink`. `progress(done, total)` is called after each fetch."""
    started = time.perf_counter()
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers, group_id=None, enable_auto_commit=False,
        auto_offset_reset="earliest", fetch_max_wait_ms=20, fetch_max_bytes=64 * 1024 * 1024,
        max_partition_fetch_bytes=16 * 1024 * 1024,
    )
    await consumer.start()
    read = LogRead()
    try:
        read.topics = sorted(topic for topic in await consumer.topics() if EVENTS_TOPIC.fullmatch(topic))
        partitions = [TopicPartition(topic, partition) for topic in read.topics
                      for partition in sorted(consumer.partitions_for_topic(topic) or ())]
        if not partitions:
            return read
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        beginnings = await consumer.beginning_offsets(partitions)
        ends = await consumer.end_offsets(partitions)
        position = dict(beginnings)
        waiting = {tp for tp in partitions if ends[tp] > beginnings[tp]}
        read.expected = sum(ends[tp] - beginnings[tp] for tp in partitions)

        columns: tuple[list, ...] = ([], [], [], [], [], [], [])
        topic_col, partition_col, offset_col, type_col, version_col, occurred_col, value_col = columns

        def flush() -> None:
            if offset_col:
                handed = time.perf_counter()
                sink(pa.RecordBatch.from_arrays(
                    [pa.array(column, type=column_type) for column, column_type in zip(columns, LANDING_SCHEMA.types)],
                    schema=LANDING_SCHEMA))
                for column in columns:
                    column.clear()
                read.waiting_seconds += time.perf_counter() - handed

        last_data = time.monotonic()
        while True:
            fetched = await consumer.getmany(timeout_ms=200 if waiting else drain_ms, max_records=20_000)
            if not fetched:
                if not waiting or time.monotonic() - last_data > idle_seconds:
                    break
                continue
            last_data = time.monotonic()
            for tp, records in fetched.items():
                # Column by column in comprehensions (the cost of a replay's reading is per record);
                # the headers where the relay puts them, else looked up by name.
                count = len(records)
                topic_col.extend([tp.topic] * count)
                partition_col.extend([tp.partition] * count)
                offset_col.extend([record.offset for record in records])
                value_col.extend([record.value for record in records])
                headers = [record.headers for record in records]
                type_col.extend([h[0][1] if h and h[0][0] == "event_type" else _header(h, "event_type")
                                 for h in headers])
                version_col.extend([h[1][1] if len(h) > 1 and h[1][0] == "event_version"
                                    else _header(h, "event_version") for h in headers])
                occurred_col.extend([h[6][1] if len(h) > 6 and h[6][0] == "occurred_at"
                                     else _header(h, "occurred_at") for h in headers])
                position[tp] = records[-1].offset + 1
                read.messages += count
                if position[tp] >= ends[tp]:
                    waiting.discard(tp)
            if len(offset_col) >= batch_rows:
                flush()
            progress(read.messages, max(read.expected, read.messages))
        flush()
        read.short = {f"{tp.topic}[{tp.partition}]": ends[tp] - position[tp] for tp in waiting}
        read.expected = max(read.expected, read.messages)
    finally:
        await consumer.stop()
        read.seconds = time.perf_counter() - started
    return read


def _header(headers, name: str) -> bytes | None:
    """A header's value by name (None if the message has none of that name)."""
    for key, value in headers or ():
        if key == name:
            return value
    return None
