"""Candidates: would-be oppdragstakere matching can propose, kept from the applications topic."""

from collections.abc import Sequence

import asyncpg

from brobygger_shared.delivery import Delivered
from brobygger_shared.events.applications import VolunteerApplicationReceived
from brobygger_shared.projection import Projection
from brobygger_shared.topics import events_topic


class Candidates(Projection):
    name = "matching.candidates"
    topics = [events_topic("applications")]
    schema = """
    CREATE TABLE IF NOT EXISTS candidates (
        volunteer_id uuid PRIMARY KEY,
        application_id uuid NOT NULL,
        full_name text NOT NULL,
        birth_date date NOT NULL,
        roles text[] NOT NULL,
        area text NOT NULL,
        interests text[] NOT NULL,
        languages text[] NOT NULL,
        has_car boolean NOT NULL,
        has_spare_bedroom boolean NOT NULL,
        stage text NOT NULL,
        since timestamptz NOT NULL,
        projected_at timestamptz NOT NULL DEFAULT clock_timestamp()  -- how fresh the read model is
    );
    """


candidates = Candidates()


@candidates.on(VolunteerApplicationReceived)
async def _received(connection: asyncpg.Connection, batch: Sequence[Delivered]) -> None:
    await connection.executemany(
        "INSERT INTO candidates VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'søkt', $11)",
        [
            (e.volunteer_id, e.aggregate_id, e.full_name, e.birth_date, e.roles, e.area, e.interests,
             e.languages, e.has_car, e.has_spare_bedroom, e.occurred_at)
            for e in (delivered.event for delivered in batch)
        ],
    )


async def list_candidates(connection: asyncpg.Connection) -> list[dict]:
    rows = await connection.fetch("SELECT * FROM candidates ORDER BY since, volunteer_id")
    return [dict(row) for row in rows]
