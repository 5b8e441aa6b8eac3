"""Activity: every integration event of every service, newest first, for the activity feed. (Open
proposals and payroll runs are the services' own lists: matching's /matches, payroll's /payroll-runs.)

Only ids, types, times and a few non-personal facts: the feed never copies personal data out of the
services. Each row says whether it belongs to a barnevern case (the event names a barnevern scheme, or
an id already known as a barnevern case's: its proposal, contract, timesheets, notifications, archive
records), so a person without the barnevern role sees no trace of one.
"""

from collections.abc import Sequence

import asyncpg
import orjson

from brobygger_shared.delivery import Delivered
from brobygger_shared.events import applications as a
from brobygger_shared.events import registry
from brobygger_shared.projection import Projection, each_erasure
from brobygger_shared.topics import SERVICES, events_topic

BARNEVERN_SCHEMES = {"støttekontakt_barnevern", "besøkshjem"}


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
    ALTER TABLE activity ADD COLUMN IF NOT EXISTS barnevern boolean NOT NULL DEFAULT false;
    ALTER TABLE activity ADD COLUMN IF NOT EXISTS facts jsonb;  -- non-personal: a run's period and sum
    CREATE INDEX IF NOT EXISTS activity_occurred_at ON activity (occurred_at DESC);
    CREATE INDEX IF NOT EXISTS activity_type ON activity (event_type, aggregate_id);
    CREATE TABLE IF NOT EXISTS barnevern_subjects (subject_id uuid PRIMARY KEY);  -- cases, proposals, contracts
    """


activity = Activity()

# Facts worth showing that name nobody.
FACTS = {"PayrollRunCompleted": ("period", "lines", "total_ore", "corrections")}


def _is_barnevern(event) -> bool:
    if getattr(event, "is_barnevern", False):
        return True
    scheme = getattr(event, "scheme", None)
    return str(scheme) in BARNEVERN_SCHEMES if scheme is not None else False


# The ids an event names that may belong to a barnevern case: the case itself, its proposal or contract,
# a notification to the case's family, an archive record's subject.
SUBJECTS = ("aggregate_id", "application_id", "contract_id", "recipient_id", "subject_id")


def _subjects(event) -> set:
    return {value for name in SUBJECTS if (value := getattr(event, name, None)) is not None}


async def _record(connection: asyncpg.Connection, batch: Sequence[Delivered]) -> None:
    named = set().union(*(_subjects(d.event) for d in batch))
    known = {row["subject_id"] for row in await connection.fetch(
        "SELECT subject_id FROM barnevern_subjects WHERE subject_id = ANY($1::uuid[])", list(named))}
    rows = []
    for d in batch:
        event = d.event
        subjects = _subjects(event)
        barnevern = _is_barnevern(event)
        if barnevern and not subjects <= known:
            known |= subjects
            await connection.executemany("INSERT INTO barnevern_subjects VALUES ($1) ON CONFLICT DO NOTHING",
                                         [(subject,) for subject in subjects])
        barnevern = barnevern or bool(subjects & known)
        facts = FACTS.get(d.meta.event_type)
        rows.append((d.meta.event_id, d.meta.source, d.meta.source_position, d.meta.event_type, event.aggregate_id,
                     event.occurred_at, barnevern,
                     orjson.dumps({name: getattr(event, name, None) for name in facts}).decode() if facts else None))
    await connection.executemany(
        "INSERT INTO activity (event_id, source, source_position, event_type, aggregate_id, occurred_at, barnevern,"
        " facts) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb) ON CONFLICT (event_id) DO NOTHING", rows)


for event_type in registry.models():
    activity.on(event_type)(_record)


_BLANKED = {
    # A self-authorisation's free-text explanation may name the person; the reason, who and when stay.
    "self_authorisations": each_erasure(
        "UPDATE self_authorisations SET explanation = 'slettet'"
        " WHERE case_id = ANY($1::uuid[]) AND explanation <> 'slettet'"),
    # A portal session that has shown one of the person's cases holds their name and identity number.
    "web_sessions": each_erasure(
        "DELETE FROM web_sessions WHERE EXISTS (SELECT 1 FROM unnest($1::uuid[] || $2::uuid[]) AS erased (id)"
        " WHERE web_sessions.data::text LIKE '%' || erased.id::text || '%')"),
}


@activity.on(a.PersonErased)
async def _erased(connection: asyncpg.Connection, batch: Sequence[Delivered]) -> None:
    """PersonErased: listed in the activity feed by its ids like any event, and what the gateway keeps that
    may name the person goes. (The activity table itself holds ids, times and non-personal facts only.)"""
    await _record(connection, batch)
    for table, blank in _BLANKED.items():
        if await connection.fetchval("SELECT to_regclass($1) IS NOT NULL", table):
            await blank(connection, batch)


async def recent_activity(connection: asyncpg.Connection, limit: int, event_type: str | None = None,
                          include_barnevern: bool = False) -> list[dict]:
    rows = await connection.fetch(
        "SELECT event_id, source, source_position, event_type, aggregate_id, occurred_at FROM activity"
        " WHERE ($2::text IS NULL OR event_type = $2) AND ($3 OR NOT barnevern) ORDER BY occurred_at DESC LIMIT $1",
        limit, event_type, include_barnevern)
    return [dict(row) for row in rows]


async def feed(connection: asyncpg.Connection, limit: int, include_barnevern: bool,
               sources: Sequence[str] | None = None) -> list[dict]:
    """The newest events as a person may see them: a barnevern case's only for the barnevern role."""
    rows = await connection.fetch(
        "SELECT event_type, source, aggregate_id, occurred_at, facts FROM activity"
        " WHERE ($2 OR NOT barnevern) AND ($3::text[] IS NULL OR source = ANY($3::text[]))"
        " ORDER BY occurred_at DESC, source_position DESC LIMIT $1",
        limit, include_barnevern, list(sources) if sources else None)
    return [{**dict(row), "facts": orjson.loads(row["facts"]) if row["facts"] else {}} for row in rows]

