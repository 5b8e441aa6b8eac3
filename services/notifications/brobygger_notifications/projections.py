"""Notifications' read models.

- `outbox` (a local read model of its own Notification events): each notification's status, attempts
  and when it is due; the sender works through it, staff see the tasks in it, the API lists it.
- `reminders` (from contracts and payroll): the contracts each oppdragstaker holds, and the months a
  timesheet was submitted for, from which the scheduler works out the timesheet reminders.
"""

from datetime import date, datetime
from uuid import UUID

import asyncpg

from brobygger_notifications.domain import ActiveContract, Notification, OpenProposal, Overdue
from brobygger_shared.events import applications as a
from brobygger_shared.events import contracts as c
from brobygger_shared.events import matching as m
from brobygger_shared.events import payroll as p
from brobygger_shared.local_projection import LocalProjection
from brobygger_shared.projection import Projection, each_erasure, each_event
from brobygger_shared.topics import events_topic

# -- the outbox --------------------------------------------------------------------------------------


class Outbox(LocalProjection):
    name = "notifications.outbox"
    schema = """
    CREATE TABLE IF NOT EXISTS notification_outbox (
        notification_id uuid PRIMARY KEY,
        position bigint NOT NULL,
        recipient_id uuid NOT NULL,
        kind text NOT NULL,
        caused_by uuid NOT NULL,
        requested_at timestamptz NOT NULL,
        status text NOT NULL,            -- bestilt | sendt | feilet | til_ansatte | ikke_sendt
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        channel text,
        provider_id text,
        sent_at timestamptz,
        task text,                       -- send_i_posten | undersøk_feil
        reason text,
        changed_at timestamptz NOT NULL
    );
    CREATE INDEX IF NOT EXISTS notification_outbox_due ON notification_outbox (next_attempt_at)
        WHERE status IN ('bestilt', 'feilet');
    -- caused by an event of a barnevern case: listed only for the barnevern role
    ALTER TABLE notification_outbox ADD COLUMN IF NOT EXISTS is_barnevern boolean NOT NULL DEFAULT false;
    """


outbox = Outbox()


@outbox.on(Notification.Requested)
async def _requested(connection: asyncpg.Connection, event, position: int) -> None:
    requested_at = getattr(event, "requested_at", None) or event.timestamp
    await connection.execute(
        "INSERT INTO notification_outbox (notification_id, position, recipient_id, kind, caused_by, requested_at,"
        " status, next_attempt_at, changed_at, is_barnevern) VALUES ($1, $2, $3, $4, $5, $6, 'bestilt', NULL, $7, $8)",
        event.originator_id, position, event.recipient_id, event.template, event.caused_by, requested_at,
        event.timestamp, bool(getattr(event, "is_barnevern", False)),
    )


@outbox.on(Notification.Sent)
async def _sent(connection: asyncpg.Connection, event, position: int) -> None:
    await connection.execute(
        "UPDATE notification_outbox SET status = 'sendt', attempts = attempts + 1, next_attempt_at = NULL,"
        " channel = $2, provider_id = $3, sent_at = $4, changed_at = $5 WHERE notification_id = $1",
        event.originator_id, str(event.channel), event.provider_id, event.at, event.timestamp,
    )


@outbox.on(Notification.Failed)
async def _failed(connection: asyncpg.Connection, event, position: int) -> None:
    await connection.execute(
        "UPDATE notification_outbox SET status = 'feilet', attempts = $2, next_attempt_at = $3, reason = $4,"
        " changed_at = $5 WHERE notification_id = $1",
        event.originator_id, event.attempt, event.next_attempt_at, event.reason, event.timestamp,
    )


@outbox.on(Notification.HandedToStaff)
async def _handed_to_staff(connection: asyncpg.Connection, event, position: int) -> None:
    await connection.execute(
        "UPDATE notification_outbox SET status = 'til_ansatte', next_attempt_at = NULL, task = $2, reason = $3,"
        " changed_at = $4 WHERE notification_id = $1",
        event.originator_id, str(event.task), event.reason, event.timestamp,
    )


@outbox.on(Notification.Skipped)
async def _skipped(connection: asyncpg.Connection, event, position: int) -> None:
    await connection.execute(
        "UPDATE notification_outbox SET status = 'ikke_sendt', next_attempt_at = NULL, reason = $2,"
        " changed_at = $3 WHERE notification_id = $1",
        event.originator_id, event.reason, event.timestamp,
    )


async def due_notifications(connection: asyncpg.Connection, now: datetime, limit: int) -> list[UUID]:
    rows = await connection.fetch(
        "SELECT notification_id FROM notification_outbox WHERE status IN ('bestilt', 'feilet')"
        " AND (next_attempt_at IS NULL OR next_attempt_at <= $1) ORDER BY position LIMIT $2",
        now, limit,
    )
    return [UUID(bytes=row[0].bytes) for row in rows]


_COLUMNS = ("notification_id, recipient_id, kind AS template, caused_by, requested_at, status, attempts,"
            " next_attempt_at, channel, sent_at, task, reason")


async def list_notifications(connection: asyncpg.Connection, limit: int, status: str | None = None,
                             recipient_id: UUID | None = None, include_barnevern: bool = False) -> list[dict]:
    """A barnevern case's notifications only for the barnevern role."""
    rows = await connection.fetch(
        f"SELECT {_COLUMNS} FROM notification_outbox WHERE ($1::text IS NULL OR status = $1)"
        " AND ($2::uuid IS NULL OR recipient_id = $2) AND ($4 OR NOT is_barnevern) ORDER BY position LIMIT $3",
        status, recipient_id, limit, include_barnevern,
    )
    return [dict(row) for row in rows]


async def staff_tasks(connection: asyncpg.Connection, include_barnevern: bool = False) -> list[dict]:
    rows = await connection.fetch(
        f"SELECT {_COLUMNS} FROM notification_outbox WHERE status = 'til_ansatte' AND ($1 OR NOT is_barnevern)"
        " ORDER BY changed_at", include_barnevern)
    return [dict(row) for row in rows]


# -- what the scheduler reads --------------------------------------------------------------------------


class Reminders(Projection):
    name = "notifications.reminders"
    topics = [events_topic("contracts"), events_topic("payroll"), events_topic("applications"),
              events_topic("matching")]
    schema = """
    CREATE TABLE IF NOT EXISTS reminder_contracts (
        contract_id uuid PRIMARY KEY,
        volunteer_id uuid NOT NULL,
        period_from date NOT NULL,
        period_to date NOT NULL,
        ends_on date
    );
    CREATE TABLE IF NOT EXISTS reminder_timesheets (
        contract_id uuid NOT NULL,
        period text NOT NULL,
        PRIMARY KEY (contract_id, period)
    );
    CREATE TABLE IF NOT EXISTS reminder_cases (      -- for the digest: søknader awaiting a foreløpig svar
        application_id uuid PRIMARY KEY,
        received_on date NOT NULL,
        answered boolean NOT NULL DEFAULT false      -- a foreløpig svar, a vedtak, or withdrawn
    );
    CREATE TABLE IF NOT EXISTS reminder_proposals (
        match_id uuid PRIMARY KEY,
        volunteer_id uuid NOT NULL,
        expires_on date NOT NULL,
        open boolean NOT NULL DEFAULT true
    );
    CREATE TABLE IF NOT EXISTS reminder_renewals (
        volunteer_id uuid PRIMARY KEY,
        due_on date NOT NULL,
        renewed boolean NOT NULL DEFAULT false
    );
    """


reminders = Reminders()

# An erased person: a failure's reason in the outbox (it may quote the address refused) goes. The contact
# details, the identity number and what a message says are sealed in notifications' own events (domain),
# so they read nothing or "slettet" from now on and in every replay of the outbox.
reminders.on(a.PersonErased)(each_erasure(
    "UPDATE notification_outbox SET reason = 'slettet' WHERE reason IS NOT NULL"
    " AND (recipient_id = ANY($1::uuid[]) OR recipient_id = ANY($2::uuid[]))",
))

reminders.on(c.ContractSigned)(each_event(
    "INSERT INTO reminder_contracts (contract_id, volunteer_id, period_from, period_to) VALUES ($1, $2, $3, $4)"
    " ON CONFLICT (contract_id) DO UPDATE SET period_from = $3, period_to = $4",
    lambda e: (e.contract_id, e.volunteer_id, e.period_from, e.period_to),
))
reminders.on(c.ContractAmended)(each_event(
    "UPDATE reminder_contracts SET period_to = COALESCE($2, period_to) WHERE contract_id = $1",
    lambda e: (e.contract_id, e.period_to),
))
reminders.on(c.ContractTerminated)(each_event(
    "UPDATE reminder_contracts SET ends_on = $2 WHERE contract_id = $1",
    lambda e: (e.contract_id, e.ends_on),
))
reminders.on(a.ApplicationReceived)(each_event(
    "INSERT INTO reminder_cases (application_id, received_on) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    lambda e: (e.aggregate_id, e.received_on),
))
for answered in (a.InterimReplySent, a.ApplicationDecided, a.ApplicationWithdrawn):
    reminders.on(answered)(each_event(
        "UPDATE reminder_cases SET answered = true WHERE application_id = $1", lambda e: (e.aggregate_id,)))
reminders.on(m.MatchProposed)(each_event(
    "INSERT INTO reminder_proposals (match_id, volunteer_id, expires_on) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    lambda e: (e.aggregate_id, e.volunteer_id, e.expires_on),
))
# Both sides' yes in principle answers the proposal: no reminder to answer it (the first meeting follows).
for closed in (m.VolunteerMatched, m.MatchDeclined, m.MatchAcceptedInPrinciple):
    reminders.on(closed)(each_event(
        "UPDATE reminder_proposals SET open = false WHERE match_id = $1", lambda e: (e.aggregate_id,)))
reminders.on(a.PoliceCertificateRenewalDue)(each_event(
    "INSERT INTO reminder_renewals (volunteer_id, due_on) VALUES ($1, $2)"
    " ON CONFLICT (volunteer_id) DO UPDATE SET due_on = $2, renewed = false",
    lambda e: (e.volunteer_id, e.due_on),
))
reminders.on(a.PoliceCertificateVerified)(each_event(
    "UPDATE reminder_renewals SET renewed = true WHERE volunteer_id = $1 AND due_on <= $2",
    lambda e: (e.volunteer_id, e.verified_on),
))
reminders.on(p.TimesheetSubmitted)(each_event(
    "INSERT INTO reminder_timesheets (contract_id, period) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    lambda e: (e.contract_id, e.period),
))


async def timesheet_reminder_inputs(connection: asyncpg.Connection) -> tuple[list[ActiveContract], set]:
    contracts = [
        ActiveContract(UUID(bytes=row[0].bytes), UUID(bytes=row[1].bytes), row[2], row[3], row[4])
        for row in await connection.fetch(
            "SELECT contract_id, volunteer_id, period_from, period_to, ends_on FROM reminder_contracts")
    ]
    submitted = {(UUID(bytes=row[0].bytes), row[1])
                 for row in await connection.fetch("SELECT contract_id, period FROM reminder_timesheets")}
    return contracts, submitted


async def open_proposals(connection: asyncpg.Connection) -> list[OpenProposal]:
    return [OpenProposal(UUID(bytes=row[0].bytes), UUID(bytes=row[1].bytes), row[2]) for row in await connection.fetch(
        "SELECT match_id, volunteer_id, expires_on FROM reminder_proposals WHERE open")]


async def overdue(connection: asyncpg.Connection, today: date, interim_reply_due_before: date) -> Overdue:
    """Counts for the digest: søknader received on or before `interim_reply_due_before` still without an
    answer, open proposals past their answer date, renewals due and not done."""
    row = await connection.fetchrow(
        "SELECT (SELECT count(*) FROM reminder_cases WHERE NOT answered AND received_on <= $2),"
        " (SELECT count(*) FROM reminder_proposals WHERE open AND expires_on < $1),"
        " (SELECT count(*) FROM reminder_renewals WHERE NOT renewed AND due_on <= $1)",
        today, interim_reply_due_before)
    return Overdue(interim_replies=row[0], proposals=row[1], renewals=row[2])
