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


def each_erasure(*statements: str) -> Handler:
    """A handler of PersonErased that runs each statement once per event with `$1` the erased case ids
    (uuid[]) and `$2` the erased volunteer ids (uuid[]): UPDATEs that blank the person's fields to
    "slettet" or NULL. Setting a field to a constant is idempotent, so a replay or a second erasure of
    the same person changes nothing more. (Each statement is run after a CTE that types both parameters,
    so one may name only one of them.)"""
    typed = [f"WITH erased AS (SELECT $1::uuid[] AS case_ids, $2::uuid[] AS volunteer_ids) {s}" for s in statements]

    async def handle(connection: asyncpg.Connection, batch: Sequence[Delivered]) -> None:
        for delivered in batch:
            ids = (list(delivered.event.case_ids), list(delivered.event.volunteer_ids))
            for statement in typed:
                await connection.execute(statement, *ids)

    return handle
