"""Read models of a service's own domain events, kept in its own database.

A service's private read models (a caseworker's list with names, stages, dates) need more than the
published language carries. They follow the service's own notification log, as the relay does, and
apply each page of events in one transaction with the tracking mark (table consumer_tracking, topic
"local"). Dropping the tables and the mark rebuilds them from the events table.

One event a read model cannot store (a value PostgreSQL refuses, a handler's fault) must never stop
it: the page is applied again event by event, each in a savepoint, and an event that fails is
skipped, counted (`brobygger_local_projection_skipped_total`) and kept in `local_dead_letters` with
the error, for an operator to look at.
"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
from eventsourcing.utils import resolve_topic

from brobygger_shared import metrics
from brobygger_shared.eventstore import EventSourcedApplication, select_notifications
from brobygger_shared.logging import get_logger
from brobygger_shared.tracking import TRACKING_DDL

log = get_logger(__name__)

LocalHandler = Callable[[asyncpg.Connection, Any, int], Awaitable[None]]  # connection, domain event, position
LOCAL = "local"

DEAD_LETTERS_DDL = """
CREATE TABLE IF NOT EXISTS local_dead_letters (
    consumer text NOT NULL,
    position bigint NOT NULL,
    topic text NOT NULL,
    error text NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, position)
);
"""


class LocalProjection:
    name: str
    schema: str = ""

    def __init__(self) -> None:
        self.handlers: dict[type, LocalHandler] = {}

    def on(self, *event_types: type) -> Callable[[LocalHandler], LocalHandler]:
        def register(handler: LocalHandler) -> LocalHandler:
            for event_type in event_types:
                self.handlers[event_type] = handler
            return handler

        return register


class LocalProjectionRunner:
    def __init__(self, app: EventSourcedApplication, projection: LocalProjection, database_url: str,
                 page_size: int = 1000) -> None:
        self.app = app
        self.projection = projection
        self.database_url = database_url
        self.page_size = page_size
        self._wake = asyncio.Event()
        self.position = 0
        self._handler_by_topic: dict[str, LocalHandler | None] = {}

    async def setup(self, connection: asyncpg.Connection) -> None:
        """Create the tables; called once at startup, one runner after another (concurrent CREATE
        TABLE IF NOT EXISTS of the same table can fail in PostgreSQL)."""
        await connection.execute(TRACKING_DDL)
        await connection.execute(DEAD_LETTERS_DDL)
        await connection.execute(self.projection.schema)
        await connection.execute(
            "INSERT INTO consumer_tracking VALUES ($1, $2, 0, 0) ON CONFLICT DO NOTHING", self.projection.name, LOCAL,
        )

    async def run(self) -> None:
        pool = await asyncpg.create_pool(self.database_url, min_size=1, max_size=2)
        listener = await asyncpg.connect(self.database_url)
        try:
            await listener.add_listener(self.app.notification_channel, lambda *_: self._wake.set())
            while True:
                self._wake.clear()
                if not await self._apply_page(pool):
                    try:
                        await asyncio.wait_for(self._wake.wait(), timeout=5)
                    except TimeoutError:
                        pass
        finally:
            await listener.close()
            await pool.close()

    def _handler_for(self, topic: str) -> LocalHandler | None:
        # Resolved once per stored topic (the library maps renamed classes), so that events this read
        # model ignores are never decoded: a service's read models each see every event it records.
        if topic not in self._handler_by_topic:
            self._handler_by_topic[topic] = self.projection.handlers.get(resolve_topic(topic))
        return self._handler_by_topic[topic]

    async def _apply_page(self, pool: asyncpg.Pool) -> bool:
        """Apply the next page of events; False when there was none."""
        try:
            return await self._apply_next_page(pool, one_by_one=False)
        except Exception:  # noqa: BLE001 - some event of the page cannot be stored: find it, skip it
            return await self._apply_next_page(pool, one_by_one=True)

    async def _apply_next_page(self, pool: asyncpg.Pool, one_by_one: bool) -> bool:
        async with pool.acquire() as connection, connection.transaction():
            mark = await connection.fetchval(
                "SELECT position FROM consumer_tracking WHERE consumer = $1 AND topic = $2 AND partition = 0 "
                "FOR UPDATE",
                self.projection.name, LOCAL,
            )
            notifications = await select_notifications(self.app, connection, mark + 1, self.page_size)
            if not notifications:
                self.position = mark
                return False
            for notification in notifications:
                handler = self._handler_for(notification.topic)
                if handler is None:  # an event the read model ignores is not even decoded
                    continue
                if one_by_one:
                    await self._apply_or_skip(connection, handler, notification)
                else:
                    await handler(connection, self.app.mapper.to_domain_event(notification), notification.id)
            await connection.execute(
                "UPDATE consumer_tracking SET position = $3 WHERE consumer = $1 AND topic = $2 AND partition = 0",
                self.projection.name, LOCAL, notifications[-1].id,
            )
        # Only now, committed, may a reader waiting in caught_up_with see the page.
        self.position = notifications[-1].id
        return True

    async def _apply_or_skip(self, connection: asyncpg.Connection, handler: LocalHandler, notification) -> None:
        try:
            async with connection.transaction():  # a savepoint: a failure undoes this event only
                await handler(connection, self.app.mapper.to_domain_event(notification), notification.id)
        except Exception as error:  # noqa: BLE001
            log.error("local_projection.event_skipped", projection=self.projection.name,
                      position=notification.id, error_type=type(error).__name__)
            metrics.LOCAL_PROJECTION_SKIPPED.labels(self.projection.name).inc()
            await connection.execute(
                "INSERT INTO local_dead_letters (consumer, position, topic, error) VALUES ($1, $2, $3, $4)"
                " ON CONFLICT DO NOTHING",
                self.projection.name, notification.id, notification.topic, repr(error)[:2000],
            )

    async def caught_up_with(self, position: int, timeout: float = 5) -> bool:
        """Wait until the read model includes `position` (read-your-writes for an API that just wrote)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while self.position < position:
            if asyncio.get_running_loop().time() > deadline:
                return False
            self._wake.set()
            await asyncio.sleep(0.005)
        return True

