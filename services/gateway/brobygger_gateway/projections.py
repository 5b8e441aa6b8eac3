"""Activity: every integration event of every service, newest first, for the staff home page.

Only ids, types and times: the feed never copies personal data out of the services.
"""

from collections.abc import Sequence

import asyncpg

from brobygger_shared.delivery import Delivered
from brobygger_shared.events import registry
from brobygger_shared.projection import Projection
from brobygger_shared.topics import SERVICES, events_topic


class Activity(Projection):
    name = "gateway.activity"
    topics = [events_topic(service) for service in SERVICES]
    schema = """
    CREATE TABLE IF NOT EXISTS activity (
        event_id uuid PRIMARY KEY,
        source text NOT NULL,
        source_position bigint NOT NULL,
        event_type text NOT NULL,
        aggregate_id uuid NOT NULL,
        occurred_at timestamptz NOT NULL
    );
    """


activity = Activity()


async def _record(connection: asyncpg.Connection, batch: Sequence[Delivered]) -> None:
    await connection.executemany(
        "INSERT INTO activity VALUES ($1, $2, $3, $4, $5, $6)",
        [
            (d.meta.event_id, d.meta.source, d.meta.source_position, d.meta.event_type, d.event.aggregate_id,
             d.event.occurred_at)
            for d in batch
        ],
    )


for event_type in registry.models():
    activity.on(event_type)(_record)


async def recent_activity(connection: asyncpg.Connection, limit: int) -> list[dict]:
    rows = await connection.fetch("SELECT * FROM activity ORDER BY occurred_at DESC LIMIT $1", limit)
    return [dict(row) for row in rows]
