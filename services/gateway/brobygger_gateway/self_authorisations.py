"""Self-authorisations ("selvautorisering", Normen): a caseworker opens, in an emergency, a case their roles
do not allow, giving a reason from a short list (`domain.SELF_AUTHORISATION_REASONS`) and a free-text
explanation. Each is kept here, append-only, in the gateway's own database, and listed for the leader.
The grant itself travels in the person's session and the service tokens signed for them (claim `cases`);
the services honour it through `brobygger_shared.case_access`. No names: the user id, the case id."""

from datetime import datetime
from uuid import UUID

import asyncpg

SCHEMA = """
    CREATE TABLE IF NOT EXISTS self_authorisations (
        id bigserial PRIMARY KEY,
        user_id text NOT NULL,
        roles text[] NOT NULL,
        case_id uuid NOT NULL,
        reason text NOT NULL,
        explanation text NOT NULL,
        granted_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
    );
    CREATE INDEX IF NOT EXISTS self_authorisations_granted ON self_authorisations (granted_at DESC);
"""


async def setup(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as connection:
        await connection.execute(SCHEMA)


async def record(pool: asyncpg.Pool, user_id: str, roles: list[str], case_id: UUID, reason: str,
                 explanation: str, granted_at: datetime, expires_at: datetime) -> None:
    async with pool.acquire() as connection:
        await connection.execute(
            "INSERT INTO self_authorisations (user_id, roles, case_id, reason, explanation, granted_at, expires_at)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7)",
            user_id, roles, case_id, reason, explanation, granted_at, expires_at)


async def latest(pool: asyncpg.Pool, limit: int = 500) -> list[dict]:
    """The newest self-authorisations first, for the leader's report."""
    async with pool.acquire() as connection:
        rows = await connection.fetch(
            "SELECT user_id, roles, case_id, reason, explanation, granted_at, expires_at FROM self_authorisations"
            " ORDER BY granted_at DESC LIMIT $1", limit)
    return [dict(row) for row in rows]
