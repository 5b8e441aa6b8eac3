"""Where a consumer's effects go, each with its tracking mark in the same transaction.

- `ReadModelTracking`: asyncpg read models; the mark is a row per (consumer, topic, partition).
- `AggregateTracking`: handlers that record events of the service's own aggregates; the mark is the
  eventsourcing library's tracking record, named "<topic>:<partition>", inserted with the events.

Both re-read the mark inside the transaction, so a batch that another consumer (or an earlier life
of this one) already applied is never applied twice.
"""

import asyncio
from collections.abc import Callable, Iterable, Sequence
from itertools import groupby
from typing import Any, Protocol

import asyncpg
from eventsourcing.application import ProcessingEvent
from eventsourcing.persistence import Tracking

from brobygger_shared.delivery import Delivered, Plan
from brobygger_shared.eventstore import ProcessingApplication, stamp_trace
from brobygger_shared.projection import Projection
from brobygger_shared.tracing import Trace

Planner = Callable[[int], Plan]


class TrackingSink(Protocol):
    name: str
    topics: Sequence[str]

    async def setup(self) -> None: ...

    async def apply(self, topic: str, partition: int, planner: Planner) -> Plan:
        """Read the mark, plan, apply the plan and store the new mark, in one transaction."""
        ...

    async def close(self) -> None: ...


TRACKING_DDL = """
CREATE TABLE IF NOT EXISTS consumer_tracking (
    consumer text NOT NULL,
    topic text NOT NULL,
    partition integer NOT NULL,
    position bigint NOT NULL,
    PRIMARY KEY (consumer, topic, partition)
);
"""


class ReadModelTracking:
    def __init__(self, database_url: str, projection: Projection) -> None:
        self.database_url = database_url
        self.projection = projection
        self.name = projection.name
        self.topics = projection.topics
        self.pool: asyncpg.Pool | None = None

    async def setup(self) -> None:
        self.pool = await asyncpg.create_pool(self.database_url, min_size=1, max_size=4)
        async with self.pool.acquire() as connection:
            await connection.execute(TRACKING_DDL)
            await self.projection.setup(connection)

    async def apply(self, topic: str, partition: int, planner: Planner) -> Plan:
        assert self.pool is not None
        async with self.pool.acquire() as connection, connection.transaction():
            await connection.execute(
                "INSERT INTO consumer_tracking VALUES ($1, $2, $3, 0) ON CONFLICT DO NOTHING",
                self.projection.name, topic, partition,
            )
            mark = await connection.fetchval(
                "SELECT position FROM consumer_tracking WHERE consumer = $1 AND topic = $2 AND partition = $3 "
                "FOR UPDATE",
                self.projection.name, topic, partition,
            )
            plan = planner(mark)
            for event_type, run in groupby(plan.apply, key=lambda delivered: type(delivered.event)):
                handler = self.projection.handlers.get(event_type)
                if handler is not None:
                    await handler(connection, list(run))
            if plan.mark > mark:
                await connection.execute(
                    "UPDATE consumer_tracking SET position = $4 WHERE consumer = $1 AND topic = $2 AND partition = $3",
                    self.projection.name, topic, partition, plan.mark,
                )
        return plan

    async def close(self) -> None:
        if self.pool is not None:
            await self.pool.close()


Policy = Callable[[ProcessingApplication, Delivered], Iterable[Any]]


class AggregateTracking:
    """For handlers that answer integration events with events of the service's own aggregates.

    The policy returns the aggregates it changed (unsaved); their new events and the tracking record
    are written in one transaction by the library's process recorder.
    """

    def __init__(self, app: ProcessingApplication, topics: Sequence[str], policy: Policy,
                 name: str = "aggregates") -> None:
        self.name = name
        self.app = app
        self.topics = topics
        self.policy = policy

    async def setup(self) -> None:
        return None

    async def apply(self, topic: str, partition: int, planner: Planner) -> Plan:
        return await asyncio.to_thread(self._apply, topic, partition, planner)

    def _apply(self, topic: str, partition: int, planner: Planner) -> Plan:
        tracking_name = f"{topic}:{partition}"
        mark = self.app.recorder.max_tracking_id(tracking_name) or 0
        plan = planner(mark)
        if plan.mark > mark:
            processing = ProcessingEvent(tracking=Tracking(tracking_name, plan.mark))
            for delivered in plan.apply:
                trace = Trace(delivered.meta.correlation_id, str(delivered.meta.event_id))
                for aggregate in self.policy(self.app, delivered):
                    events = aggregate.collect_events()
                    for event in events:
                        stamp_trace(event, trace)
                    processing.collect_events(*events)
            self.app.events.put(processing.events, tracking=processing.tracking)
        return plan

    async def close(self) -> None:
        return None
