"""Payroll's read models: contracts (from the contracts topic), and from its own events the timesheets,
the approved entries, the rates staff registered and the lines each run paid. A payroll run folds
them; the tables only save reading the whole log each time."""

from collections.abc import Sequence
from decimal import Decimal
from uuid import UUID

import asyncpg
import orjson
from pydantic import TypeAdapter

from brobygger_payroll.domain.contract import ContractTerms
from brobygger_payroll.domain.pay import WorkEntry
from brobygger_payroll.domain.payees import Payee
from brobygger_payroll.domain.rates import Rate, RateBook, RateTable
from brobygger_payroll.domain.runs import PayLedger, PayrollRun, line_from_dict, lines_from_stored
from brobygger_payroll.domain.stored import Parsed
from brobygger_payroll.domain.timesheets import Timesheet
from brobygger_shared.case_access import BARNEVERN_SCHEMES
from brobygger_shared.delivery import Delivered
from brobygger_shared.events import applications as a
from brobygger_shared.events import contracts as c
from brobygger_shared.events.terms import Scheme, Terms, terms_from_v1
from brobygger_shared.local_projection import LocalProjection
from brobygger_shared.projection import Projection, each_event
from brobygger_shared.topics import events_topic


def _json(value) -> str:
    return orjson.dumps(value, default=str).decode()


# -- from Kafka: payees and contracts -----------------------------------------------------------------


class Contracts(Projection):
    name = "payroll.payees"  # the name its tracking marks were first kept under
    topics = [events_topic("applications"), events_topic("contracts")]
    schema = """
    CREATE TABLE IF NOT EXISTS payees (
        volunteer_id uuid PRIMARY KEY,
        full_name text NOT NULL,
        roles text[] NOT NULL,
        since timestamptz NOT NULL
    );
    CREATE TABLE IF NOT EXISTS payroll_contracts (
        contract_id uuid PRIMARY KEY,
        volunteer_id uuid NOT NULL,
        scheme text NOT NULL,
        user_birth_date date,  -- NULL when the user was erased before this was read (crypto-shredding)
        period_from date NOT NULL,
        period_to date NOT NULL,
        versions text NOT NULL,   -- JSON list of typed terms (events.terms.Terms), each with valid_from
        ends_on date
    );
    ALTER TABLE payroll_contracts ALTER COLUMN user_birth_date DROP NOT NULL;
    ALTER TABLE payroll_contracts ADD COLUMN IF NOT EXISTS case_number text;  -- the user's, for the export
    ALTER TABLE payroll_contracts ADD COLUMN IF NOT EXISTS application_id uuid;  -- the user's case, for pay lines
    -- PersonErased: the day a party was erased; the contract's paid periods stand, never computed again
    ALTER TABLE payroll_contracts ADD COLUMN IF NOT EXISTS erased_on date;
    ALTER TABLE payroll_contracts ADD COLUMN IF NOT EXISTS members uuid[];  -- a group assignment's cases
    """


contracts = Contracts()


contracts.on(a.VolunteerApplicationReceived)(each_event(
    "INSERT INTO payees VALUES ($1, $2, $3, $4)", lambda e: (e.volunteer_id, e.full_name, e.roles, e.occurred_at),
))
contracts.on(c.ContractSigned)(each_event(
    "INSERT INTO payroll_contracts (contract_id, volunteer_id, scheme, user_birth_date, period_from, period_to,"
    " versions, application_id, members) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    lambda e: (e.contract_id, e.volunteer_id, e.scheme, e.user_birth_date, e.period_from, e.period_to,
               terms_json([e.terms]), e.application_id, [member.application_id for member in e.members] or None),
))


@contracts.on(c.ContractAmended)
async def _amended(connection: asyncpg.Connection, batch: Sequence[Delivered]) -> None:
    for e in (d.event for d in batch):
        versions = read_terms(await connection.fetchval(
            "SELECT versions FROM payroll_contracts WHERE contract_id = $1 FOR UPDATE", e.contract_id))
        # A new vedtak extends a contract by amendment (v3's period_to): the new days are paid too.
        await connection.execute("UPDATE payroll_contracts SET versions = $2, period_to = COALESCE($3, period_to)"
                                 " WHERE contract_id = $1", e.contract_id, terms_json([*versions, e.terms]),
                                 getattr(e, "period_to", None))


contracts.on(c.ContractDocumentIssued)(each_event(
    "UPDATE payroll_contracts SET case_number = $2 WHERE contract_id = $1",
    lambda e: (e.contract_id, e.user_case_number),
))
contracts.on(c.ContractTerminated)(each_event(
    "UPDATE payroll_contracts SET ends_on = $2 WHERE contract_id = $1", lambda e: (e.contract_id, e.ends_on),
))


@contracts.on(a.PersonErased)
async def _erased(connection: asyncpg.Connection, batch: Sequence[Delivered]) -> None:
    """The oppdragstaker's name and the user's birth date go; amounts, periods, the volunteer id and the
    employee number stay (bookkeeping, PAYROLL_RETENTION_YEARS). A contract of an erased person, either
    party, is marked with the day: its paid periods are never computed again (`domain.runs.settle`). A
    timesheet's free-text notes about the day go too."""
    for e in (d.event for d in batch):
        cases, volunteers = list(e.case_ids), list(e.volunteer_ids)
        await connection.execute("UPDATE payees SET full_name = 'slettet' WHERE volunteer_id = ANY($1::uuid[])",
                                 volunteers)
        await connection.execute(
            "UPDATE payroll_contracts SET user_birth_date = NULL, erased_on = coalesce(erased_on, $3)"
            " WHERE volunteer_id = ANY($1::uuid[]) OR application_id = ANY($2::uuid[])",
            volunteers, cases, e.erased_on)
        if await connection.fetchval("SELECT to_regclass('approved_entries') IS NOT NULL"):
            await connection.execute(
                "UPDATE approved_entries SET entries = (SELECT jsonb_agg(CASE WHEN coalesce(entry ->> 'note', '') = ''"
                " THEN entry ELSE entry || jsonb_build_object('note', 'slettet') END)"
                " FROM jsonb_array_elements(entries::jsonb) AS entry)::text"
                " WHERE contract_id IN (SELECT contract_id FROM payroll_contracts"
                " WHERE volunteer_id = ANY($1::uuid[]) OR application_id = ANY($2::uuid[]))",
                volunteers, cases)


async def case_numbers(connection: asyncpg.Connection) -> dict[UUID, str]:
    """The user's case number of each contract, as the signed oppdragsavtale names it."""
    rows = await connection.fetch(
        "SELECT contract_id, case_number FROM payroll_contracts WHERE case_number IS NOT NULL")
    return {row["contract_id"]: row["case_number"] for row in rows}


async def is_payee(connection: asyncpg.Connection, volunteer_id: UUID) -> bool:
    return await connection.fetchval("SELECT EXISTS (SELECT 1 FROM payees WHERE volunteer_id = $1)", volunteer_id)


async def list_payees(connection: asyncpg.Connection) -> list[dict]:
    rows = await connection.fetch("SELECT payees.*, employee_number FROM payees LEFT JOIN employee_numbers"
                                  " USING (volunteer_id) ORDER BY since, volunteer_id")
    return [dict(row) for row in rows]


_TERMS = TypeAdapter(list[Terms])


def terms_json(versions: Sequence[Terms]) -> str:
    return _TERMS.dump_json(list(versions)).decode()


def read_terms(stored: str) -> tuple[Terms, ...]:
    """The stored terms, validated; rows stored before the terms were typed hold version 1's dict."""
    return tuple(Terms.model_validate(terms if "version" in terms else terms_from_v1(terms))
                 for terms in orjson.loads(stored))


def _contract(row: asyncpg.Record) -> ContractTerms:
    return ContractTerms(row["contract_id"], row["volunteer_id"], Scheme(row["scheme"]), row["user_birth_date"],
                         row["period_from"], row["period_to"], read_terms(row["versions"]), row["ends_on"],
                         row["application_id"], erased_on=row.get("erased_on"),
                         members=frozenset(row.get("members") or ()))


async def contract_terms(connection: asyncpg.Connection) -> dict[UUID, ContractTerms]:
    return {row["contract_id"]: _contract(row) for row in await connection.fetch("SELECT * FROM payroll_contracts")}


async def contract(connection: asyncpg.Connection, contract_id: UUID) -> ContractTerms | None:
    row = await connection.fetchrow("SELECT * FROM payroll_contracts WHERE contract_id = $1", contract_id)
    return None if row is None else _contract(row)


# -- from this service's own events ------------------------------------------------------------------


class Ledger(LocalProjection):
    name = "payroll.ledger"
    schema = """
    CREATE TABLE IF NOT EXISTS timesheets (
        timesheet_id uuid PRIMARY KEY,
        contract_id uuid NOT NULL,
        volunteer_id uuid NOT NULL,
        period text NOT NULL,
        status text NOT NULL,
        flags text NOT NULL,
        submitted_on date NOT NULL
    );
    CREATE TABLE IF NOT EXISTS approved_entries (
        timesheet_id uuid PRIMARY KEY,   -- the last approved version of each timesheet
        contract_id uuid NOT NULL,
        period text NOT NULL,
        entries text NOT NULL,
        source text NOT NULL
    );
    CREATE TABLE IF NOT EXISTS registered_rates (
        position bigint PRIMARY KEY,
        code text NOT NULL, unit text NOT NULL, value text NOT NULL, valid_from date NOT NULL, source text NOT NULL
    );
    CREATE TABLE IF NOT EXISTS employee_numbers (
        volunteer_id uuid PRIMARY KEY,
        employee_number text NOT NULL   -- given by the municipal payroll system
    );
    CREATE TABLE IF NOT EXISTS paid_lines (
        run_id uuid NOT NULL,
        position bigint NOT NULL,
        line text NOT NULL
    );
    CREATE INDEX IF NOT EXISTS paid_lines_run ON paid_lines (run_id);
    CREATE TABLE IF NOT EXISTS payroll_runs (  -- the runs, newest first, for the list staff choose from
        run_id uuid PRIMARY KEY,
        position bigint NOT NULL,
        period text NOT NULL,
        run_on date NOT NULL,
        run_by text NOT NULL,
        line_count integer NOT NULL,
        total_ore bigint NOT NULL,
        corrections integer NOT NULL   -- lines that correct an earlier period
    );
    CREATE INDEX IF NOT EXISTS timesheets_status ON timesheets (status);
    """


ledger = Ledger()


@ledger.on(Timesheet.Submitted, Timesheet.Resubmitted)
async def _submitted(connection: asyncpg.Connection, e, position: int) -> None:
    await connection.execute(
        "INSERT INTO timesheets VALUES ($1, $2, $3, $4, 'sendt_inn', $5, $6) ON CONFLICT (timesheet_id) DO UPDATE"
        " SET status = 'sendt_inn', flags = EXCLUDED.flags, submitted_on = EXCLUDED.submitted_on",
        e.originator_id, e.contract_id, e.volunteer_id, e.period, _json(e.flags), e.submitted_on,
    )


@ledger.on(Timesheet.Approved)
async def _approved(connection: asyncpg.Connection, e, position: int) -> None:
    await connection.execute("UPDATE timesheets SET status = 'godkjent' WHERE timesheet_id = $1", e.originator_id)
    await connection.execute(
        "INSERT INTO approved_entries VALUES ($1, $2, $3, $4, $5) ON CONFLICT (timesheet_id) DO UPDATE"
        " SET entries = EXCLUDED.entries, source = EXCLUDED.source",
        e.originator_id, e.contract_id, e.period, _json(e.entries),
        f"TimesheetApproved@{position} (timeliste {e.originator_id}, versjon {e.originator_version})",
    )


@ledger.on(Timesheet.Returned)
async def _returned(connection: asyncpg.Connection, e, position: int) -> None:
    await connection.execute("UPDATE timesheets SET status = 'returnert' WHERE timesheet_id = $1", e.originator_id)


@ledger.on(RateBook.RateChanged)
async def _rate(connection: asyncpg.Connection, e, position: int) -> None:
    await connection.execute("INSERT INTO registered_rates VALUES ($1, $2, $3, $4, $5, $6)",
                             position, e.code, e.unit, e.value, e.valid_from, e.source)


@ledger.on(Payee.EmployeeNumberAssigned)
async def _employee_number(connection: asyncpg.Connection, e, position: int) -> None:
    await connection.execute(
        "INSERT INTO employee_numbers VALUES ($1, $2) ON CONFLICT (volunteer_id) DO UPDATE"
        " SET employee_number = EXCLUDED.employee_number", e.volunteer_id, e.employee_number)


async def employee_numbers(connection: asyncpg.Connection) -> dict[str, str]:
    rows = await connection.fetch("SELECT volunteer_id, employee_number FROM employee_numbers")
    return {str(row["volunteer_id"]): row["employee_number"] for row in rows}


@ledger.on(PayrollRun.Completed)
async def _run(connection: asyncpg.Connection, e, position: int) -> None:
    await connection.executemany("INSERT INTO paid_lines VALUES ($1, $2, $3)",
                                 [(e.originator_id, position, _json(line)) for line in e.lines])
    await connection.execute(
        "INSERT INTO payroll_runs VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (run_id) DO NOTHING",
        e.originator_id, position, e.period, e.run_on, e.run_by, len(e.lines),
        sum(int(line["amount_ore"]) for line in e.lines), sum(1 for line in e.lines if line.get("original_period")))


async def list_timesheets(connection: asyncpg.Connection, status: str | None) -> list[dict]:
    rows = await connection.fetch(
        "SELECT * FROM timesheets WHERE $1::text IS NULL OR status = $1 ORDER BY period, timesheet_id", status)
    return [{**dict(row), "flags": orjson.loads(row["flags"])} for row in rows]


async def approved_work(connection: asyncpg.Connection) -> dict:
    """Approved entries by (contract, period)."""
    work: dict[tuple, list[WorkEntry]] = {}
    parsed = Parsed()  # the whole history: each distinct day, hour count and id parsed once
    for row in await connection.fetch("SELECT contract_id, period, entries, source FROM approved_entries"):
        entries, source = orjson.loads(row["entries"]), row["source"]
        try:
            approved = WorkEntry.all_from_stored(entries, source, parsed)
        except TypeError:  # a value stored other than as text
            approved = [WorkEntry.from_stored(entry, source) for entry in entries]
        work.setdefault((row["contract_id"], row["period"]), []).extend(approved)
    return work


async def registered_rates(connection: asyncpg.Connection) -> list[Rate]:
    rows = await connection.fetch("SELECT * FROM registered_rates ORDER BY position")
    return [Rate(row["code"], row["unit"], Decimal(row["value"]), row["valid_from"], row["source"]) for row in rows]


async def paid(connection: asyncpg.Connection) -> list:
    rows = await connection.fetch("SELECT line FROM paid_lines ORDER BY position")
    lines = [orjson.loads(row["line"]) for row in rows]
    try:
        return lines_from_stored(lines, Parsed())  # every line ever paid: each distinct value parsed once
    except (TypeError, KeyError):  # a value stored other than as text, or a line from before a field
        return [line_from_dict(line) for line in lines]


async def run_lines(connection: asyncpg.Connection, run_id) -> list:
    rows = await connection.fetch("SELECT line FROM paid_lines WHERE run_id = $1 ORDER BY position", run_id)
    return [line_from_dict(orjson.loads(row["line"])) for row in rows]


async def pay_ledger(connection: asyncpg.Connection, shipped: Sequence[Rate]) -> PayLedger:
    """Everything a run is computed from, read in one snapshot (repeatable read)."""
    async with connection.transaction(isolation="repeatable_read", readonly=True):
        return PayLedger(await contract_terms(connection), await approved_work(connection),
                      RateTable([*shipped, *await registered_rates(connection)]), await paid(connection))


# -- what staff see by their roles -------------------------------------------------------------------

# A timesheet is seen by the case roles its contract's scheme allows (brobygger_shared.case_access), and
# by the lønn role once approved (it pays them, barnevern or not). The scheme is the contract's.
_BARNEVERN = sorted(str(scheme) for scheme in BARNEVERN_SCHEMES)
_VISIBLE = ("(CASE WHEN c.scheme = ANY($2::text[]) THEN $3::boolean ELSE $4::boolean END"
            " OR ($5::boolean AND t.status = 'godkjent'))")


async def visible_timesheets(connection: asyncpg.Connection, status: str | None, barnevern: bool, ordinary: bool,
                             paid: bool) -> list[dict]:
    rows = await connection.fetch(
        "SELECT t.*, c.scheme FROM timesheets t JOIN payroll_contracts c USING (contract_id)"
        f" WHERE ($1::text IS NULL OR t.status = $1) AND {_VISIBLE} ORDER BY t.period, t.timesheet_id",
        status, _BARNEVERN, barnevern, ordinary, paid)
    return [{**dict(row), "flags": orjson.loads(row["flags"])} for row in rows]


async def timesheet_counts(connection: asyncpg.Connection, barnevern: bool, ordinary: bool) -> dict:
    """Timesheets waiting for approval, and those of them with flags, of the schemes the case roles allow."""
    row = await connection.fetchrow(
        "SELECT count(*) AS to_approve, count(*) FILTER (WHERE t.flags <> '[]') AS flagged"
        " FROM timesheets t JOIN payroll_contracts c USING (contract_id)"
        f" WHERE t.status = 'sendt_inn' AND $1::text IS NULL AND {_VISIBLE}",
        None, _BARNEVERN, barnevern, ordinary, False)
    return dict(row)


async def runs(connection: asyncpg.Connection, limit: int) -> list[dict]:
    rows = await connection.fetch("SELECT run_id, period, run_on, run_by, line_count, total_ore, corrections"
                                  " FROM payroll_runs"
                                  " ORDER BY position DESC LIMIT $1", limit)
    return [dict(row) for row in rows]


# -- what an oppdragstaker sees of their own (the portal) ---------------------------------------------


async def timesheets_of_volunteer(connection: asyncpg.Connection, volunteer_id) -> list[dict]:
    rows = await connection.fetch(
        "SELECT timesheet_id, contract_id, period, status, submitted_on FROM timesheets WHERE volunteer_id = $1"
        " ORDER BY period DESC, contract_id", volunteer_id)
    return [dict(row) for row in rows]


async def paid_lines_of_volunteer(connection: asyncpg.Connection, volunteer_id) -> list[tuple]:
    """(run period, run day, line) of each line a run paid this oppdragstaker, in the order paid."""
    rows = await connection.fetch(
        "SELECT r.period, r.run_on, l.line FROM paid_lines l JOIN payroll_runs r USING (run_id)"
        " WHERE l.line::jsonb ->> 'volunteer_id' = $1 ORDER BY l.position", str(volunteer_id))
    return [(row["period"], row["run_on"], orjson.loads(row["line"])) for row in rows]
