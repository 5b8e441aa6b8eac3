"""Hvem har sett saken din: the person's own case is checked first (another's is 404 and no access log is
asked), the services are asked with a token naming only that case, and the page shows roles, not users."""

import asyncio
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from brobygger_gateway.application import NotFound, ServiceClient, ServiceUnavailable
from brobygger_gateway.domain import Person
from brobygger_gateway.portal.seen_by import rows, seen_by
from brobygger_shared.access_log import AccessRecord, InMemoryAccessLog
from brobygger_shared.auth import read_token
from brobygger_shared.identity import synthetic_identity_number
from brobygger_shared.settings import DEV_AUTH_PRIVATE_KEY, DEV_AUTH_PUBLIC_KEY

KARI = Person(sub="pseudonym-kari", name="Kari", pid=synthetic_identity_number(date(1985, 3, 14)))
OWN = "00000000-0000-4000-8000-00000000000a"
AT = datetime(2026, 11, 26, 12, 0, 5, tzinfo=UTC)


def _record(service: str, seconds: int, roles: list[str], granted: bool = False) -> dict:
    return {"at": AT + timedelta(seconds=seconds), "service": service, "roles": roles, "self_authorised": granted}


def test_the_service_token_names_the_checked_case_and_the_session_never_keeps_it():
    owner = KARI.owning(OWN)
    token = ServiceClient({}, DEV_AUTH_PRIVATE_KEY, 60, 5)._headers(owner, None)["Authorization"][7:]
    principal = read_token(DEV_AUTH_PUBLIC_KEY, token)
    assert principal.is_person(KARI.pid) and principal.own_cases == {OWN}
    plain = ServiceClient({}, DEV_AUTH_PRIVATE_KEY, 60, 5)._headers(KARI, None)["Authorization"][7:]
    assert read_token(DEV_AUTH_PUBLIC_KEY, plain).own_cases == frozenset()
    assert "own_cases" not in owner.to_dict()


def test_rows_are_roles_newest_first_one_per_minute_with_nodtilgang_marked():
    shown = rows([
        _record("applications", 0, ["innbygger"]),
        _record("applications", 120, ["saksbehandler"]),
        _record("applications", 125, ["saksbehandler"]),  # the same page's second read: one row
        _record("matching", 130, ["revisor", "saksbehandler"]),
        _record("applications", 600, ["barnevern"], granted=True),
        _record("gateway", 700, ["someone-new"]),
    ])
    assert [(row["who"], row["part"], row["emergency"]) for row in shown] == [
        ("Ansatt i kommunen", "Saksbehandlingsløsningen", False),
        ("Barnevernet", "Søknader og oppdragstakere", True),
        ("Saksbehandler, Revisor", "Matching", False),
        ("Saksbehandler", "Søknader og oppdragstakere", False),
        ("Deg selv", "Søknader og oppdragstakere", False),
    ]


class Services:
    urls = {"applications": "http://a", "matching": "http://m", "gateway": "http://g"}

    def __init__(self, own: bool):
        self.own, self.asked = own, []

    async def get(self, service, path, user, params=None):
        self.asked.append((service, path, user.own_cases))
        if path.startswith("/citizen/"):
            if not self.own:
                raise NotFound("applications")
            return {"application_id": OWN, "scheme": "støttekontakt", "full_name": "Kari", "case_number": "2026-1"}
        if service == "matching":
            raise ServiceUnavailable("matching")
        return {"person_id": OWN, "records": [AccessRecord(
            at=AT, service="applications", user_id="", roles=["saksbehandler"], person_ids=[OWN], resource="case",
            operation="GET /x", purpose="", self_authorised=False, correlation_id="").model_dump(mode="json")]}


def _request():
    runtime = SimpleNamespace(access_log=InMemoryAccessLog([AccessRecord(  # the gateway's own log, read directly
        at=AT - timedelta(minutes=1), service="gateway", user_id="sara.saksbehandler", roles=["barnevern"], person_ids=[OWN, "other"],
        resource="case", operation="GET /x", purpose="selvautorisering: fare", self_authorised=True,
        correlation_id="c")]))
    return SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(runtime=runtime)))


def test_another_persons_case_is_404_and_no_access_log_is_asked():
    services = Services(own=False)
    with pytest.raises(NotFound):
        asyncio.run(seen_by(_request(), OWN, KARI, services))
    assert services.asked == [("applications", f"/citizen/service-applications/{OWN}", ())]


def test_the_own_case_asks_every_service_with_only_that_case(monkeypatch):
    services, shown = Services(own=True), {}
    monkeypatch.setattr("brobygger_gateway.portal.seen_by.render",
                        lambda request, name, context: shown.update(context))
    asyncio.run(seen_by(_request(), OWN, KARI, services))
    assert services.asked[1:] == [("applications", "/access-log", (OWN,)), ("matching", "/access-log", (OWN,))]
    assert [(row["who"], row["emergency"]) for row in shown["rows"]] == [("Saksbehandler", False), ("Barnevernet", True)]
    assert shown["unavailable"] == ["Matching"]
