"""The archive's read model of its own ArchiveRecord events (`archive_records`): each journalpost's
kind, case or oppdragstaker, status, tries and when it is due. The sender works through it, the API
lists it (a case's archive status, and what waits for staff: invalid messages with the validator's
message, and records whose last try failed)."""

from datetime import datetime
from uuid import UUID

import asyncpg

from brobygger_archive.domain import ArchiveRecord
from brobygger_archive.domain.record import summary_of
from brobygger_shared.events import applications as a
from brobygger_shared.local_projection import LocalProjection
from brobygger_shared.projection import Projection, each_erasure
from brobygger_shared.shredding import ERASED
from brobygger_shared.topics import events_topic


class Records(LocalProjection):
    name = "archive.records"
    schema = """
    CREATE TABLE IF NOT EXISTS archive_records (
        record_id uuid PRIMARY KEY,
        position bigint NOT NULL,
        subject_id uuid NOT NULL,
        kind text NOT NULL,
        scheme text,
        is_barnevern boolean NOT NULL,
        title text NOT NULL,
        case_number text,
        document_date date NOT NULL,
        documents integer NOT NULL,
        created_at timestamptz NOT NULL,
        status text NOT NULL,            -- opprettet | levert | feilet | stoppet | ugyldig
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        reason text,                     -- why the last try failed, or the validator's message
        format text,
        channel text,
        reference text,
        delivered_at timestamptz,
        changed_at timestamptz NOT NULL
    );
    CREATE INDEX IF NOT EXISTS archive_records_due ON archive_records (next_attempt_at)
        WHERE status IN ('opprettet', 'feilet');
    CREATE INDEX IF NOT EXISTS archive_records_subject ON archive_records (subject_id);
    """


records = Records()


@records.on(ArchiveRecord.Created)
async def _created(connection: asyncpg.Connection, event, position: int) -> None:
    entry = event.journalpost  # None: the subject is erased (replayed after their key was deleted)
    summary = getattr(event, "summary", None) or summary_of(entry)
    await connection.execute(
        "INSERT INTO archive_records (record_id, position, subject_id, kind, scheme, is_barnevern, title, case_number,"
        " document_date, documents, created_at, status, next_attempt_at, changed_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'opprettet', $11, $12) ON CONFLICT DO NOTHING",
        event.originator_id, position, summary["subject_id"], summary["kind"], summary["scheme"],
        summary["is_barnevern"], entry["title"] if entry else ERASED, summary["case_number"],
        summary["document_date"], summary["documents"], event.created_at, event.timestamp,
    )


class Erasures(Projection):
    """PersonErased, from the applications topic, on the records read model: a record's title (it may
    name the person) and its last failure's reason go; ids, kind, dates and status stay. What was delivered
    to the kommune's archive stays there (archive law); the journalpost in archive's own events is sealed
    under the subject's key, so a rebuild of the records reads "slettet" too."""

    name = "archive.erasures"
    topics = [events_topic("applications")]
    schema = records.schema


erasures = Erasures()
erasures.on(a.PersonErased)(each_erasure(
    "UPDATE archive_records SET title = 'slettet', reason = CASE WHEN reason IS NULL THEN NULL ELSE 'slettet' END"
    " WHERE subject_id = ANY($1::uuid[]) OR subject_id = ANY($2::uuid[])",
))


@records.on(ArchiveRecord.Delivered)
async def _delivered(connection: asyncpg.Connection, event, position: int) -> None:
    await connection.execute(
        "UPDATE archive_records SET status = 'levert', attempts = attempts + 1, next_attempt_at = NULL, reason = NULL,"
        " format = $2, channel = $3, reference = $4, delivered_at = $5, changed_at = $6 WHERE record_id = $1",
        event.originator_id, event.format, event.channel, event.reference, event.at, event.timestamp,
    )


@records.on(ArchiveRecord.Failed)
async def _failed(connection: asyncpg.Connection, event, position: int) -> None:
    await connection.execute(
        "UPDATE archive_records SET status = $2, attempts = $3, next_attempt_at = $4, reason = $5, changed_at = $6"
        " WHERE record_id = $1",
        event.originator_id, "stoppet" if event.final else "feilet", event.attempt, event.next_attempt_at,
        event.reason, event.timestamp,
    )


@records.on(ArchiveRecord.Invalid)
async def _invalid(connection: asyncpg.Connection, event, position: int) -> None:
    await connection.execute(
        "UPDATE archive_records SET status = 'ugyldig', attempts = $2, next_attempt_at = NULL, reason = $3, format = $4,"
        " changed_at = $5 WHERE record_id = $1",
        event.originator_id, event.attempt, event.validator_message, event.format, event.timestamp,
    )


@records.on(ArchiveRecord.Retried)
async def _retried(connection: asyncpg.Connection, event, position: int) -> None:
    await connection.execute(
        "UPDATE archive_records SET status = 'feilet', attempts = 0, next_attempt_at = $2, changed_at = $3"
        " WHERE record_id = $1",
        event.originator_id, event.at, event.timestamp,
    )


async def due_records(connection: asyncpg.Connection, now: datetime, limit: int) -> list[UUID]:
    rows = await connection.fetch(
        "SELECT record_id FROM archive_records WHERE status IN ('opprettet', 'feilet')"
        " AND (next_attempt_at IS NULL OR next_attempt_at <= $1) ORDER BY position LIMIT $2",
        now, limit,
    )
    return [UUID(bytes=row[0].bytes) for row in rows]


_COLUMNS = ("record_id, subject_id, kind, scheme, is_barnevern, title, case_number, document_date, documents,"
            " created_at, status, attempts, next_attempt_at, reason, format, channel, reference, delivered_at")
_VISIBLE = "((is_barnevern AND $1::boolean) OR (NOT is_barnevern AND $2::boolean))"


async def list_records(connection: asyncpg.Connection, barnevern: bool, ordinary: bool, limit: int,
                       status: str | None = None, subject_id: UUID | None = None) -> list[dict]:
    rows = await connection.fetch(
        f"SELECT {_COLUMNS} FROM archive_records WHERE {_VISIBLE} AND ($3::text IS NULL OR status = $3)"
        " AND ($4::uuid IS NULL OR subject_id = $4) ORDER BY position LIMIT $5",
        barnevern, ordinary, status, subject_id, limit,
    )
    return [dict(row) for row in rows]


async def staff_tasks(connection: asyncpg.Connection, barnevern: bool, ordinary: bool) -> list[dict]:
    rows = await connection.fetch(
        f"SELECT {_COLUMNS} FROM archive_records WHERE {_VISIBLE} AND status IN ('ugyldig', 'stoppet')"
        " ORDER BY changed_at", barnevern, ordinary)
    return [dict(row) for row in rows]


async def counts(connection: asyncpg.Connection) -> dict[str, int]:
    rows = await connection.fetch("SELECT status, count(*) FROM archive_records GROUP BY status")
    return {row[0]: row[1] for row in rows}
