"""PersonErased in the gateway, on real PostgreSQL: it is listed in the activity feed by its ids like any
event, a self-authorisation's free-text explanation about the case goes (reason, who and when stay), and
a portal session that showed the person's case (it holds their name and identity number) is ended; the
same erasure again changes nothing more."""

import asyncio
from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import asyncpg
import orjson
import pytest

from brobygger_dev.testing import project, rows
from brobygger_gateway import self_authorisations, sessions
from brobygger_gateway.projections import activity
from brobygger_shared.events import applications as a
from brobygger_shared.identity import synthetic_identity_number

pytestmark = pytest.mark.stack


def test_person_erased_blanks_the_self_authorisation_text_and_ends_the_persons_portal_session(scratch_database):
    case, other = uuid4(), uuid4()

    async def setup() -> None:
        connection = await asyncpg.connect(scratch_database)
        try:
            await connection.execute(self_authorisations.SCHEMA)
            await connection.execute(sessions.SCHEMA)
        finally:
            await connection.close()

    asyncio.run(setup())
    now = datetime.now(UTC)
    for case_id in (case, other):
        rows(scratch_database, "INSERT INTO self_authorisations (user_id, roles, case_id, reason, explanation,"
             " granted_at, expires_at) VALUES ('sara', '{saksbehandler}', $1, 'akutt', 'Ola Testesen ringte', $2, $3)"
             " RETURNING 1", case_id, now, now + timedelta(hours=1))
        person = {"person": {"sub": "p", "name": "Ola Testesen", "own_cases": [str(case_id)],
                             "pid": synthetic_identity_number(date(2014, 6, 9))}}
        rows(scratch_database, "INSERT INTO web_sessions VALUES ($1, $2::jsonb, $3, $3) RETURNING 1",
             uuid4().bytes, orjson.dumps(person).decode(), now)
    erasure = a.PersonErased(aggregate_id=case, case_ids=[case], erased_on=date(2026, 11, 27))
    project(scratch_database, activity, erasure)

    explanations = {row["case_id"]: (row["reason"], row["explanation"]) for row in rows(
        scratch_database, "SELECT case_id, reason, explanation FROM self_authorisations")}
    assert explanations == {case: ("akutt", "slettet"), other: ("akutt", "Ola Testesen ringte")}
    left = rows(scratch_database, "SELECT data::text AS data FROM web_sessions")
    assert len(left) == 1 and str(other) in left[0]["data"]
    assert [row["event_type"] for row in rows(scratch_database, "SELECT event_type FROM activity")] == ["PersonErased"]
