"""Matching's read models, from events only: candidates (from applications; a place is freed when a
contract ends), the waiting list (granted cases, from applications) and proposals (from matching's own
topic)."""

from datetime import date

import asyncpg
import orjson

from brobygger_matching.domain import Candidate, WaitingCase
from brobygger_shared.events import applications as a
from brobygger_shared.events import contracts as c
from brobygger_shared.events import matching as m
from brobygger_shared.projection import Projection, each_erasure, each_event
from brobygger_shared.topics import events_topic
from brobygger_shared.wishes import Gender


class Matching(Projection):
    name = "matching.candidates"  # the name its tracking marks were first kept under
    topics = [events_topic("applications"), events_topic("matching"), events_topic("contracts")]
    schema = """
    CREATE TABLE IF NOT EXISTS candidates (
        volunteer_id uuid PRIMARY KEY,
        application_id uuid NOT NULL,
        full_name text NOT NULL,
        birth_date date,  -- NULL once the person is erased (crypto-shredding)
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
    ALTER TABLE candidates ADD COLUMN IF NOT EXISTS gender text;
    ALTER TABLE candidates ALTER COLUMN birth_date DROP NOT NULL;
    ALTER TABLE candidates ADD COLUMN IF NOT EXISTS certificate_kind text;
    ALTER TABLE candidates ADD COLUMN IF NOT EXISTS certificate_issued_on date;
    ALTER TABLE candidates ADD COLUMN IF NOT EXISTS certificate_valid boolean NOT NULL DEFAULT false;
    ALTER TABLE candidates ADD COLUMN IF NOT EXISTS assignments integer NOT NULL DEFAULT 0;
    ALTER TABLE candidates ADD COLUMN IF NOT EXISTS has_driving_licence boolean NOT NULL DEFAULT false;

    CREATE TABLE IF NOT EXISTS waiting_list (
        application_id uuid PRIMARY KEY,
        scheme text NOT NULL,
        is_barnevern boolean NOT NULL,
        area text NOT NULL,
        interests text[] NOT NULL,
        helper_wishes text NOT NULL,
        birth_date date,  -- NULL once the person is erased (crypto-shredding)
        status text NOT NULL,           -- ikke_vedtatt | venter | foreslått | matchet | avslått | trukket | avsluttet
        scope double precision,
        scope_unit text,
        period_from date,
        period_to date,
        waiting_since date              -- the first vedtak: a declined proposal keeps it
    );
    ALTER TABLE waiting_list ALTER COLUMN birth_date DROP NOT NULL;

    CREATE TABLE IF NOT EXISTS ended_contracts (  -- a contract that ended gives its place back
        contract_id uuid PRIMARY KEY,
        volunteer_id uuid NOT NULL
    );

    CREATE TABLE IF NOT EXISTS proposals (
        match_id uuid PRIMARY KEY,
        application_id uuid NOT NULL,
        volunteer_id uuid NOT NULL,
        status text NOT NULL,           -- foreslått | første_møte | matchet | avslått
        expires_on date NOT NULL
    );
    ALTER TABLE proposals ADD COLUMN IF NOT EXISTS proposed_on date;
    ALTER TABLE proposals ADD COLUMN IF NOT EXISTS meeting_on date;
    ALTER TABLE proposals ADD COLUMN IF NOT EXISTS matched_on date;
    ALTER TABLE proposals ADD COLUMN IF NOT EXISTS next_follow_up_on date;
    ALTER TABLE proposals ADD COLUMN IF NOT EXISTS follow_ups integer NOT NULL DEFAULT 0;
    ALTER TABLE proposals ADD COLUMN IF NOT EXISTS last_follow_up_outcome text;
    CREATE INDEX IF NOT EXISTS proposals_open ON proposals (status, expires_on);

    CREATE TABLE IF NOT EXISTS guidance_attendance (  -- training and guidance sessions, per oppdragstaker
        session_id uuid NOT NULL,
        volunteer_id uuid NOT NULL,
        kind text NOT NULL,
        held_on date NOT NULL,
        present boolean NOT NULL,
        PRIMARY KEY (session_id, volunteer_id)
    );
    CREATE INDEX IF NOT EXISTS waiting_list_status ON waiting_list (status, is_barnevern);
    """


matching = Matching()



# -- candidates ---------------------------------------------------------------------------------------

matching.on(a.VolunteerApplicationReceived)(each_event(
    "INSERT INTO candidates (volunteer_id, application_id, full_name, birth_date, roles, area, interests, languages,"
    " has_car, has_spare_bedroom, stage, since, gender, has_driving_licence)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'søkt', $11, $12, $13)",
    lambda e: (e.volunteer_id, e.aggregate_id, e.full_name, e.birth_date, e.roles, e.area, e.interests, e.languages,
               e.has_car, e.has_spare_bedroom, e.occurred_at, Gender.read(e.gender), e.has_driving_licence),
))
matching.on(a.PoliceCertificateVerified)(each_event(
    "UPDATE candidates SET certificate_kind = $2, certificate_issued_on = $3, certificate_valid = true"
    " WHERE volunteer_id = $1",
    lambda e: (e.volunteer_id, e.kind, e.issued_on),
))
matching.on(a.PoliceCertificateRenewalDue)(each_event(
    "UPDATE candidates SET certificate_valid = false WHERE volunteer_id = $1 AND certificate_issued_on = $2",
    lambda e: (e.volunteer_id, e.certificate_issued_on),
))
matching.on(a.VolunteerApproved)(each_event(
    "UPDATE candidates SET stage = 'godkjent', roles = $2, certificate_kind = $3, certificate_issued_on = $4,"
    " certificate_valid = true WHERE volunteer_id = $1",
    lambda e: (e.volunteer_id, e.roles, e.certificate_kind, e.certificate_issued_on),
))
matching.on(a.VolunteerRejected)(each_event(
    "UPDATE candidates SET stage = 'avslått' WHERE volunteer_id = $1", lambda e: (e.volunteer_id,),
))

# -- the waiting list ---------------------------------------------------------------------------------

matching.on(a.ApplicationReceived)(each_event(
    "INSERT INTO waiting_list (application_id, scheme, is_barnevern, area, interests, helper_wishes, birth_date,"
    " status) VALUES ($1, $2, $3, $4, $5, $6, $7, 'ikke_vedtatt')",
    lambda e: (e.aggregate_id, e.scheme, e.is_barnevern, e.area, e.interests, orjson.dumps(e.helper_wishes).decode(),
               e.birth_date),
))
matching.on(a.ApplicationDecided)(each_event(
    "UPDATE waiting_list SET scope = $2, scope_unit = $3, period_from = $4, period_to = $5,"
    " waiting_since = CASE WHEN $6 THEN coalesce(waiting_since, $7) ELSE waiting_since END,"
    " status = CASE WHEN status IN ('trukket', 'avsluttet') THEN status"  # a klage kept after the end: still ended
    " WHEN NOT $6 THEN 'avslått' WHEN status IN ('ikke_vedtatt', 'avslått') THEN 'venter'"
    " ELSE status END WHERE application_id = $1",
    lambda e: (e.aggregate_id, e.scope, e.scope_unit, e.period_from, e.period_to, e.granted, e.decided_on),
))
matching.on(a.ApplicationWithdrawn)(each_event(
    "UPDATE waiting_list SET status = 'trukket' WHERE application_id = $1", lambda e: (e.aggregate_id,),
))
# The person ended the service: the case leaves the waiting list; no proposal for it can be accepted.
# A match already made stays made: its contract is ended by staff in contracts (notice, the
# oppdragstaker's rights), and that frees the place (ContractTerminated).
matching.on(a.ServiceEnded)(each_event(
    "UPDATE waiting_list SET status = 'avsluttet' WHERE application_id = $1", lambda e: (e.aggregate_id,),
))

# -- proposals ----------------------------------------------------------------------------------------

# A candidate's `assignments` are the places taken: an open proposal takes one, as a match does.
matching.on(m.MatchProposed)(each_event(
    "WITH proposal AS (INSERT INTO proposals (match_id, application_id, volunteer_id, status, expires_on,"
    " proposed_on) VALUES ($1, $2, $3, 'foreslått', $4, $5)),"
    " volunteer AS (UPDATE candidates SET assignments = assignments + 1 WHERE volunteer_id = $3)"
    " UPDATE waiting_list SET status = 'foreslått' WHERE application_id = $2",
    lambda e: (e.aggregate_id, e.application_id, e.volunteer_id, e.expires_on, e.proposed_on),
))
# Both said yes in principle: the first meeting is due by `meeting_by`, when the proposal lapses otherwise.
matching.on(m.MatchAcceptedInPrinciple)(each_event(
    "UPDATE proposals SET status = 'første_møte', expires_on = $2 WHERE match_id = $1",
    lambda e: (e.aggregate_id, e.meeting_by),
))
matching.on(m.FirstMeetingPlanned)(each_event(
    "UPDATE proposals SET meeting_on = $2 WHERE match_id = $1", lambda e: (e.aggregate_id, e.meeting_on),
))
matching.on(m.VolunteerMatched)(each_event(
    "WITH proposal AS (UPDATE proposals SET status = 'matchet', matched_on = $3 WHERE match_id = $1)"
    " UPDATE waiting_list SET status = 'matchet' WHERE application_id = $2",
    lambda e: (e.aggregate_id, e.application_id, e.matched_on),
))
# A group assignment's other members are served by the match too: off the waiting list.
matching.on(m.GroupAssignmentMatched)(each_event(
    "UPDATE waiting_list SET status = 'matchet' WHERE application_id = ANY($1::uuid[])",
    lambda e: ([member.application_id for member in e.members],),
))
matching.on(m.FollowUpPlanned)(each_event(
    "UPDATE proposals SET next_follow_up_on = $2 WHERE match_id = $1", lambda e: (e.aggregate_id, e.next_due_on),
))
matching.on(m.FollowUpHeld)(each_event(
    "UPDATE proposals SET next_follow_up_on = $2, follow_ups = follow_ups + 1, last_follow_up_outcome = $3"
    " WHERE match_id = $1",
    lambda e: (e.aggregate_id, e.next_due_on, e.outcome),
))
matching.on(m.MatchDeclined)(each_event(
    "WITH proposal AS (UPDATE proposals SET status = 'avslått' WHERE match_id = $1),"
    " volunteer AS (UPDATE candidates SET assignments = greatest(assignments - 1, 0) WHERE volunteer_id = $3)"
    " UPDATE waiting_list SET status = 'venter' WHERE application_id = $2",
    lambda e: (e.aggregate_id, e.application_id, e.volunteer_id),
))

matching.on(m.GuidanceSessionRecorded)(each_event(
    "INSERT INTO guidance_attendance (session_id, volunteer_id, kind, held_on, present)"
    " SELECT $1, volunteer_id, $2, $3, present FROM unnest($4::uuid[], $5::boolean[]) AS a (volunteer_id, present)"
    " ON CONFLICT DO NOTHING",
    lambda e: (e.aggregate_id, e.kind, e.held_on, [*e.present, *e.absent],
               [True] * len(e.present) + [False] * len(e.absent)),
))

matching.on(c.ContractTerminated)(each_event(
    "WITH ended AS (INSERT INTO ended_contracts VALUES ($2, $1) ON CONFLICT DO NOTHING)"
    " UPDATE candidates SET assignments = greatest(assignments - 1, 0) WHERE volunteer_id = $1",
    lambda e: (e.volunteer_id, e.contract_id),
))

# -- erasure --------------------------------------------------------------------------------------------

# The person's name, birth date and gender go; ids, area, interests, languages, roles and the dates of the
# case stay. An erased oppdragstaker is no longer a candidate (stage 'slettet'); an erased case is over
# already (erasure is refused while a case needs the data).
matching.on(a.PersonErased)(each_erasure(
    "UPDATE candidates SET full_name = 'slettet', birth_date = NULL, gender = NULL, stage = 'slettet'"
    " WHERE volunteer_id = ANY($2::uuid[])",
    "UPDATE waiting_list SET birth_date = NULL WHERE application_id = ANY($1::uuid[])",
))


# -- queries ------------------------------------------------------------------------------------------


async def list_candidates(connection: asyncpg.Connection, stage: str | None = None) -> list[dict]:
    rows = await connection.fetch(
        "SELECT volunteer_id, application_id, full_name, birth_date, roles, area, interests, languages, gender,"
        " has_car, has_driving_licence, has_spare_bedroom, stage, certificate_kind, certificate_issued_on,"
        " certificate_valid, assignments,"
        " since FROM candidates WHERE $1::text IS NULL OR stage = $1 ORDER BY since, volunteer_id",
        stage,
    )
    return [dict(row) for row in rows]


async def approved_candidates(connection: asyncpg.Connection) -> list[Candidate]:
    return [
        Candidate(
            volunteer_id=row["volunteer_id"], full_name=row["full_name"], roles=frozenset(row["roles"]),
            interests=frozenset(row["interests"]), languages=frozenset(row["languages"]), gender=row["gender"],
            birth_date=row["birth_date"], area=row["area"], has_car=row["has_car"],
            has_driving_licence=row["has_driving_licence"],
            has_spare_bedroom=row["has_spare_bedroom"], certificate_kind=row["certificate_kind"],
            certificate_valid=row["certificate_valid"], assignments=row["assignments"],
        )
        for row in await list_candidates(connection, "godkjent")
    ]


async def waiting_list(connection: asyncpg.Connection, today: date, include_barnevern: bool,
                       status: str = "venter", include_ordinary: bool = True) -> list[dict]:
    rows = await connection.fetch(
        "SELECT application_id, scheme, is_barnevern, area, interests, helper_wishes, birth_date, status, scope,"
        " scope_unit, period_from, period_to, waiting_since, $1 - waiting_since AS days_waited FROM waiting_list"
        " WHERE status = $2 AND (CASE WHEN is_barnevern THEN $3::boolean ELSE $4::boolean END)"
        " ORDER BY waiting_since, application_id",
        today, status, include_barnevern, include_ordinary,
    )
    return [{**dict(row), "helper_wishes": orjson.loads(row["helper_wishes"])} for row in rows]


async def waiting_entry(connection: asyncpg.Connection, application_id) -> dict | None:
    row = await connection.fetchrow("SELECT * FROM waiting_list WHERE application_id = $1", application_id)
    return {**dict(row), "helper_wishes": orjson.loads(row["helper_wishes"])} if row else None


def as_waiting_case(entry: dict) -> WaitingCase:
    return WaitingCase(
        application_id=entry["application_id"], scheme=entry["scheme"], area=entry["area"],
        interests=frozenset(entry["interests"]), birth_date=entry["birth_date"],
        waiting_since=entry["waiting_since"], helper_wishes=entry["helper_wishes"], status=entry["status"],
        scope=entry["scope"], scope_unit=entry["scope_unit"], period_from=entry["period_from"],
        period_to=entry["period_to"],
    )


async def expired_proposals(connection: asyncpg.Connection, today: date) -> list:
    rows = await connection.fetch(
        "SELECT match_id FROM proposals WHERE status IN ('foreslått', 'første_møte') AND expires_on < $1"
        " ORDER BY expires_on", today
    )
    return [row["match_id"] for row in rows]


async def ended_contracts(connection: asyncpg.Connection, volunteer_id) -> set:
    rows = await connection.fetch("SELECT contract_id FROM ended_contracts WHERE volunteer_id = $1", volunteer_id)
    return {row["contract_id"] for row in rows}


async def proposals(connection: asyncpg.Connection, status: str | None, include_barnevern: bool,
                    include_ordinary: bool) -> list[dict]:
    """Proposals (by status), the oppdragstaker named, only of the cases the caller's roles allow."""
    rows = await connection.fetch(
        "SELECT p.match_id, p.application_id, p.volunteer_id, c.full_name AS volunteer_name, w.scheme,"
        " w.is_barnevern, p.status, p.proposed_on, p.expires_on, p.meeting_on, p.matched_on, p.next_follow_up_on,"
        " p.follow_ups, p.last_follow_up_outcome FROM proposals p"
        " JOIN waiting_list w USING (application_id) LEFT JOIN candidates c USING (volunteer_id)"
        " WHERE ($1::text IS NULL OR p.status = $1)"
        " AND (CASE WHEN w.is_barnevern THEN $2::boolean ELSE $3::boolean END)"
        " ORDER BY p.expires_on, p.match_id",
        status, include_barnevern, include_ordinary,
    )
    return [dict(row) for row in rows]


async def summary(connection: asyncpg.Connection, include_barnevern: bool, include_ordinary: bool,
                  today: date | None = None) -> dict:
    """The counts the work queue shows, of the cases the caller's roles allow: the waiting list, the
    proposals waiting for an answer, those waiting for their first meeting (or its confirmation), and the
    matches whose follow-up is overdue."""
    today = today or date.today()
    row = await connection.fetchrow(
        "SELECT (SELECT count(*) FROM waiting_list WHERE status = 'venter'"
        "        AND (CASE WHEN is_barnevern THEN $1::boolean ELSE $2::boolean END)) AS waiting,"
        " (SELECT count(*) FROM proposals p JOIN waiting_list w USING (application_id) WHERE p.status = 'foreslått'"
        "        AND (CASE WHEN w.is_barnevern THEN $1::boolean ELSE $2::boolean END)) AS proposals_waiting,"
        " (SELECT count(*) FROM proposals p JOIN waiting_list w USING (application_id)"
        "        WHERE p.status = 'første_møte'"
        "        AND (CASE WHEN w.is_barnevern THEN $1::boolean ELSE $2::boolean END)) AS first_meetings_waiting,"
        " (SELECT count(*) FROM proposals p JOIN waiting_list w USING (application_id)"
        "        WHERE p.status = 'matchet' AND p.next_follow_up_on < $3 AND w.status <> 'avsluttet'"
        "        AND (CASE WHEN w.is_barnevern THEN $1::boolean ELSE $2::boolean END)) AS follow_ups_overdue",
        include_barnevern, include_ordinary, today,
    )
    return dict(row)


async def follow_ups_due(connection: asyncpg.Connection, today: date, include_barnevern: bool,
                         include_ordinary: bool) -> list[dict]:
    """The matches in force whose next follow-up is due by `today` (overdue first), of the cases the
    caller's roles allow, the oppdragstaker named."""
    rows = await connection.fetch(
        "SELECT p.match_id, p.application_id, p.volunteer_id, c.full_name AS volunteer_name, w.scheme,"
        " p.matched_on, p.next_follow_up_on, p.follow_ups, p.last_follow_up_outcome,"
        " p.next_follow_up_on < $1 AS overdue FROM proposals p"
        " JOIN waiting_list w USING (application_id) LEFT JOIN candidates c USING (volunteer_id)"
        " WHERE p.status = 'matchet' AND p.next_follow_up_on <= $1 AND w.status <> 'avsluttet'"
        " AND (CASE WHEN w.is_barnevern THEN $2::boolean ELSE $3::boolean END)"
        " ORDER BY p.next_follow_up_on, p.match_id",
        today, include_barnevern, include_ordinary,
    )
    return [dict(row) for row in rows]


async def guidance_of(connection: asyncpg.Connection, volunteer_id) -> list[dict]:
    """The training and guidance sessions one oppdragstaker was invited to, newest first, with attendance."""
    rows = await connection.fetch(
        "SELECT session_id, kind, held_on, present FROM guidance_attendance WHERE volunteer_id = $1"
        " ORDER BY held_on DESC, session_id", volunteer_id)
    return [dict(row) for row in rows]
