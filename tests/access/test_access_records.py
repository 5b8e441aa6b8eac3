"""Every read of a person's data leaves exactly one access record (brobygger_shared.access_log), in every
service; the data is not shown when the record cannot be written; revisor, and only revisor, reads them.

Service tier, like the role walk: each service's app is built in this process without its lifespan, with
the in-memory access log. A by-id read records before the use case runs, so the application object that
refuses every call still shows that the record was written once."""

import re
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient

from brobygger_shared.access_log import InMemoryAccessLog
from brobygger_shared.topics import SERVICES
from tests.access.test_role_walk import RULES, SOME_ID, _app, _operations, _token

# Reads by id that need no access record of their own: the signing link (no signed-in user: the link is the
# credential, and contracts records the signing), the access log itself, and the dev mailbox.
NOT_PERSONAL = {
    ("contracts", "/signing/{contract_id}/{token}"),
    ("notifications", "/dev/mailbox/{name}"),
}


def _reads(route) -> bool:
    stack = list(route.dependant.dependencies)
    while stack:
        dependency = stack.pop()
        if getattr(dependency.call, "__qualname__", "").startswith("reads.<locals>"):
            return True
        stack.extend(dependency.dependencies)
    return False


def _by_id_reads(app, service: str) -> list[tuple[str, str]]:
    routes = {route.path: route for route in app.routes if hasattr(route, "dependant")}
    return [(method, path) for method, path in _operations(app)
            if method == "GET" and "{" in path and (service, path) not in NOT_PERSONAL
            and RULES[(service, method, path)][1] == "token" and path in routes]


def _with_log(service: str, log: InMemoryAccessLog):
    app = _app(service)
    app.state.runtime.access_log = log
    return app


@pytest.mark.parametrize("service", SERVICES)
def test_every_read_by_id_leaves_exactly_one_record_naming_the_id(service):
    log = InMemoryAccessLog()
    app = _with_log(service, log)
    client = TestClient(app, raise_server_exceptions=False)
    routes = {route.path: route for route in app.routes if hasattr(route, "dependant")}
    undeclared = [path for _, path in _by_id_reads(app, service) if not _reads(routes[path])]
    assert undeclared == [], f"{service}: reads by id that do not declare brobygger_shared.access_log.reads"

    for method, path in _by_id_reads(app, service):
        role = sorted(RULES[(service, method, path)][0])[0]
        url = re.sub(r"\{[^}]+\}", SOME_ID, path)
        before = len(log.records)
        client.request(method, url, headers={**_token(role), "x-purpose": "Arbeidsliste"})
        written = log.records[before:]
        assert len(written) == 1, f"{service} {path} as {role}: {len(written)} records"
        record = written[0]
        assert record.person_ids == [SOME_ID] and record.user_id == SOME_ID and record.roles == [role]
        assert (record.service, record.operation, record.purpose) == (service, f"GET {path}", "Arbeidsliste")
        assert record.correlation_id and not record.self_authorised


def test_a_refused_caller_leaves_no_record():
    log = InMemoryAccessLog()
    client = TestClient(_with_log("contracts", log), raise_server_exceptions=False)
    assert client.get(f"/contracts/{SOME_ID}", headers=_token("lønn")).status_code == 403
    assert client.get(f"/contracts/{SOME_ID}").status_code == 401
    assert log.records == []


def test_a_list_records_the_ids_it_shows_once():
    row = {"application_id": SOME_ID, "case_number": "2026/0001", "full_name": "Kari Nordmann", "scheme": "støttekontakt",
           "is_barnevern": False, "status": "mottatt"}

    class Found:
        async def fetch(self, *args, **kwargs):
            return [row]

    class Acquired:
        async def __aenter__(self):
            return Found()

        async def __aexit__(self, *exc):
            return False

    log = InMemoryAccessLog()
    app = _with_log("applications", log)
    app.state.runtime.read_pool = SimpleNamespace(acquire=Acquired)
    client = TestClient(app)
    answer = client.get("/service-applications", headers={**_token("saksbehandler"), "x-purpose": "soknader"})
    assert answer.status_code == 200 and answer.json()[0]["full_name"] == "Kari Nordmann"
    assert [(r.person_ids, r.resource, r.purpose) for r in log.records] == [([SOME_ID], "cases", "soknader")]
    assert "Kari" not in log.records[0].model_dump_json()  # ids only


def test_nothing_is_shown_when_the_record_cannot_be_written():
    client = TestClient(_with_log("matching", InMemoryAccessLog(failing=True)), raise_server_exceptions=False)
    answer = client.get(f"/matches/{SOME_ID}", headers=_token("saksbehandler"))
    assert answer.status_code == 500


def test_only_revisor_reads_who_has_read_a_person():
    log = InMemoryAccessLog()
    client = TestClient(_with_log("payroll", log), raise_server_exceptions=False)
    client.get(f"/timesheets/{SOME_ID}", headers=_token("lønn"))
    assert client.get("/access-log", params={"person_id": SOME_ID}, headers=_token("lønn")).status_code == 403
    answer = client.get("/access-log", params={"person_id": SOME_ID}, headers=_token("revisor"))
    assert answer.status_code == 200
    assert [(r["service"], r["operation"], r["roles"]) for r in answer.json()["records"]] == [
        ("payroll", "GET /timesheets/{timesheet_id}", ["lønn"])]
