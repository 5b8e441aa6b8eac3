"""A person in the portal reads who has looked at their own case in a service's access log: only a case
the gateway checked is theirs (the token's `own_cases`), and without user ids, purposes or other ids."""

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

from fastapi import FastAPI
from fastapi.testclient import TestClient

from brobygger_shared import access_log
from brobygger_shared.access_log import AccessRecord, InMemoryAccessLog
from brobygger_shared.auth import issue_token
from brobygger_shared.identity import synthetic_identity_number
from brobygger_shared.problems import install_problem_handlers
from brobygger_shared.settings import DEV_AUTH_PRIVATE_KEY, DEV_AUTH_PUBLIC_KEY

KARI = synthetic_identity_number(date(1985, 3, 14))
OWN = "00000000-0000-4000-8000-00000000000a"
OTHER = "00000000-0000-4000-8000-00000000000b"
AT = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def _record(minutes: int, user: str, roles: list[str], ids: list[str], granted: bool = False) -> AccessRecord:
    return AccessRecord(at=AT + timedelta(minutes=minutes), service="applications", user_id=user, roles=roles,
                        person_ids=ids, resource="case", operation="GET /service-applications",
                        purpose="side /soknader fra arbeidsliste", self_authorised=granted, correlation_id="corr-1")


def _client() -> TestClient:
    app = FastAPI()
    install_problem_handlers(app)
    app.include_router(access_log.router)
    app.state.runtime = SimpleNamespace(settings=SimpleNamespace(auth_public_key=DEV_AUTH_PUBLIC_KEY, auth_role_keys={},
                                                                 service_name="applications"))
    app.state.access_log = InMemoryAccessLog([
        _record(1, "sara.saksbehandler", ["saksbehandler"], [OWN, OTHER]),  # a list that showed both cases
        _record(2, "bjorn.barnevern", ["saksbehandler"], [OWN], granted=True),
        _record(3, "sara.saksbehandler", ["saksbehandler"], [OTHER]),
    ])
    return TestClient(app)


def _as(roles: list[str], pid: str | None = None, own_cases: list[str] | None = None) -> dict[str, str]:
    token = issue_token(DEV_AUTH_PRIVATE_KEY, "pseudonym-kari", roles, pid=pid, own_cases=own_cases)
    return {"authorization": f"Bearer {token}"}


def test_a_person_sees_the_roles_and_times_of_reads_of_their_checked_case_and_nothing_else():
    answer = _client().get("/access-log", params={"person_id": OWN}, headers=_as(["innbygger"], KARI, [OWN]))
    assert answer.status_code == 200
    records = answer.json()["records"]
    assert [(r["roles"], r["self_authorised"]) for r in records] == [(["saksbehandler"], True), (["saksbehandler"], False)]
    assert all(r["person_ids"] == [OWN] for r in records)  # not the other case the list also showed
    assert {r["user_id"] for r in records} == {""} and {r["purpose"] for r in records} == {""}
    assert "sara" not in answer.text and "bjorn" not in answer.text and OTHER not in answer.text


def test_a_person_cannot_read_the_records_of_a_case_the_gateway_did_not_check_as_theirs():
    client = _client()
    another = client.get("/access-log", params={"person_id": OTHER}, headers=_as(["innbygger"], KARI, [OWN]))
    assert another.status_code == 404
    assert "sara" not in another.text and "records" not in another.json()
    unchecked = client.get("/access-log", params={"person_id": OWN}, headers=_as(["innbygger"], KARI))
    assert unchecked.status_code == 404
    not_an_id = client.get("/access-log", params={"person_id": "x"}, headers=_as(["innbygger"], KARI, [OWN]))
    assert not_an_id.status_code == 404


def test_own_cases_open_nothing_to_staff_or_to_a_portal_token_without_a_person():
    client = _client()
    for headers in (_as(["saksbehandler"], own_cases=[OWN]), _as(["innbygger"], own_cases=[OWN])):
        assert client.get("/access-log", params={"person_id": OWN}, headers=headers).status_code == 403


def test_the_auditor_still_sees_everything_about_the_id():
    answer = _client().get("/access-log", params={"person_id": OWN}, headers=_as(["revisor"]))
    records = answer.json()["records"]
    assert [r["user_id"] for r in records] == ["bjorn.barnevern", "sara.saksbehandler"]
    assert records[1]["person_ids"] == [OWN, OTHER] and records[0]["purpose"].startswith("side")
