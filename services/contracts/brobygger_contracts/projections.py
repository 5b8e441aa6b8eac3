"""Known oppdragstakere, the parties a contract can name, kept from the applications topic."""

from collections.abc import Sequence

import asyncpg

from brobygger_shared.delivery import Delivered
from brobygger_shared.events.applications import VolunteerApplicationReceived
from brobygger_shared.projection import Projection
from brobygger_shared.topics import events_topic


class Volunteers(Projection):
    name = "contracts.volunteers"
    topics = [events_topic("applications")]
    schema = """
    CREATE TABLE IF NOT EXISTS volunteers (
        volunteer_id uuid PRIMARY KEY,
        full_name text NOT NULL,
        roles text[] NOT NULL,
        since timestamptz NOT NULL
    );
    """


volunteers = Volunteers()


@volunteers.on(VolunteerApplicationReceived)
async def _received(connection: asyncpg.Connection, batch: Sequence[Delivered]) -> None:
    await connection.executemany(
        "INSERT INTO volunteers VALUES ($1, $2, $3, $4)",
        [(d.event.volunteer_id, d.event.full_name, d.event.roles, d.event.occurred_at) for d in batch],
    )


async def list_volunteers(connection: asyncpg.Connection) -> list[dict]:
    return [dict(row) for row in await connection.fetch("SELECT * FROM volunteers ORDER BY since, volunteer_id")]
