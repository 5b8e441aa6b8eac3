"""Unit tests of the web UI's own logic (no I/O): CSRF coverage, session expiry, roles from the
provider's claims, and how the gateway reads a service's answers."""

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from brobygger_gateway import pages
from brobygger_gateway.application import (
    Forbidden, InvalidInput, NotAllowed, ServiceClient, ServiceUnavailable,
)
from brobygger_gateway.domain import SessionTimes, StaffUser
from brobygger_gateway.main import app  # noqa: F401 - registers every page route
from brobygger_gateway.security import MutatingPaths


def test_every_page_route_that_changes_state_is_always_csrf_protected() -> None:
    protected = MutatingPaths(pages.router.routes)
    for path in ("/soknader/ny", "/soknader/0b0f/vedtak", "/oppdragstakere/0b0f/godkjenning", "/logg-ut"):
        assert path in protected
    for path in ("/", "/soknader", "/activity", "/logg-inn"):
        assert path not in protected


def test_a_session_ends_after_30_idle_minutes_or_10_hours_whichever_first() -> None:
    start = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
    times = SessionTimes(created_at=start, last_seen_at=start)
    assert not times.expired(start + timedelta(minutes=29))
    assert times.expired(start + timedelta(minutes=30))
    busy = SessionTimes(created_at=start, last_seen_at=start + timedelta(hours=9, minutes=59))
    assert not busy.expired(start + timedelta(hours=9, minutes=59, seconds=30))
    assert busy.expired(start + timedelta(hours=10))


def test_roles_come_from_the_configured_claim_and_unknown_ones_are_dropped() -> None:
    user = StaffUser.from_claims({"sub": "x", "name": "Sara", "roles": ["saksbehandler", "admin"]}, "roles")
    assert user.roles == {"saksbehandler"} and user.handles_cases and not user.sees_barnevern
    assert StaffUser.from_claims({"sub": "y"}, "roles").roles == frozenset()


def _client(handler) -> ServiceClient:
    client = ServiceClient({"applications": "http://applications"}, "secret" * 8, 120, 5)
    client.http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return client


async def test_a_422_names_its_fields_a_409_its_reason_and_a_403_reads_as_forbidden() -> None:
    user = StaffUser("u", "U", frozenset({"saksbehandler"}))
    answers = iter([
        httpx.Response(422, json={"detail": "Sjekk feltet", "errors": [{"field": "scope", "message": "Omfang: for stort"}]}),
        httpx.Response(409, json={"detail": "Saken har allerede et vedtak."}),
        httpx.Response(403, json={"detail": "Barnevern"}),
        httpx.Response(500, text="boom"),
    ])
    client = _client(lambda request: next(answers))
    with pytest.raises(InvalidInput) as invalid:
        await client.post("applications", "/x", user, {})
    assert invalid.value.errors == {"scope": "Omfang: for stort"}
    with pytest.raises(NotAllowed, match="allerede et vedtak"):
        await client.post("applications", "/x", user, {})
    with pytest.raises(Forbidden):
        await client.get("applications", "/x", user)
    with pytest.raises(ServiceUnavailable) as down:
        await client.get("applications", "/x", user)
    assert down.value.part == "Søknader og oppdragstakere"


async def test_a_service_that_does_not_answer_is_unavailable_and_each_call_carries_a_short_token() -> None:
    seen = []

    def refuse(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        raise httpx.ConnectError("refused")

    user = StaffUser("u", "U", frozenset({"saksbehandler"}))
    with pytest.raises(ServiceUnavailable):
        await _client(refuse).get("applications", "/x", user)
    assert seen[0].headers["authorization"].startswith("Bearer ") and seen[0].headers["x-correlation-id"]
    with pytest.raises(ServiceUnavailable):
        await _client(refuse).get("matching", "/x", user)  # no URL set for it
