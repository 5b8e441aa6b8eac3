"""The revisor's view and the purpose the gateway sends: every service call carries the page asking
(`X-Purpose`, ASCII), and the Tilgangslogg gathers each service's records about a person, newest first,
naming a service that did not answer."""

import asyncio
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from brobygger_gateway.application import ServiceClient, ServiceUnavailable
from brobygger_gateway.domain import StaffUser
from brobygger_gateway.access_records import gathered
from brobygger_gateway.pages.access_log import LIMIT, auditor
from brobygger_gateway.pages import PageNotFound
from brobygger_gateway.purpose import SendPurpose, current_purpose, purpose_of
from brobygger_shared.access_log import AccessRecord, InMemoryAccessLog
from brobygger_shared.settings import DEV_AUTH_PRIVATE_KEY

PERSON = "00000000-0000-4000-8000-000000000007"
RITA = StaffUser(user_id="rita.revisor", name="Rita Revisor", roles=frozenset({"revisor"}))
AT = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def test_the_purpose_is_the_page_and_the_queue_it_came_from_in_ascii():
    assert purpose_of("/soknader/abc", b"fra=arbeidsliste") == "side /soknader/abc fra arbeidsliste"
    assert purpose_of("/lønn", b"fra=<b>x\xc3\xb8") == "side /l%C3%B8nn fra bx"
    assert purpose_of("/lønn", b"").isascii()


def test_every_service_call_made_for_a_page_carries_its_purpose():
    seen = {}

    async def page(scope, receive, send):
        seen["headers"] = ServiceClient({}, DEV_AUTH_PRIVATE_KEY, 60, 5)._headers(RITA, None)

    asyncio.run(SendPurpose(page)({"type": "http", "path": "/kontrakter/1", "query_string": b"fra=kontrakter"},
                                  None, None))
    assert seen["headers"]["X-Purpose"] == "side /kontrakter/1 fra kontrakter"
    assert current_purpose() is None  # gone after the request
    assert "X-Purpose" not in ServiceClient({}, DEV_AUTH_PRIVATE_KEY, 60, 5)._headers(RITA, None)


def _record(service: str, minutes: int, user: str) -> dict:
    return AccessRecord(at=AT + timedelta(minutes=minutes), service=service, user_id=user, roles=["saksbehandler"],
                        person_ids=[PERSON], resource="case", operation="GET /x/{id}", purpose="side /x",
                        self_authorised=False, correlation_id="c").model_dump(mode="json")


class Services:
    # The runtime's SERVICE_URLS names the gateway too: its own log is read directly, never asked twice.
    urls = {"applications": "http://a", "contracts": "http://c", "payroll": "http://p", "gateway": "http://g"}

    def __init__(self):
        self.asked = []

    async def get(self, service, path, user, params=None):
        self.asked.append((service, path, user.user_id, params["person_id"]))
        if service == "payroll":
            raise ServiceUnavailable("payroll")
        minutes = {"applications": 1, "contracts": 3, "gateway": 2}[service]
        return {"person_id": PERSON, "records": [_record(service, minutes, "sara" if service != "gateway" else "bjorn")]}


def test_the_log_gathers_each_service_newest_first_and_names_one_that_did_not_answer():
    own = InMemoryAccessLog()
    asyncio.run(own.append(AccessRecord.model_validate(_record("gateway", 2, "bjorn"))))
    services = Services()
    request = SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(
        services=services, runtime=SimpleNamespace(access_log=own))))

    records, unavailable = asyncio.run(gathered(request, services, RITA, PERSON, LIMIT))

    assert [(r["service"], r["user_id"]) for r in records] == [
        ("contracts", "sara"), ("gateway", "bjorn"), ("applications", "sara")]
    assert unavailable == ["Timelister og lønn"]
    assert {asked[1:] for asked in services.asked} == {("/access-log", "rita.revisor", PERSON)}


def test_the_page_does_not_exist_for_anyone_but_revisor():
    auditor(RITA)
    with pytest.raises(PageNotFound):
        auditor(StaffUser(user_id="leo", name="Leo", roles=frozenset({"leder", "saksbehandler"})))
