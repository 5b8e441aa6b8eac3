"""Every read of a person's data leaves an access record ("tilgangslogg"), written before the data is shown.

A route whose answer shows a person's data declares it with `reads(resource, id_param)`, a FastAPI
dependency placed after the route's role check (dependencies resolve in signature order, so a refused
caller leaves no record). With `id_param` the record is written as the dependency resolves, naming the
path parameter's id (an attempt on an id the caller may not see is logged too: that is what an auditor
wants to know); without it the route calls `await reading.record(ids)` with the ids its answer shows,
before it returns. If the record cannot be written the request fails (5xx) and nothing is shown.

A record holds who (user id and roles), whose (person ids: case, application, volunteer or contract
ids, never names or identity numbers), what (resource and operation), why (the `X-Purpose` header the
gateway sends: the page or work queue, or a self-authorisation's reason), whether a self-authorisation
let them in, when, and the correlation id. Stored append-only (an UPDATE is refused by a trigger) in
the service's own database, and deleted after `access_log_retention_days`. The in-memory variant is for
service-tier tests. Role `revisor` reads a person's records through `GET /access-log` in every service.
A person in the portal (role `innbygger`) reads there who has looked at their own case: only a case id
the gateway put in the token's `own_cases` after the applications service's /citizen route answered
(anything else is 404), and each record without the user id, the purpose, the correlation id or any other
person's id: the roles, the time, the service and whether a self-authorisation let them in.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Protocol
from uuid import UUID

import asyncpg
from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from brobygger_shared.auth import AUTH_RESPONSES, Principal, current_principal
from brobygger_shared.problems import Problem
from brobygger_shared.tracing import current_trace

REVISOR = "revisor"  # auditors: read the access log, nothing else
PURPOSE_HEADER = "x-purpose"
MAX_PURPOSE = 200
DEFAULT_RETENTION_DAYS = 1826  # five years

SCHEMA = """
CREATE TABLE IF NOT EXISTS access_log (
    position bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    user_id text NOT NULL,
    roles text[] NOT NULL,
    person_ids text[] NOT NULL,
    resource text NOT NULL,
    operation text NOT NULL,
    purpose text NOT NULL,
    self_authorised boolean NOT NULL,
    correlation_id text NOT NULL
);
CREATE INDEX IF NOT EXISTS access_log_person_ids ON access_log USING gin (person_ids);
CREATE OR REPLACE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'the access log is append-only'; END $$;
DROP TRIGGER IF EXISTS access_log_append_only ON access_log;
CREATE TRIGGER access_log_append_only BEFORE UPDATE ON access_log
    FOR EACH ROW EXECUTE FUNCTION access_log_append_only();
"""


class AccessRecord(BaseModel):
    at: datetime
    service: str
    user_id: str
    roles: list[str]
    person_ids: list[str]
    resource: str
    operation: str
    purpose: str
    self_authorised: bool
    correlation_id: str


class AccessLog(Protocol):
    async def append(self, record: AccessRecord) -> None: ...

    async def about(self, person_id: str, limit: int) -> list[AccessRecord]: ...


class PostgresAccessLog:
    def __init__(self, pool: Any, service: str, retention_days: int = DEFAULT_RETENTION_DAYS) -> None:
        self.pool, self.service, self.retention = pool, service, timedelta(days=retention_days)

    async def setup(self) -> None:
        async with self.pool.acquire() as connection, connection.transaction():
            # Several processes of a service may start at once: one sets the table and trigger up at a time.
            await connection.execute("SELECT pg_advisory_xact_lock(hashtext('brobygger.access_log'))")
            await connection.execute(SCHEMA)
        await self.forget_old()

    async def forget_old(self) -> None:
        await self.pool.execute("DELETE FROM access_log WHERE at < now() - $1::interval", self.retention)

    async def append(self, record: AccessRecord) -> None:
        async with self.pool.acquire() as connection:
            await connection.execute(
                "INSERT INTO access_log (at, user_id, roles, person_ids, resource, operation, purpose,"
                " self_authorised, correlation_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                record.at, record.user_id, record.roles, record.person_ids, record.resource, record.operation,
                record.purpose, record.self_authorised, record.correlation_id)

    async def about(self, person_id: str, limit: int) -> list[AccessRecord]:
        await self.forget_old()
        async with self.pool.acquire() as connection:
            rows = await connection.fetch(
                "SELECT * FROM access_log WHERE person_ids @> ARRAY[$1::text] ORDER BY position DESC LIMIT $2",
                person_id, limit)
        return [AccessRecord(service=self.service, **{k: v for k, v in dict(row).items() if k != "position"})
                for row in rows]


@dataclass
class InMemoryAccessLog:
    """For service-tier tests: the same records, kept in a list."""

    records: list[AccessRecord] = field(default_factory=list)
    failing: bool = False  # a test sets it to see that nothing is shown when the log cannot be written

    async def append(self, record: AccessRecord) -> None:
        if self.failing:
            raise RuntimeError("access log unavailable")
        self.records.append(record)

    async def about(self, person_id: str, limit: int) -> list[AccessRecord]:
        return [r for r in reversed(self.records) if person_id in r.person_ids][:limit]

    def of(self, person_id: str) -> list[AccessRecord]:
        return [r for r in self.records if person_id in r.person_ids]


def access_log_of(request: Request) -> AccessLog:
    """The service's access log: the runtime's (PostgreSQL, set by the lifespan), else the app's own
    in-memory one (a service-tier test that builds the app without a database)."""
    log = getattr(request.app.state.runtime, "access_log", None)
    if log is None:
        log = getattr(request.app.state, "access_log", None)
        if log is None:
            log = request.app.state.access_log = InMemoryAccessLog()
    return log


@dataclass
class Reading:
    """One request's read of personal data, not yet recorded."""

    log: AccessLog
    principal: Principal
    service: str
    resource: str
    operation: str
    purpose: str
    recorded: bool = False

    async def record(self, person_ids: Iterable[UUID | str]) -> None:
        """Writes the access record for the persons this answer shows; raises (so nothing is shown) if it
        cannot be written. Once per request: a second call is a programming error."""
        if self.recorded:
            raise RuntimeError("this read was recorded already")
        ids = sorted({str(person_id) for person_id in person_ids if person_id is not None})
        self.recorded = True
        if not ids:  # an empty list shows no one's data
            return
        granted = bool(set(ids) & self.principal.granted_cases)
        await self.log.append(AccessRecord(
            at=datetime.now(UTC), service=self.service, user_id=self.principal.user_id,
            roles=sorted(self.principal.roles), person_ids=ids, resource=self.resource, operation=self.operation,
            purpose=self.purpose, self_authorised=granted, correlation_id=current_trace().correlation_id))


def reads(resource: str, id_param: str | None = None):
    """A FastAPI dependency: this route shows a person's data (`resource` names what, e.g. "case").
    With `id_param`, the record naming that path parameter is written at once; without, the route calls
    `record(ids)` on the `Reading` it gets."""

    async def reading(request: Request, principal: Annotated[Principal, Depends(current_principal)]) -> Reading:
        runtime = request.app.state.runtime
        service = getattr(getattr(runtime, "settings", None), "service_name", "") or ""
        purpose = (request.headers.get(PURPOSE_HEADER) or "").strip()[:MAX_PURPOSE] or "ikke oppgitt"
        route = request.scope.get("route")
        operation = f"{request.method} {getattr(route, 'path', request.url.path)}"
        current = Reading(access_log_of(request), principal, service, resource, operation, purpose)
        if id_param is not None:
            await current.record([request.path_params[id_param]])
        return current

    return reading


router = APIRouter(tags=["tilgangslogg"])


class AccessRecordsOut(BaseModel):
    person_id: str
    records: list[AccessRecord]


def auditor_or_citizen(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    """Role revisor, or a person in the portal (who then sees only a case the gateway checked is theirs)."""
    if principal.has(REVISOR) or principal.is_citizen:
        return principal
    raise Problem(403, "Du har ikke tilgang til dette.")


def for_the_person(record: AccessRecord, case_id: str) -> AccessRecord:
    """What a person may see of a read of their own case: which roles, where, when and whether by
    self-authorisation; no user id, no purpose (a free-text reason may name others), no other ids."""
    return record.model_copy(update={"user_id": "", "person_ids": [case_id], "purpose": "", "correlation_id": ""})


@router.get("/access-log", responses={**AUTH_RESPONSES, 404: {"description": "Ikke din sak (innbygger)"}},
            summary="Who has read this person's data here, newest first: everything for role revisor; for a "
                    "person in the portal, the roles and times of the reads of their own case (`own_cases`)")
async def get_access_log(request: Request, principal: Annotated[Principal, Depends(auditor_or_citizen)],
                         person_id: Annotated[str, Query(min_length=1, max_length=100)],
                         limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> AccessRecordsOut:
    if principal.has(REVISOR):
        return AccessRecordsOut(person_id=person_id, records=await access_log_of(request).about(person_id, limit))
    try:
        case_id = str(UUID(person_id))
    except ValueError:
        case_id = ""
    if case_id not in principal.own_cases:
        raise Problem(404, "Fant ikke saken.")
    records = await access_log_of(request).about(case_id, limit)
    return AccessRecordsOut(person_id=case_id, records=[for_the_person(record, case_id) for record in records])


async def setup(runtime: Any, pool: asyncpg.Pool) -> None:
    """The lifespan's part: the table, and the runtime's log on it."""
    settings = runtime.settings
    log = PostgresAccessLog(pool, settings.service_name,
                            getattr(settings, "access_log_retention_days", DEFAULT_RETENTION_DAYS))
    await log.setup()
    runtime.access_log = log


def reading_of(resource: str, id_param: str | None = None) -> Any:
    """The parameter type a route declares: `read: reading_of("case", "case_id")`, after its role check."""
    return Annotated[Reading, Depends(reads(resource, id_param))]


def ids_in(rows: Iterable[Any], *keys: str) -> list[Any]:
    """The ids a list answer shows: each row's value under each key it has (contract, case, volunteer...)."""
    return [row.get(key) for row in rows for key in keys if row.get(key) is not None]
