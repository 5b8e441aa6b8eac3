"""Read models: tables in the service's own database, kept by handlers of integration events.

A projection names the topics it reads, creates its tables, and maps event types to handlers. A
handler receives a run of consecutive events of one type from one partition, and the connection of
the transaction that also advances the tracking mark, so it can write them all in one statement.

Handlers insert plainly rather than "ON CONFLICT DO NOTHING": tracking is what keeps an event from
being applied twice, and if it ever failed, a loud unique violation (and a dead letter) is better
than a quiet one.
"""

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import asyncpg

from brobygger_shared.delivery import Delivered
from brobygger_shared.events.base import IntegrationEvent

Handler = Callable[[asyncpg.Connection, Sequence[Delivered]], Awaitable[None]]


class Projection:
    name: str
    topics: Sequence[str]
    schema: str = ""  # CREATE TABLE IF NOT EXISTS ... statements

    def __init__(self) -> None:
        self.handlers: dict[type[IntegrationEvent], Handler] = {}

    def on(self, event_type: type[IntegrationEvent]) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.handlers[event_type] = handler
            return handler

        return register

    async def setup(self, connection: asyncpg.Connection) -> None:
        if self.schema:
            await connection.execute(self.schema)


def each_event(statement: str, values: Callable[[Any], tuple]) -> Handler:
    """A handler that runs one statement for every event of the run, with values taken from each event."""

    async def handle(connection: asyncpg.Connection, batch: Sequence[Delivered]) -> None:
        await connection.executemany(statement, [values(delivered.event) for delivered in batch])

    return handle
