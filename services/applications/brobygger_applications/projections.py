"""The caseworkers' list of volunteer applications, kept from this service's own published events."""

from collections.abc import Sequence

import asyncpg

from brobygger_shared.delivery import Delivered
from brobygger_shared.events.applications import VolunteerApplicationReceived
from brobygger_shared.projection import Projection
from brobygger_shared.topics import events_topic


class VolunteerApplicationsList(Projection):
    name = "applications.volunteer_applications"
    topics = [events_topic("applications")]
    schema = """
    CREATE TABLE IF NOT EXISTS volunteer_applications (
        application_id uuid PRIMARY KEY,
        volunteer_id uuid NOT NULL,
        full_name text NOT NULL,
        roles text[] NOT NULL,
        area text NOT NULL,
        stage text NOT NULL,
        received_at timestamptz NOT NULL
    );
    """


volunteer_applications = VolunteerApplicationsList()


@volunteer_applications.on(VolunteerApplicationReceived)
async def _received(connection: asyncpg.Connection, batch: Sequence[Delivered]) -> None:
    await connection.executemany(
        "INSERT INTO volunteer_applications VALUES ($1, $2, $3, $4, $5, 'mottatt', $6)",
        [
            (e.aggregate_id, e.volunteer_id, e.full_name, e.roles, e.area, e.occurred_at)
            for e in (delivered.event for delivered in batch)
        ],
    )


async def list_volunteer_applications(connection: asyncpg.Connection) -> list[dict]:
    rows = await connection.fetch(
        "SELECT application_id, volunteer_id, full_name, roles, area, stage, received_at "
        "FROM volunteer_applications ORDER BY received_at"
    )
    return [dict(row) for row in rows]
