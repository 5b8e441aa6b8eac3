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
from brobygger_shared.settings import DEV_AUTH_PRIVATE_KEY


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
    client = ServiceClient({"applications": "http://applications"}, DEV_AUTH_PRIVATE_KEY, 120, 5)
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


def test_every_new_form_route_is_csrf_protected_and_the_signing_link_too() -> None:
    protected = MutatingPaths(pages.router.routes)
    for path in ("/matching/forslag-for-listen", "/matching/foresla-valgte", "/matching/sak/0b0f/forslag",
                 "/matching/forslag/0b0f/ja", "/matching/forslag/0b0f/nei", "/matching/forslag/0b0f/gruppe",
                 "/kontrakter/0b0f/utkast",
                 "/kontrakter/0b0f/kommune", "/signering/0b0f/token", "/timelister/0b0f/godkjenn",
                 "/lonn/kjoringer", "/lonn/satser", "/lonn/ansattnummer", "/lonn/kontroll"):
        assert path in protected, path
    for path in ("/matching", "/kontrakter", "/timelister", "/lonn", "/aktivitet"):
        assert path not in protected


def test_amounts_in_kroner_and_months_in_words() -> None:
    assert pages.kroner(123456) == "1\u00a0234,56\u00a0kr"
    assert pages.kroner(-50) == "−0,50\u00a0kr"
    assert pages.period_name("2026-11") == "november 2026"


def test_contract_terms_typed_in_kroner_are_sent_in_ore_and_shown_back_in_kroner() -> None:
    from brobygger_gateway.pages.contracts import terms_body, terms_values
    from brobygger_gateway.pages.forms import FormState

    terms = {"engagement_type": "oppdragstaker", "scope": 3.0, "scope_unit": "timer_per_uke",
             "hourly_rate_ore": 18050, "expense_kind": "fast_per_måned", "expense_flat_monthly_ore": 40000,
             "notice_period_days": 14, "contact_persons": ["Kari", "Per"]}
    form = FormState(values=terms_values(terms))
    assert form.values["terms.hourly_rate_ore"] == "180,50" and form.values["terms.contact_persons"] == "Kari\nPer"
    body = terms_body(form)
    assert not form.errors
    assert body["hourly_rate_ore"] == 18050 and body["expense_flat_monthly_ore"] == 40000
    assert body["contact_persons"] == ["Kari", "Per"] and body["scope"] == 3.0 and body["dogn_rate_ore"] is None
    form = FormState(values={**terms_values(terms), "terms.scope": "", "terms.hourly_rate_ore": "mye"})
    terms_body(form)
    assert set(form.errors) == {"terms.scope", "terms.hourly_rate_ore"}


def test_barnevern_schemes_are_only_for_the_barnevern_role() -> None:
    sara = StaffUser("s", "Sara", frozenset({"saksbehandler"}))
    bjorn = StaffUser("b", "Bjørn", frozenset({"saksbehandler", "barnevern"}))
    assert not pages.may_see(sara, "besøkshjem") and not pages.may_see(sara, "støttekontakt_barnevern")
    assert pages.may_see(sara, "støttekontakt") and pages.may_see(bjorn, "besøkshjem")


def test_the_activity_feed_marks_an_event_of_a_barnevern_scheme() -> None:
    from types import SimpleNamespace

    from brobygger_gateway.projections import _is_barnevern

    assert _is_barnevern(SimpleNamespace(is_barnevern=True))
    assert _is_barnevern(SimpleNamespace(scheme="besøkshjem"))
    assert not _is_barnevern(SimpleNamespace(scheme="støttekontakt"))
    assert not _is_barnevern(SimpleNamespace(contract_id="x"))  # decided by the contract's own events


async def test_a_timesheet_or_a_notification_of_a_barnevern_case_is_marked_by_the_ids_it_names() -> None:
    from types import SimpleNamespace
    from uuid import uuid4

    from brobygger_gateway.projections import _record

    case, contract, sheet, other = uuid4(), uuid4(), uuid4(), uuid4()

    class Db:
        def __init__(self) -> None:
            self.subjects: set = set()
            self.rows: list = []

        async def fetch(self, query, ids):
            return [{"subject_id": subject} for subject in ids if subject in self.subjects]

        async def executemany(self, query, rows):
            if "barnevern_subjects" in query:
                self.subjects |= {row[0] for row in rows}
            else:
                self.rows += rows

    def delivered(event_type, **fields):
        meta = SimpleNamespace(event_id=uuid4(), source="x", source_position=1, event_type=event_type)
        return SimpleNamespace(meta=meta, event=SimpleNamespace(occurred_at=None, **fields))

    db = Db()
    await _record(db, [delivered("ContractSigned", aggregate_id=contract, contract_id=contract, application_id=case,
                                 scheme="besøkshjem")])
    await _record(db, [delivered("TimesheetSubmitted", aggregate_id=sheet, contract_id=contract),
                       delivered("NotificationSent", aggregate_id=uuid4(), recipient_id=case),
                       delivered("NotificationSent", aggregate_id=uuid4(), recipient_id=other)])
    assert [row[6] for row in db.rows] == [True, True, True, False]


def test_the_case_page_offers_only_the_steps_the_case_state_allows() -> None:
    from brobygger_gateway.pages.cases import appeal_pending_at, case_steps

    granted = {"granted": True, "final": False}

    def case(status: str, decisions=(), appeal=None, ended=None, interim_reply=None) -> dict:
        return {"status": status, "decisions": list(decisions), "appeal": appeal, "ended": ended,
                "interim_reply": interim_reply}

    assert case_steps(case("mottatt")) == {"", "kartlegging", "svar", "trekk"}
    assert "svar" not in case_steps(case("mottatt", interim_reply={"sent_on": "2026-11-01"}))
    assert case_steps(case("innvilget", [granted])) == {"kartlegging", "klage", "slutt"}
    assert case_steps(case("avslått", [{"granted": False}])) == {"kartlegging", "klage"}  # nothing to end
    assert "klage" not in case_steps(case("innvilget", [{"granted": True, "final": True}]))  # the Statsforvalteren's
    at_kommune = {"received_on": "2026-11-01"}
    assert appeal_pending_at(case("klage_til_behandling", appeal=at_kommune)) == "kommune"
    assert case_steps(case("klage_til_behandling", [granted], at_kommune)) == {"", "kartlegging", "oversending", "slutt"}
    forwarded = {**at_kommune, "resolution": "oversendt_statsforvalteren"}
    assert case_steps(case("hos_statsforvalteren", [granted], forwarded)) == {"kartlegging", "sf", "slutt"}
    assert appeal_pending_at(case("innvilget", appeal={**forwarded, "statsforvalter_outcome": "stadfestet"})) is None
    # A klage kept when the service ended is still handled: omgjøring or oversending, but no new ending.
    assert case_steps(case("avsluttet", [granted], at_kommune, {"ended_on": "2026-11-20"})) == {"", "oversending"}
    assert case_steps(case("trukket")) == set()
    # A ledsagerbevis asked for in the søknad is decided on the case page, before or after the vedtak.
    asked = {**case("innvilget", [granted]), "ledsagerbevis_asked": True}
    assert case_steps(asked) == {"kartlegging", "klage", "slutt", "ledsagerbevis"}
    assert "ledsagerbevis" not in case_steps({**case("trukket"), "ledsagerbevis_asked": True})
