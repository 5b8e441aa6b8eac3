"""Read models of a service's own domain events, kept in its own database.

A service's private read models (a caseworker's list with names, stages, dates) need more than the
published language carries. They follow the service's own notification log, as the relay does, and
apply each page of events in one transaction with the tracking mark (table consumer_tracking, topic
"local"). Dropping the tables and the mark rebuilds them from the events table.
"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
from eventsourcing.utils import resolve_topic

from brobygger_shared.eventstore import ServiceApplication, select_notifications
from brobygger_shared.logging import get_logger
from brobygger_shared.tracking import TRACKING_DDL

log = get_logger(__name__)

LocalHandler = Callable[[asyncpg.Connection, Any, int], Awaitable[None]]  # connection, domain event, position
LOCAL = "local"


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
    def __init__(self, app: ServiceApplication, projection: LocalProjection, database_url: str,
                 page_size: int = 1000) -> None:
        self.app = app
        self.projection = projection
        self.database_url = database_url
        self.page_size = page_size
        self._wake = asyncio.Event()
        self.position = 0
        self._handler_by_topic: dict[str, LocalHandler | None] = {}

    async def run(self) -> None:
        pool = await asyncpg.create_pool(self.database_url, min_size=1, max_size=2)
        listener = await asyncpg.connect(self.database_url)
        try:
            async with pool.acquire() as connection:
                await connection.execute(TRACKING_DDL)
                await connection.execute(self.projection.schema)
                await connection.execute(
                    "INSERT INTO consumer_tracking VALUES ($1, $2, 0, 0) ON CONFLICT DO NOTHING",
                    self.projection.name, LOCAL,
                )
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
                if handler is not None:  # an event the read model ignores is not even decoded
                    await handler(connection, self.app.mapper.to_domain_event(notification), notification.id)
            await connection.execute(
                "UPDATE consumer_tracking SET position = $3 WHERE consumer = $1 AND topic = $2 AND partition = 0",
                self.projection.name, LOCAL, notifications[-1].id,
            )
        # Only now, committed, may a reader waiting in caught_up_with see the page.
        self.position = notifications[-1].id
        return True

    async def caught_up_with(self, position: int, timeout: float = 5) -> bool:
        """Wait until the read model includes `position` (read-your-writes for an API that just wrote)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while self.position < position:
            if asyncio.get_running_loop().time() > deadline:
                return False
            self._wake.set()
            await asyncio.sleep(0.005)
        return True
