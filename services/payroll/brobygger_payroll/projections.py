"""Known oppdragstakere, the people pay lines can name, kept from the applications topic."""

from collections.abc import Sequence

import asyncpg

from brobygger_shared.delivery import Delivered
from brobygger_shared.events.applications import VolunteerApplicationReceived
from brobygger_shared.projection import Projection
from brobygger_shared.topics import events_topic


class Payees(Projection):
    name = "payroll.payees"
    topics = [events_topic("applications")]
    schema = """
    CREATE TABLE IF NOT EXISTS payees (
        volunteer_id uuid PRIMARY KEY,
        full_name text NOT NULL,
        roles text[] NOT NULL,
        since timestamptz NOT NULL
    );
    """


payees = Payees()


@payees.on(VolunteerApplicationReceived)
async def _received(connection: asyncpg.Connection, batch: Sequence[Delivered]) -> None:
    await connection.executemany(
        "INSERT INTO payees VALUES ($1, $2, $3, $4)",
        [(d.event.volunteer_id, d.event.full_name, d.event.roles, d.event.occurred_at) for d in batch],
    )


async def list_payees(connection: asyncpg.Connection) -> list[dict]:
    return [dict(row) for row in await connection.fetch("SELECT * FROM payees ORDER BY since, volunteer_id")]
