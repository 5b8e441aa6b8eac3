"""The contracts service's read models: what it knows of each oppdragstaker (from the applications
topic: name, politiattest, taushetserklæring, renewal due) and the list of contracts (from its own
events), joined to show staff which active contracts have a politiattest due for renewal."""


import asyncpg

from brobygger_contracts.documents import ContractParties
from brobygger_contracts.domain import Contract, Vedtak, VolunteerStatus
from brobygger_shared.case_access import BARNEVERN_SCHEMES
from brobygger_shared.events import applications as a
from brobygger_shared.events import payroll as p
from brobygger_shared.local_projection import LocalProjection
from brobygger_shared.projection import Projection, each_erasure, each_event
from brobygger_shared.topics import events_topic


class Volunteers(Projection):
    name = "contracts.volunteers"
    topics = [events_topic("applications")]
    schema = """
    CREATE TABLE IF NOT EXISTS volunteers (
        volunteer_id uuid PRIMARY KEY,
        full_name text NOT NULL,
        roles text[] NOT NULL,
        since timestamptz NOT NULL
    );
    ALTER TABLE volunteers ADD COLUMN IF NOT EXISTS certificate_kind text;
    ALTER TABLE volunteers ADD COLUMN IF NOT EXISTS certificate_issued_on date;
    ALTER TABLE volunteers ADD COLUMN IF NOT EXISTS certificate_verified boolean NOT NULL DEFAULT false;
    ALTER TABLE volunteers ADD COLUMN IF NOT EXISTS declaration_signed_on date;
    ALTER TABLE volunteers ADD COLUMN IF NOT EXISTS renewal_due_on date;
    ALTER TABLE volunteers ADD COLUMN IF NOT EXISTS address text NOT NULL DEFAULT '';
    ALTER TABLE volunteers ADD COLUMN IF NOT EXISTS case_number text;
    """


volunteers = Volunteers()



volunteers.on(a.VolunteerApplicationReceived)(each_event(
    "INSERT INTO volunteers (volunteer_id, full_name, roles, since, address, case_number)"
    " VALUES ($1, $2, $3, $4, $5, $6)",
    lambda e: (e.volunteer_id, e.full_name, e.roles, e.occurred_at, e.address, e.case_number),
))
volunteers.on(a.PoliceCertificateVerified)(each_event(
    "UPDATE volunteers SET certificate_kind = $2, certificate_issued_on = $3, certificate_verified = true,"
    " renewal_due_on = NULL WHERE volunteer_id = $1",
    lambda e: (e.volunteer_id, e.kind, e.issued_on),
))
volunteers.on(a.PoliceCertificateRenewalDue)(each_event(
    "UPDATE volunteers SET renewal_due_on = $2 WHERE volunteer_id = $1 AND certificate_issued_on = $3",
    lambda e: (e.volunteer_id, e.due_on, e.certificate_issued_on),
))
volunteers.on(a.ConfidentialityDeclarationSigned)(each_event(
    "UPDATE volunteers SET declaration_signed_on = $2 WHERE volunteer_id = $1",
    lambda e: (e.volunteer_id, e.signed_on),
))
# An erased oppdragstaker: name and address go; the ids, case number and certificate dates stay.
volunteers.on(a.PersonErased)(each_erasure(
    "UPDATE volunteers SET full_name = 'slettet', address = 'slettet' WHERE volunteer_id = ANY($2::uuid[])",
))


class VedtakInForce(Projection):
    """The vedtak in force in each case (the newest), and the day the person ended the service: a
    contract's period must lie within it. Its own name, so it reads the applications topic from the
    start and knows every case decided before it existed."""

    name = "contracts.vedtak"
    topics = [events_topic("applications")]
    schema = """
    CREATE TABLE IF NOT EXISTS vedtak (
        application_id uuid PRIMARY KEY,
        scheme text NOT NULL,
        decision_number integer NOT NULL,
        granted boolean NOT NULL,
        period_from date,
        period_to date,
        ended_on date
    );
    """


vedtak = VedtakInForce()
vedtak.on(a.ApplicationDecided)(each_event(
    "INSERT INTO vedtak VALUES ($1, $2, $3, $4, $5, $6, NULL) ON CONFLICT (application_id) DO UPDATE SET"
    " decision_number = EXCLUDED.decision_number, granted = EXCLUDED.granted, period_from = EXCLUDED.period_from,"
    " period_to = EXCLUDED.period_to WHERE vedtak.decision_number < EXCLUDED.decision_number",
    lambda e: (e.aggregate_id, e.scheme, e.decision_number, e.granted, e.period_from, e.period_to),
))
vedtak.on(a.ServiceEnded)(each_event(
    "UPDATE vedtak SET ended_on = $2 WHERE application_id = $1", lambda e: (e.aggregate_id, e.ended_on),
))


async def vedtak_in_force(connection: asyncpg.Connection, application_id) -> Vedtak | None:
    row = await connection.fetchrow("SELECT * FROM vedtak WHERE application_id = $1", application_id)
    if row is None:
        return None
    return Vedtak(decision_number=row["decision_number"], granted=row["granted"], period_from=row["period_from"],
                  period_to=row["period_to"], ended_on=row["ended_on"])


class RateTables(Projection):
    """The rate tables payroll has rates in, beyond those the kommune ships (a setting): learnt from the
    rates payroll staff register, so a contract can name a table only payroll can pay from."""

    name = "contracts.rate_tables"
    topics = [events_topic("payroll")]
    schema = """
    CREATE TABLE IF NOT EXISTS rate_tables (
        name text PRIMARY KEY
    );
    """


rate_tables = RateTables()
rate_tables.on(p.RateChanged)(each_event(
    "INSERT INTO rate_tables VALUES ($1) ON CONFLICT DO NOTHING", lambda e: (e.code.split(":")[0],),
))


async def registered_rate_tables(connection: asyncpg.Connection) -> set[str]:
    return {row["name"] for row in await connection.fetch("SELECT name FROM rate_tables")}


async def list_volunteers(connection: asyncpg.Connection) -> list[dict]:
    return [dict(row) for row in await connection.fetch("SELECT * FROM volunteers ORDER BY since, volunteer_id")]


async def volunteer_status(connection: asyncpg.Connection, volunteer_id) -> tuple[VolunteerStatus, str] | None:
    row = await connection.fetchrow("SELECT * FROM volunteers WHERE volunteer_id = $1", volunteer_id)
    if row is None:
        return None
    status = VolunteerStatus(certificate_kind=row["certificate_kind"], certificate_issued_on=row["certificate_issued_on"],
                             certificate_verified=row["certificate_verified"],
                             declaration_signed_on=row["declaration_signed_on"])
    return status, row["full_name"]


async def volunteer_party(connection: asyncpg.Connection, volunteer_id, application_id, members=(),
                          partner: str | None = None) -> ContractParties:
    """The parties as the oppdragsavtale names them: the oppdragstaker with address and case number, the
    user by case number only (and a group assignment's members so, with the partner organisation)."""
    volunteer = await connection.fetchrow("SELECT * FROM volunteers WHERE volunteer_id = $1", volunteer_id)
    numbers = dict(await connection.fetch(
        "SELECT application_id, case_number FROM case_numbers WHERE application_id = ANY($1::uuid[])",
        [application_id, *members]))
    return ContractParties(volunteer_name=volunteer["full_name"], volunteer_address=volunteer["address"],
                           volunteer_case_number=volunteer["case_number"] or "–",
                           user_case_number=numbers.get(application_id) or "–",
                           member_case_numbers=tuple(numbers.get(member) or "–" for member in members),
                           partner=partner)


class CaseNumbers(Projection):
    """The kommune's case number of each citizen's case, for the documents. Its own name, so it reads the
    applications topic from the start."""

    name = "contracts.case_numbers"
    topics = [events_topic("applications")]
    schema = """
    CREATE TABLE IF NOT EXISTS case_numbers (
        application_id uuid PRIMARY KEY,
        case_number text NOT NULL
    );
    """


case_numbers = CaseNumbers()
case_numbers.on(a.ApplicationReceived)(each_event(
    "INSERT INTO case_numbers VALUES ($1, $2) ON CONFLICT (application_id) DO NOTHING",
    lambda e: (e.aggregate_id, e.case_number or "–"),
))


# -- the contracts, from this service's own events ----------------------------------------------------


class Contracts(LocalProjection):
    name = "contracts.contracts"
    schema = """
    CREATE TABLE IF NOT EXISTS contracts (
        contract_id uuid PRIMARY KEY,
        volunteer_id uuid NOT NULL,
        application_id uuid NOT NULL,
        scheme text NOT NULL,
        status text NOT NULL,
        period_from date NOT NULL,
        period_to date NOT NULL,
        signed_on date,
        ends_on date
    );
    """


contracts = Contracts()


@contracts.on(Contract.Drafted)
async def _drafted(connection: asyncpg.Connection, e, position: int) -> None:
    await connection.execute(
        "INSERT INTO contracts VALUES ($1, $2, $3, $4, 'utkast', $5, $6, NULL, NULL)",
        e.originator_id, e.volunteer_id, e.application_id, e.scheme, e.period_from, e.period_to,
    )


@contracts.on(Contract.Edited)
async def _edited(connection: asyncpg.Connection, e, position: int) -> None:
    await connection.execute("UPDATE contracts SET period_from = $2, period_to = $3 WHERE contract_id = $1",
                             e.originator_id, e.period_from, e.period_to)


@contracts.on(Contract.SignedBy)
async def _signed_by(connection: asyncpg.Connection, e, position: int) -> None:
    await connection.execute("UPDATE contracts SET status = 'delvis_signert' WHERE contract_id = $1", e.originator_id)


@contracts.on(Contract.Signed)
async def _signed(connection: asyncpg.Connection, e, position: int) -> None:
    await connection.execute("UPDATE contracts SET status = 'signert', signed_on = $2 WHERE contract_id = $1",
                             e.originator_id, e.signed_on)


@contracts.on(Contract.Terminated)
async def _terminated(connection: asyncpg.Connection, e, position: int) -> None:
    await connection.execute("UPDATE contracts SET status = 'avsluttet', ends_on = $2 WHERE contract_id = $1",
                             e.originator_id, e.ends_on)


async def list_contracts(connection: asyncpg.Connection, status: str | None, renewal_due: bool,
                         include_barnevern: bool = True, include_ordinary: bool = True,
                         service_ended: bool = False) -> list[dict]:
    """Contracts by status; `renewal_due`: active ones whose politiattest must be renewed;
    `service_ended`: running ones (signed, or not yet) whose user ended the service, for staff to end.
    Each row shows the vedtak's last day and the day the service was ended, where known."""
    rows = await connection.fetch(
        "SELECT c.*, v.full_name, v.renewal_due_on, d.period_to AS vedtak_period_to, d.ended_on AS service_ended_on"
        " FROM contracts c LEFT JOIN volunteers v USING (volunteer_id) LEFT JOIN vedtak d USING (application_id)"
        " WHERE ($1::text IS NULL OR c.status = $1) AND (NOT $2 OR (c.status = 'signert' AND v.renewal_due_on IS NOT NULL))"
        " AND (CASE WHEN c.scheme = ANY($3::text[]) THEN $4::boolean ELSE $5::boolean END)"
        " AND (NOT $6 OR (c.status <> 'avsluttet' AND d.ended_on IS NOT NULL))"
        " ORDER BY c.period_from, c.contract_id",
        status, renewal_due, sorted(BARNEVERN_SCHEMES), include_barnevern, include_ordinary, service_ended,
    )
    return [dict(row) for row in rows]


async def summary(connection: asyncpg.Connection, include_barnevern: bool, include_ordinary: bool) -> dict:
    """The counts the work queue shows, of the contracts the caller's roles allow: drafts waiting for a
    signature, contracts signed by one party, and active ones whose politiattest must be renewed."""
    row = await connection.fetchrow(
        "SELECT count(*) FILTER (WHERE c.status = 'utkast') AS drafts,"
        " count(*) FILTER (WHERE c.status = 'delvis_signert') AS partly_signed,"
        " count(*) FILTER (WHERE c.status = 'signert' AND v.renewal_due_on IS NOT NULL) AS renewal_due"
        " FROM contracts c LEFT JOIN volunteers v USING (volunteer_id)"
        " WHERE (CASE WHEN c.scheme = ANY($1::text[]) THEN $2::boolean ELSE $3::boolean END)",
        sorted(BARNEVERN_SCHEMES), include_barnevern, include_ordinary,
    )
    return dict(row)


async def contracts_of_volunteer(connection: asyncpg.Connection, volunteer_id) -> list[dict]:
    """One oppdragstaker's contracts, for the portal: newest period first."""
    rows = await connection.fetch(
        "SELECT contract_id, scheme, status, period_from, period_to, signed_on, ends_on FROM contracts"
        " WHERE volunteer_id = $1 ORDER BY period_from DESC, contract_id", volunteer_id)
    return [dict(row) for row in rows]
