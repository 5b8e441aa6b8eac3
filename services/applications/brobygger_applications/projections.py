"""The caseworkers' read models, kept from this service's own domain events (they carry the names
and dates the published language leaves out), and a case's timeline in words; and, from contracts' and
payroll's topics, the contracts and timesheets that may block erasing a person (`Obligations`)."""

from datetime import date
from uuid import UUID

import asyncpg

from brobygger_applications.domain import (
    INTERIM_REPLY_AFTER_MONTHS,
    CaseStatus,
    ContractState,
    ServiceApplication,
    StatsforvalterOutcome,
    TimesheetState,
    VolunteerApplication,
)
from brobygger_shared.calendar import add_months
from brobygger_shared.events import contracts as contracts_events, payroll as payroll_events
from brobygger_shared.local_projection import LocalProjection
from brobygger_shared.projection import Projection, each_event
from brobygger_shared.shredding import ERASED
from brobygger_shared.topics import events_topic


def _update_on(projection: LocalProjection, table: str, event_type: type, **columns) -> None:
    """Register a handler that sets columns of the event's row; each value is a function of the event."""
    assignments = ", ".join(f"{column} = ${index}" for index, column in enumerate(columns, start=2))
    statement = f"UPDATE {table} SET {assignments} WHERE application_id = $1"

    @projection.on(event_type)
    async def update(connection: asyncpg.Connection, e, position: int) -> None:
        await connection.execute(statement, e.originator_id, *(value(e) for value in columns.values()))


# -- cases -------------------------------------------------------------------------------------------


class Cases(LocalProjection):
    name = "applications.cases"
    schema = """
    CREATE TABLE IF NOT EXISTS cases (
        application_id uuid PRIMARY KEY,
        person_id uuid NOT NULL,
        full_name text NOT NULL,
        scheme text NOT NULL,
        is_barnevern boolean NOT NULL,
        status text NOT NULL,
        area text NOT NULL,
        received_on date NOT NULL,
        interim_reply_due_on date NOT NULL,
        interim_reply_sent_on date,
        decided_on date,
        last_decision_granted boolean,
        appeal_late boolean
    );
    ALTER TABLE cases ADD COLUMN IF NOT EXISTS ended_on date;
    ALTER TABLE cases ADD COLUMN IF NOT EXISTS case_number text;
    """


cases = Cases()


@cases.on(ServiceApplication.Received)
async def _case_received(connection: asyncpg.Connection, e, position: int) -> None:
    await connection.execute(
        "INSERT INTO cases (application_id, person_id, full_name, scheme, is_barnevern, status, area, received_on,"
        " interim_reply_due_on, case_number) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        e.originator_id, e.person_id, e.full_name, str(e.scheme), e.scheme in ("støttekontakt_barnevern", "besøkshjem"),
        CaseStatus.RECEIVED.value, e.area, e.received_on, add_months(e.received_on, INTERIM_REPLY_AFTER_MONTHS),
        getattr(e, "case_number", None),
    )


@cases.on(ServiceApplication.Decided)
async def _decided(connection: asyncpg.Connection, e, position: int) -> None:
    status = CaseStatus.GRANTED if e.granted else CaseStatus.REFUSED
    await connection.execute(  # an ended case stays ended when a klage it kept is decided
        "UPDATE cases SET status = CASE WHEN status = $5 THEN status ELSE $2 END, decided_on = $3,"
        " last_decision_granted = $4 WHERE application_id = $1",
        e.originator_id, status.value, e.decided_on, e.granted, CaseStatus.ENDED.value,
    )


@cases.on(ServiceApplication.StatsforvalterDecided)
async def _statsforvalter(connection: asyncpg.Connection, e, position: int) -> None:
    if e.outcome == StatsforvalterOutcome.UPHELD:
        await connection.execute(
            "UPDATE cases SET status = CASE WHEN status = $4 THEN status WHEN last_decision_granted THEN $2 ELSE $3 END"
            " WHERE application_id = $1",
            e.originator_id, CaseStatus.GRANTED.value, CaseStatus.REFUSED.value, CaseStatus.ENDED.value,
        )
    else:
        await connection.execute(
            "UPDATE cases SET status = CASE WHEN status = $3 THEN status ELSE $2 END WHERE application_id = $1",
            e.originator_id, CaseStatus.RECEIVED.value, CaseStatus.ENDED.value)


_update_on(cases, "cases", ServiceApplication.InterimReplySent, interim_reply_sent_on=lambda e: e.sent_on)
_update_on(cases, "cases", ServiceApplication.Appealed,
           status=lambda e: CaseStatus.APPEALED.value, appeal_late=lambda e: e.late)
_update_on(cases, "cases", ServiceApplication.Withdrawn, status=lambda e: CaseStatus.WITHDRAWN.value)
_update_on(cases, "cases", ServiceApplication.ServiceEnded, status=lambda e: CaseStatus.ENDED.value,
           ended_on=lambda e: e.ended_on)


@cases.on(ServiceApplication.AppealForwarded)
async def _forwarded(connection: asyncpg.Connection, e, position: int) -> None:
    await connection.execute(
        "UPDATE cases SET status = CASE WHEN status = $3 THEN status ELSE $2 END WHERE application_id = $1",
        e.originator_id, CaseStatus.AT_STATSFORVALTEREN.value, CaseStatus.ENDED.value)


class CasePeople(LocalProjection):
    """Whose each case is, for the portal's "Mine saker": the person it is about and, when a parent
    applied in the portal for their child, the parent. Identity numbers only, no names."""

    name = "applications.case_people"
    schema = """
    CREATE TABLE IF NOT EXISTS case_people (
        application_id uuid NOT NULL,
        national_id text NOT NULL,
        PRIMARY KEY (national_id, application_id)
    );
    """


case_people = CasePeople()


@case_people.on(ServiceApplication.Received)
async def _case_people(connection: asyncpg.Connection, e, position: int) -> None:
    for national_id in {e.national_id, getattr(e, "applicant_national_id", None)} - {None, ERASED}:
        await connection.execute("INSERT INTO case_people VALUES ($1, $2) ON CONFLICT DO NOTHING",
                                 e.originator_id, national_id)


async def cases_of_person(connection: asyncpg.Connection, national_id: str) -> list[dict]:
    """The cases a person may follow in the portal, newest first."""
    rows = await connection.fetch(
        f"SELECT {CASE_COLUMNS} FROM cases JOIN case_people USING (application_id)"
        " WHERE case_people.national_id = $1 ORDER BY received_on DESC, application_id", national_id)
    return [dict(row) for row in rows]


CASE_COLUMNS = ("application_id, case_number, full_name, scheme, is_barnevern, status, area, received_on,"
                " interim_reply_due_on, interim_reply_sent_on, decided_on, appeal_late, ended_on")


async def list_cases(connection: asyncpg.Connection, status: str | None, scheme: str | None,
                     include_barnevern: bool, include_ordinary: bool = True, search: str | None = None,
                     ids: list | None = None) -> list[dict]:
    """The cases a person may see, by status and scheme; `search` matches a case number (2026/0142, or its
    running number alone) or a part of the applicant's name; `ids`, only those cases."""
    rows = await connection.fetch(
        f"SELECT {CASE_COLUMNS} FROM cases WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR scheme = $2)"
        " AND (CASE WHEN is_barnevern THEN $3::boolean ELSE $4::boolean END)"
        " AND ($5::text IS NULL OR case_number = $5 OR case_number LIKE '%/' || lpad($5, 4, '0')"
        "      OR full_name ILIKE '%' || $6 || '%') AND ($7::uuid[] IS NULL OR application_id = ANY($7::uuid[]))"
        " ORDER BY received_on, application_id",
        status, scheme, include_barnevern, include_ordinary, search, _like_escaped(search), ids,
    )
    return [dict(row) for row in rows]


def _like_escaped(text: str | None) -> str | None:
    """Text for ILIKE '%…%' with its own wildcards taken literally."""
    return None if text is None else text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def overdue_interim_replies(connection: asyncpg.Connection, today: date, include_barnevern: bool,
                                  within_days: int = 0, include_ordinary: bool = True) -> list[dict]:
    """Undecided cases with no foreløpig svar whose reply is due within `within_days` or overdue, today
    included (`overdue` marks those due today or earlier)."""
    rows = await connection.fetch(
        f"SELECT {CASE_COLUMNS} FROM cases WHERE status = $1 AND decided_on IS NULL AND interim_reply_sent_on IS NULL"
        " AND interim_reply_due_on <= $2::date + $4::int AND (CASE WHEN is_barnevern THEN $3::boolean ELSE $5::boolean END)"
        " ORDER BY interim_reply_due_on",
        CaseStatus.RECEIVED.value, today, include_barnevern, within_days, include_ordinary,
    )
    return [{**dict(row), "overdue": row["interim_reply_due_on"] <= today} for row in rows]


# -- volunteers --------------------------------------------------------------------------------------


class Volunteers(LocalProjection):
    name = "applications.volunteers"
    schema = """
    CREATE TABLE IF NOT EXISTS volunteer_applications (
        application_id uuid PRIMARY KEY,
        volunteer_id uuid NOT NULL,
        full_name text NOT NULL,
        roles text[] NOT NULL,
        area text NOT NULL,
        received_on date,
        interview_passed boolean NOT NULL DEFAULT false,
        certificate_verified boolean NOT NULL DEFAULT false,
        certificate_kind text,
        certificate_issued_on date,
        declaration_signed_on date,
        approved_on date,
        rejected_on date
    );
    ALTER TABLE volunteer_applications ADD COLUMN IF NOT EXISTS case_number text;
    """


volunteers = Volunteers()

STAGE_SQL = """
    CASE
        WHEN rejected_on IS NOT NULL THEN 'avslått'
        WHEN approved_on IS NOT NULL THEN 'godkjent'
        WHEN NOT interview_passed THEN 'venter_på_intervju'
        WHEN NOT certificate_verified THEN 'venter_på_politiattest'
        WHEN declaration_signed_on IS NULL THEN 'venter_på_taushetserklæring'
        ELSE 'klar_for_godkjenning'
    END
"""


@volunteers.on(VolunteerApplication.Received)
async def _volunteer_received(connection: asyncpg.Connection, e, position: int) -> None:
    await connection.execute(
        "INSERT INTO volunteer_applications (application_id, volunteer_id, full_name, roles, area, received_on,"
        " case_number) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        e.originator_id, e.volunteer_id, e.full_name, e.roles, e.area, getattr(e, "received_on", None),
        getattr(e, "case_number", None),
    )


_update_on(volunteers, "volunteer_applications", VolunteerApplication.InterviewCompleted,
           interview_passed=lambda e: e.assessment == "egnet")
_update_on(volunteers, "volunteer_applications", VolunteerApplication.PoliceCertificateRegistered,
           certificate_verified=lambda e: e.verified, certificate_kind=lambda e: str(e.kind),
           certificate_issued_on=lambda e: e.issued_on)
_update_on(volunteers, "volunteer_applications", VolunteerApplication.CertificateRemarksDecided,
           certificate_verified=lambda e: e.accepted)
_update_on(volunteers, "volunteer_applications", VolunteerApplication.ConfidentialityDeclarationSigned,
           declaration_signed_on=lambda e: e.signed_on)
_update_on(volunteers, "volunteer_applications", VolunteerApplication.Approved, approved_on=lambda e: e.approved_on)
_update_on(volunteers, "volunteer_applications", VolunteerApplication.Rejected, rejected_on=lambda e: e.rejected_on)


async def list_volunteer_applications(connection: asyncpg.Connection, stage: str | None) -> list[dict]:
    rows = await connection.fetch(
        f"SELECT application_id, case_number, volunteer_id, full_name, roles, area, received_on, certificate_kind,"
        f" certificate_issued_on, approved_on, {STAGE_SQL} AS stage FROM volunteer_applications"
        f" WHERE $1::text IS NULL OR {STAGE_SQL} = $1 ORDER BY received_on, application_id",
        stage,
    )
    return [dict(row) for row in rows]


async def approved_with_certificate_issued_before(connection: asyncpg.Connection, day: date) -> list:
    rows = await connection.fetch(
        "SELECT application_id FROM volunteer_applications WHERE approved_on IS NOT NULL AND rejected_on IS NULL"
        " AND certificate_issued_on <= $1",
        day,
    )
    return [row["application_id"] for row in rows]


async def summary(connection: asyncpg.Connection, today: date, include_barnevern: bool, include_ordinary: bool,
                  within_days: int) -> dict:
    """The counts the work queue shows, in one query: new cases without a vedtak and the foreløpig svar due
    (overdue, or within `within_days`) of the cases the caller's roles allow, and the oppdragstakere by
    stage (they serve cases of both kinds)."""
    row = await connection.fetchrow(
        "SELECT count(*) AS new_cases,"
        " count(*) FILTER (WHERE decided_on IS NULL AND interim_reply_sent_on IS NULL"
        "                  AND interim_reply_due_on <= $2::date) AS interim_replies_overdue,"
        " count(*) FILTER (WHERE decided_on IS NULL AND interim_reply_sent_on IS NULL"
        "                  AND interim_reply_due_on > $2::date AND interim_reply_due_on <= $2::date + $5::int)"
        "   AS interim_replies_soon"
        " FROM cases WHERE status = $1 AND (CASE WHEN is_barnevern THEN $3::boolean ELSE $4::boolean END)",
        CaseStatus.RECEIVED.value, today, include_barnevern, include_ordinary, within_days,
    )
    stages = await connection.fetch(
        f"SELECT {STAGE_SQL} AS stage, count(*) AS count FROM volunteer_applications GROUP BY 1")
    return {**dict(row), "volunteers_by_stage": {stage["stage"]: stage["count"] for stage in stages}}


class VolunteerPeople(LocalProjection):
    """Whose each VolunteerApplication is, by identity number: the portal finds a signed-in person's
    volunteer id here, to act for them as that oppdragstaker. Its own name, so it reads from the start."""

    name = "applications.volunteer_people"
    schema = """
    CREATE TABLE IF NOT EXISTS volunteer_people (
        application_id uuid PRIMARY KEY,
        volunteer_id uuid NOT NULL,
        national_id text NOT NULL,
        received_on date
    );
    CREATE INDEX IF NOT EXISTS volunteer_people_person ON volunteer_people (national_id);
    """


volunteer_people = VolunteerPeople()


@volunteer_people.on(VolunteerApplication.Received)
async def _volunteer_person(connection: asyncpg.Connection, e, position: int) -> None:
    if e.national_id == ERASED:  # read again after the person was erased
        return
    await connection.execute("INSERT INTO volunteer_people VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                             e.originator_id, e.volunteer_id, e.national_id, getattr(e, "received_on", None))


async def volunteer_of_person(connection: asyncpg.Connection, national_id: str) -> dict | None:
    """The person's oppdragstaker: their approved application's volunteer id, else their newest one's."""
    row = await connection.fetchrow(
        "SELECT p.volunteer_id, v.approved_on, v.rejected_on FROM volunteer_people p"
        " LEFT JOIN volunteer_applications v USING (application_id) WHERE p.national_id = $1"
        " ORDER BY (v.approved_on IS NOT NULL) DESC, p.received_on DESC NULLS LAST, p.application_id LIMIT 1",
        national_id)
    return dict(row) if row else None


# -- what still needs a person's data: contracts' and payroll's events, for erasure ---------------------


class Obligations(Projection):
    """The contracts and timesheets naming a case or an oppdragstaker, from contracts' and payroll's
    topics, with how far each has come: erasure is refused while one still needs the person's data."""

    name = "applications.obligations"
    topics = [events_topic("contracts"), events_topic("payroll")]
    schema = """
    CREATE TABLE IF NOT EXISTS obligation_contracts (
        contract_id uuid PRIMARY KEY,
        application_id uuid NOT NULL,
        volunteer_id uuid NOT NULL,
        state text NOT NULL,  -- til_signering | signert | avsluttet
        period_to date,
        ends_on date
    );
    CREATE TABLE IF NOT EXISTS obligation_timesheets (
        contract_id uuid NOT NULL,
        period text NOT NULL,  -- YYYY-MM
        volunteer_id uuid,
        state text NOT NULL,  -- innsendt | godkjent | avvist | utbetalt
        PRIMARY KEY (contract_id, period)
    );
    """


obligations = Obligations()

_CONTRACT_UPSERT = (
    "INSERT INTO obligation_contracts (contract_id, application_id, volunteer_id, state, period_to)"
    " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (contract_id) DO UPDATE SET state = CASE"
    " WHEN obligation_contracts.state = 'avsluttet' THEN 'avsluttet' ELSE EXCLUDED.state END,"
    " period_to = COALESCE(EXCLUDED.period_to, obligation_contracts.period_to)")
obligations.on(contracts_events.ContractReadyForSignature)(each_event(
    _CONTRACT_UPSERT.replace("ELSE EXCLUDED.state", "WHEN obligation_contracts.state = 'signert' THEN 'signert'"
                             " ELSE EXCLUDED.state"),
    lambda e: (e.contract_id, e.application_id, e.volunteer_id, "til_signering", None)))
obligations.on(contracts_events.ContractSigned)(each_event(
    _CONTRACT_UPSERT, lambda e: (e.contract_id, e.application_id, e.volunteer_id, "signert", e.period_to)))
obligations.on(contracts_events.ContractAmended)(each_event(
    "UPDATE obligation_contracts SET period_to = COALESCE($2, period_to) WHERE contract_id = $1",
    lambda e: (e.contract_id, e.period_to)))
obligations.on(contracts_events.ContractTerminated)(each_event(
    "INSERT INTO obligation_contracts (contract_id, application_id, volunteer_id, state, ends_on)"
    " VALUES ($1, $2, $3, 'avsluttet', $4) ON CONFLICT (contract_id) DO UPDATE SET state = 'avsluttet', ends_on = $4",
    lambda e: (e.contract_id, e.application_id, e.volunteer_id, e.ends_on)))

_TIMESHEET_UPSERT = ("INSERT INTO obligation_timesheets VALUES ($1, $2, $3, $4) ON CONFLICT (contract_id, period)"
                     " DO UPDATE SET state = CASE WHEN obligation_timesheets.state = 'utbetalt' THEN 'utbetalt'"
                     " ELSE EXCLUDED.state END, volunteer_id = COALESCE(EXCLUDED.volunteer_id,"
                     " obligation_timesheets.volunteer_id)")
obligations.on(payroll_events.TimesheetSubmitted)(each_event(
    _TIMESHEET_UPSERT, lambda e: (e.contract_id, e.period, e.volunteer_id, "innsendt")))
obligations.on(payroll_events.TimesheetApproved)(each_event(
    _TIMESHEET_UPSERT, lambda e: (e.contract_id, e.period, e.volunteer_id, "godkjent")))
obligations.on(payroll_events.TimesheetRejected)(each_event(
    _TIMESHEET_UPSERT, lambda e: (e.contract_id, e.period, e.volunteer_id, "avvist")))


@obligations.on(payroll_events.PayrollRunCompleted)
async def _paid(connection: asyncpg.Connection, batch) -> None:
    """A timesheet is paid once a run has a pay line for its contract and period."""
    paid = {(line.contract_id, line.earned_in) for delivered in batch for line in delivered.event.pay_lines}
    await connection.executemany(
        "UPDATE obligation_timesheets SET state = 'utbetalt' WHERE contract_id = $1 AND period = $2", sorted(paid))


async def obligations_of(connection: asyncpg.Connection, case_ids: list[UUID],
                         volunteer_ids: list[UUID]) -> tuple[list[ContractState], list[TimesheetState]]:
    """The contracts naming these cases or oppdragstakere, and their timesheets."""
    contracts = [ContractState(**dict(row)) for row in await connection.fetch(
        "SELECT contract_id, application_id, volunteer_id, state, period_to, ends_on FROM obligation_contracts"
        " WHERE application_id = ANY($1::uuid[]) OR volunteer_id = ANY($2::uuid[]) ORDER BY contract_id",
        case_ids, volunteer_ids)]
    timesheets = [TimesheetState(**dict(row)) for row in await connection.fetch(
        "SELECT contract_id, volunteer_id, period, state FROM obligation_timesheets"
        " WHERE contract_id = ANY($1::uuid[]) OR volunteer_id = ANY($2::uuid[]) ORDER BY period, contract_id",
        [contract.contract_id for contract in contracts], volunteer_ids)]
    return contracts, timesheets


# -- a person's records, and blanking them after erasure ---------------------------------------------


async def records_of_person(connection: asyncpg.Connection, national_id: str) -> tuple[list[UUID], list[dict]]:
    """The cases naming this identity number (as the person's or as the applicant's: the caller keeps
    those about the person) and the person's oppdragstaker applications (application and volunteer id)."""
    cases = await connection.fetch("SELECT application_id FROM case_people WHERE national_id = $1"
                                   " ORDER BY application_id", national_id)
    volunteers = await connection.fetch("SELECT application_id, volunteer_id FROM volunteer_people"
                                        " WHERE national_id = $1 ORDER BY application_id", national_id)
    return [row["application_id"] for row in cases], [dict(row) for row in volunteers]


async def volunteer_application_of(connection: asyncpg.Connection, volunteer_id: UUID) -> UUID | None:
    return await connection.fetchval("SELECT application_id FROM volunteer_people WHERE volunteer_id = $1"
                                     " OR application_id = $1 LIMIT 1", volunteer_id)


async def blank_person(connection: asyncpg.Connection, case_ids: list[UUID], volunteer_ids: list[UUID]) -> None:
    """The erased person's fields in this service's read models: names read "slettet", identity numbers go."""
    async with connection.transaction():
        await connection.execute("UPDATE cases SET full_name = $2 WHERE application_id = ANY($1::uuid[])",
                                 case_ids, ERASED)
        await connection.execute("DELETE FROM case_people WHERE application_id = ANY($1::uuid[])", case_ids)
        await connection.execute("UPDATE volunteer_applications SET full_name = $2"
                                 " WHERE volunteer_id = ANY($1::uuid[])", volunteer_ids, ERASED)
        await connection.execute("DELETE FROM volunteer_people WHERE volunteer_id = ANY($1::uuid[])", volunteer_ids)
