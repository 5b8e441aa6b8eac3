"""Where a service's relay stands, kept in the service's own database: the position in its events table it
has published up to, and per partition the last position published there and the next offset expected.
Stored only after the broker acknowledged (see `relay`)."""

from dataclasses import dataclass, field

import asyncpg

STATE_DDL = """
CREATE TABLE IF NOT EXISTS relay_position (
    topic text PRIMARY KEY,
    position bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS relay_partition (
    topic text NOT NULL,
    partition integer NOT NULL,
    last_position bigint NOT NULL,
    next_offset bigint NOT NULL,
    PRIMARY KEY (topic, partition)
);
"""


@dataclass
class RelayState:
    """The position published up to, and per partition the last position and the next offset."""

    position: int = 0
    last_position: dict[int, int] = field(default_factory=dict)
    next_offset: dict[int, int] = field(default_factory=dict)


async def load_state(connection: asyncpg.Connection, topic: str) -> RelayState:
    """Where the relay of `topic` stands: nothing published yet when there is no row."""
    position = await connection.fetchval("SELECT position FROM relay_position WHERE topic = $1", topic)
    rows = await connection.fetch(
        "SELECT partition, last_position, next_offset FROM relay_partition WHERE topic = $1", topic
    )
    return RelayState(
        position=position or 0,
        last_position={row["partition"]: row["last_position"] for row in rows},
        next_offset={row["partition"]: row["next_offset"] for row in rows},
    )


async def store_state(connection: asyncpg.Connection, topic: str, state: RelayState) -> None:
    """Record where the relay stands, in one transaction, after the broker acknowledged."""
    async with connection.transaction():
        await connection.execute(
            "INSERT INTO relay_position (topic, position) VALUES ($1, $2) "
            "ON CONFLICT (topic) DO UPDATE SET position = EXCLUDED.position",
            topic,
            state.position,
        )
        await connection.execute("DELETE FROM relay_partition WHERE topic = $1", topic)
        await connection.executemany(
            "INSERT INTO relay_partition (topic, partition, last_position, next_offset) VALUES ($1, $2, $3, $4)",
            [
                (topic, partition, state.last_position.get(partition, 0), offset)
                for partition, offset in state.next_offset.items()
            ],
        )
