"""The portal's own rules: who may sign in (level and identity number), which session a path has, and
the limit on how often forms may be sent."""

from datetime import date

import pytest

from brobygger_gateway.domain import Person, SignInRefused
from brobygger_gateway.portal.limits import FormLimits, SlidingWindow, TooManyRequests
from brobygger_gateway.portal.signin import _local
from brobygger_gateway.sessions import PORTAL, STAFF, _cookie, _hash
from brobygger_shared.identity import synthetic_identity_number

PID = synthetic_identity_number(date(1985, 3, 14))


def test_the_person_is_the_pid_claim_not_sub():
    person = Person.from_claims({"sub": "pseudonym", "pid": PID, "acr": "idporten-loa-substantial", "name": "Kari"})
    assert (person.pid, person.sub, person.name) == (PID, "pseudonym", "Kari")
    assert person.roles == {"innbygger"}
    assert Person.from_claims({"sub": "x", "pid": PID, "acr": "idporten-loa-high"}).pid == PID


@pytest.mark.parametrize("claims", [
    {"sub": "x", "pid": PID, "acr": "idporten-loa-low"},
    {"sub": "x", "pid": PID},
    {"sub": "x", "pid": "12345678901", "acr": "idporten-loa-substantial"},
    {"sub": "x", "acr": "idporten-loa-substantial"},
    {"pid": PID, "acr": "idporten-loa-substantial"},
])
def test_sign_in_is_refused_below_substantial_or_without_a_valid_number(claims):
    with pytest.raises(SignInRefused):
        Person.from_claims(claims)


def test_staff_and_portal_paths_have_separate_sessions():
    assert PORTAL.covers("/portal") and PORTAL.covers("/portal/saker/1")
    assert not PORTAL.covers("/soknader") and not PORTAL.covers("/portalen") and not PORTAL.covers("/static/x")
    assert STAFF.covers("/soknader") and not STAFF.covers("/portal") and not STAFF.covers("/portal/saker")
    assert _hash("same-id", "portal") != _hash("same-id", "staff")


def test_each_realm_reads_only_its_own_cookie():
    scope = {"headers": [(b"cookie", b"brobygger_portal=abc; brobygger_okt=def; csrftoken=x")]}
    assert _cookie(scope, PORTAL.cookie) == "abc"
    assert _cookie(scope, STAFF.cookie) == "def"
    assert _cookie({"headers": [(b"cookie", b"brobygger_portal=abc")]}, STAFF.cookie) is None


def test_sign_in_returns_only_to_a_portal_page():
    assert _local("/portal/saker") == "/portal/saker"
    for elsewhere in ("/soknader", "//evil.example/portal", "https://evil.example", "/portalen", None):
        assert _local(elsewhere) == "/portal"


def test_a_sliding_window_allows_the_limit_per_minute_and_then_says_how_long_to_wait():
    now = [1000.0]
    window = SlidingWindow(limit=3, clock=lambda: now[0])
    assert [window.hit("a") for _ in range(3)] == [0, 0, 0]
    assert window.hit("a") == 61
    assert window.hit("b") == 0  # each key its own
    now[0] += 30
    assert window.hit("a") == 31
    now[0] += 31
    assert window.hit("a") == 0


def test_form_limits_count_per_session_and_per_address():
    limits = FormLimits(per_session=2, per_address=3)
    limits.check("person:a", "10.0.0.1")
    limits.check("person:a", "10.0.0.1")
    with pytest.raises(TooManyRequests):
        limits.check("person:a", "10.0.0.2")  # the same person from another address
    limits.check("person:b", "10.0.0.1")
    with pytest.raises(TooManyRequests):
        limits.check("person:c", "10.0.0.1")  # a fourth from one address, whoever it is


def test_a_portal_form_over_the_limit_is_answered_429_before_it_is_read():
    from fastapi import FastAPI, Request
    from fastapi.testclient import TestClient

    from brobygger_gateway.portal import install, templates  # noqa: F401 - the portal's pages
    from brobygger_gateway.portal.limits import Limited

    app = FastAPI()
    app.state.portal_limits = FormLimits(per_session=2, per_address=100)
    read = []

    @app.post("/portal/skjema")
    async def form(request: Request, _: Limited) -> dict:
        read.append(await request.body())
        return {}

    install(app)
    client = TestClient(app)
    cookie = {"brobygger_portal": "one-session"}
    assert [client.post("/portal/skjema", cookies=cookie).status_code for _ in range(2)] == [200, 200]
    refused = client.post("/portal/skjema", cookies=cookie, content=b"x")
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert "For mange innsendinger" in refused.text
    assert len(read) == 2
    assert client.post("/portal/skjema", cookies={"brobygger_portal": "another"}).status_code == 200


def test_a_portal_address_with_a_malformed_id_is_the_portals_not_found_page_and_staff_keep_their_422():
    from uuid import UUID

    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from brobygger_gateway.portal import install

    app = FastAPI()

    @app.get("/portal/oppdragsavtaler/{contract_id}")
    async def contract(contract_id: UUID) -> dict:
        return {}

    @app.get("/api/ting/{thing_id}")
    async def thing(thing_id: UUID) -> dict:
        return {}

    install(app)
    client = TestClient(app)
    page = client.get("/portal/oppdragsavtaler/ikke-en-id")
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]
    assert "Fant ikke det du ba om" in page.text and "ikke-en-id" not in page.text
    assert client.get("/api/ting/ikke-en-id").status_code == 422
