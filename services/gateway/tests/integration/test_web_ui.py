"""The staff web UI in a real browser (Debian's Chromium via Playwright) against the embedded stack:
sign-in through the dev OIDC provider, a paper søknad and its vedtak, an oppdragstaker approved, a 422
next to its field with the input kept, a 409 as a message, CSRF, and barnevern cases invisible without
the barnevern role. axe-core runs on every page visited: no serious or critical WCAG 2.1 A/AA issue."""

import hashlib
import os
import random
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo
from uuid import uuid4

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

import psycopg

from brobygger_gateway.pages import period_name
from brobygger_shared.auth import BARNEVERN, CASEWORKER
from brobygger_shared.identity import synthetic_identity_number
from brobygger_dev.runtime.stack import Stack, database_name, with_database
from brobygger_dev.testing import eventually, staff_headers
from services.gateway.tests.integration.browsing import CheckedBrowsing, chromium
from tests.integration.flows import approved_volunteer, granted_case, proposed_match, signed_contract

# Screenshots of the main pages: into docs/screenshots with SCREENSHOTS=1 (to refresh the README's), else
# into the test's own temporary directory.
SCREENSHOTS = Path(__file__).resolve().parents[4] / "docs" / "screenshots"


class Visit(CheckedBrowsing):
    """A member of staff in one browser context: signs in, and checks each page it lands on with axe."""

    def __init__(self, browser: Browser, gateway: str) -> None:
        super().__init__(browser, gateway)
        self.checked: dict[str, list] = {}

    def sign_in(self, sub: str, then: str = "/") -> Page:
        page = self.page
        page.goto(then)
        expect(page.get_by_role("heading", name="Logg inn i Brobygger")).to_be_visible()
        self.axe()
        page.get_by_role("link", name="Logg inn").click()
        page.get_by_role("button", name=sub).click()  # the dev provider's one-click user
        page.wait_for_url(lambda url: url.startswith(self.gateway) and "/logg-inn" not in url)
        return page

    def axe(self) -> list:
        violations = super().axe()
        self.checked[self.page.url] = violations
        return violations


pytestmark = pytest.mark.stack

CASEWORKER_USER = "sara.saksbehandler"  # saksbehandler only
BARNEVERN_USER = "bjorn.barnevern"  # saksbehandler and barnevern


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


@pytest.fixture
def visit(browser: Browser, stack: Stack) -> Iterator[Visit]:
    visit = Visit(browser, stack.services["gateway"].url)
    yield visit
    visit.close()


def person(rng: random.Random | None = None) -> dict:
    rng = rng or random.Random()
    birth_date = date(rng.randint(1960, 2010), rng.randint(1, 12), rng.randint(1, 28))
    return {"national_id": synthetic_identity_number(birth_date, rng.randint(0, 899)),
            "full_name": f"Testperson {uuid4().hex[:8]}", "birth_date": birth_date.isoformat()}


def case_by_api(stack: Stack, scheme: str = "støttekontakt") -> dict:
    body = {**person(), "address": "Storgata 1", "area": "Sentrum", "scheme": scheme, "needs": "Trenger følge."}
    response = httpx.post(f"{stack.services['applications'].url}/service-applications", json=body, timeout=10,
                          headers=staff_headers(CASEWORKER, BARNEVERN))
    assert response.status_code == 201, response.text
    return {**body, **response.json()}


def listed(page: Page, name: str) -> bool:
    """Lists are read models, a moment behind the command: reload until the name is there."""
    page.reload()
    return page.get_by_role("link", name=name).count() == 1


def test_a_caseworker_registers_a_paper_soknad_and_makes_a_vedtak_with_a_422_on_the_way(visit: Visit) -> None:
    page = visit.sign_in(CASEWORKER_USER)
    expect(page.get_by_role("heading", name="Arbeidsliste")).to_be_visible()
    visit.axe()

    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Søknader").click()
    expect(page.get_by_role("heading", name="Søknader", exact=True)).to_be_visible()
    visit.axe()
    page.get_by_role("link", name="Registrer papirsøknad").click()
    visit.axe()
    # Only the schemes this person may see cases of.
    expect(page.get_by_label("Ordning").locator("option[value='besøkshjem']")).to_have_count(0)

    applicant = person()
    page.get_by_label("Ordning").select_option("støttekontakt")
    page.get_by_label("Fødselsnummer eller D-nummer").fill(applicant["national_id"])
    page.get_by_label("Fullt navn").fill(applicant["full_name"])
    page.get_by_label("Fødselsdato").fill(applicant["birth_date"])
    page.get_by_label("Adresse").fill("Storgata 1")
    page.get_by_label("Bydel eller område").fill("Sentrum")
    page.get_by_label("Behov", exact=True).fill("Trenger noen å gå på kino og fotball med.")
    page.get_by_role("button", name="Registrer søknaden").click()

    expect(page.get_by_text("Søknaden er registrert.")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Søknad fra {applicant['full_name']}")).to_be_visible()
    visit.axe()

    # A scope above what a week holds: the service's 422 lands next to the field, and nothing typed is lost.
    start = date.today() + timedelta(days=7)
    page.get_by_label("Innvilget").check()
    page.get_by_label("Omfang (timer per uke)").fill("500")
    page.get_by_label("Periode fra").fill(start.isoformat())
    page.get_by_label("Periode til").fill((start + timedelta(days=365)).isoformat())
    page.get_by_label("Begrunnelse").fill("Søkeren har behov for fritidsaktiviteter.")
    page.get_by_role("button", name="Fatt vedtak").click()

    scope = page.get_by_label("Omfang (timer per uke)")
    expect(scope).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#felt-scope-feil")).to_contain_text("168")
    expect(scope).to_have_value("500")
    expect(page.get_by_label("Begrunnelse")).to_have_value("Søkeren har behov for fritidsaktiviteter.")
    expect(page.get_by_label("Innvilget")).to_be_checked()
    expect(page.locator(".ds-error-summary")).to_be_focused()
    visit.axe()

    scope.fill("10")
    page.get_by_role("button", name="Fatt vedtak").click()
    expect(page.get_by_text("Vedtaket er registrert.")).to_be_visible()
    expect(page.locator("#sammendrag ~ .fakta, .fakta").first).to_contain_text("Innvilget")
    expect(page.get_by_text("Vedtak nr. 1: innvilget")).to_be_visible()
    expect(page.get_by_role("button", name="Fatt vedtak")).to_have_count(0)
    visit.axe()

    # The case number on the page; the vedtak's letter as a PDF whose hash is the one recorded.
    case_number = page.get_by_text(re.compile(r"^Saksnummer \d{4}/\d{4,}$")).inner_text().split()[-1]
    letter = page.get_by_role("link", name=re.compile("^Vedtaksbrev"))
    pdf = page.request.get(letter.get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(pdf.body()).hexdigest() == pdf.headers["x-content-sha256"]
    assert pdf.body().startswith(b"%PDF")

    # The archive's panel: the søknad and the vedtak letter reach the archive as journalposter.
    expect(page.get_by_role("heading", name="Arkiv", exact=True)).to_be_visible()
    reload_until(page, lambda p: p.get_by_role("cell", name="Arkivert").nth(1))

    # The case as it stood yesterday: not received yet. Today: the vedtak, read-only. Days are the kommune's
    # (Oslo), not the machine's: after 23:00 UTC it is already tomorrow there.
    today = datetime.now(ZoneInfo("Europe/Oslo")).date()
    page.get_by_label("Dato").fill((today - timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Vis", exact=True).click()
    expect(page.get_by_text(re.compile("^Saken var ikke mottatt"))).to_be_visible()
    page.get_by_label("Dato").fill(today.isoformat())
    page.get_by_role("button", name="Vis", exact=True).click()
    expect(page.get_by_text("Du ser saken slik den var ved slutten av")).to_be_visible()
    expect(page.get_by_text("Vedtak nr. 1: innvilget")).to_be_visible()
    visit.axe()

    # Found again by its case number, or by its running number alone.
    for search in (case_number, str(int(case_number.split("/")[1]))):
        page.goto(f"/soknader?sok={search}")
        expect(page.get_by_role("link", name=applicant["full_name"])).to_be_visible()
        expect(page.get_by_text("1 søknad", exact=True)).to_be_visible()


def test_a_409_is_shown_as_a_message_with_the_input_kept(visit: Visit, stack: Stack) -> None:
    case = case_by_api(stack)
    page = visit.sign_in(CASEWORKER_USER, then=f"/soknader/{case['application_id']}")
    page.get_by_label("Avslag").check()
    page.get_by_label("Begrunnelse").fill("Vilkårene er ikke oppfylt.")
    # Someone else decides the case meanwhile.
    response = httpx.post(f"{stack.services['applications'].url}/service-applications/{case['application_id']}/decisions",
                          json={"granted": False, "reasons": "Avslått av en kollega."},
                          headers=staff_headers(CASEWORKER), timeout=60)  # a vedtak renders its letter (PDF)
    assert response.status_code == 200, response.text

    page.get_by_role("button", name="Fatt vedtak").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Det gikk ikke")
    expect(alert).to_be_focused()
    expect(page.get_by_label("Begrunnelse")).to_have_value("Vilkårene er ikke oppfylt.")
    visit.axe()


def test_a_caseworker_approves_an_oppdragstaker_step_by_step(visit: Visit, stack: Stack) -> None:
    birth = person()
    form = {**birth, "roles": ["støttekontakt"], "area": "Nord", "interests": ["turer"],
            "commitment_acknowledged": True}
    response = httpx.post(f"{stack.services['applications'].url}/volunteer-applications", json=form, timeout=10,
                          headers=staff_headers(CASEWORKER, BARNEVERN))
    assert response.status_code == 201, response.text
    application_id = response.json()["application_id"]
    case_number = response.json()["case_number"]

    page = visit.sign_in(CASEWORKER_USER, then="/oppdragstakere?fase=venter_på_intervju")
    eventually(lambda: listed(page, birth["full_name"]))
    expect(page.get_by_role("row", name=re.compile(birth["full_name"]))).to_contain_text(case_number)
    visit.axe()
    page.get_by_role("link", name=birth["full_name"]).click()
    expect(page.get_by_role("heading", name=birth["full_name"])).to_be_visible()
    expect(page.get_by_text(f"Saksnummer {case_number}")).to_be_visible()
    visit.axe()

    page.get_by_label("Egnet", exact=True).check()
    page.get_by_label("Notater fra intervjuet").fill("Godt intervju.")
    page.get_by_role("button", name="Registrer intervjuet").click()
    expect(page.get_by_text("Intervjuet er registrert.")).to_be_visible()

    page.get_by_label("Utstedt").fill(date.today().isoformat())
    page.locator("#felt-politiattest-has_remarks-2").check()  # Nei
    page.get_by_role("button", name="Registrer politiattesten").click()
    expect(page.get_by_text("Politiattesten er registrert.")).to_be_visible()

    page.get_by_role("button", name="Registrer taushetserklæringen").click()
    expect(page.get_by_text("Taushetserklæringen er registrert.")).to_be_visible()
    visit.axe()

    page.get_by_role("button", name="Godkjenn som oppdragstaker").click()
    expect(page.get_by_text("Oppdragstakeren er godkjent.")).to_be_visible()
    expect(page.get_by_text("Godkjent som oppdragstaker.")).to_be_visible()  # the timeline
    visit.axe()
    assert application_id in page.url


def test_a_form_posted_without_its_csrf_token_is_refused(visit: Visit, stack: Stack) -> None:
    page = visit.sign_in(CASEWORKER_USER, then="/soknader/ny")
    # With the signed-in browser's cookies, but no token in the form.
    refused = visit.context.request.post(f"{visit.gateway}/soknader/ny",
                                         form={"scheme": "støttekontakt", "full_name": "Uten token"})
    assert refused.status == 403
    assert "sikkerhetskoden" in refused.text()
    # With no cookie at all (another site's form): refused too, the path is always protected.
    bare = httpx.post(f"{visit.gateway}/soknader/ny", data={"scheme": "støttekontakt"}, timeout=10)
    assert bare.status_code == 403
    # The same form from the page, token included, is accepted (and answered with its own 422).
    page.get_by_role("button", name="Registrer søknaden").click()
    expect(page.locator(".ds-error-summary")).to_be_visible()


def waiting_shown(page: Page) -> int:
    """The cases on the matching page's waiting list (the page is left on /matching)."""
    page.goto("/matching")
    return page.locator("section[aria-labelledby=venteliste] tbody tr").count()


def waiting_counted(page: Page) -> int:
    """The Arbeidsliste's count of the waiting list, as the same person sees it."""
    page.goto("/")
    line = page.locator("li", has_text="Innvilgede saker som venter på oppdragstaker")
    return int(line.locator(".antall").inner_text())


def test_without_the_barnevern_role_a_barnevern_case_leaves_no_trace(visit: Visit, browser: Browser,
                                                                     stack: Stack) -> None:
    case = case_by_api(stack, scheme="besøkshjem")
    start = date.today()
    decided = httpx.post(
        f"{stack.services['applications'].url}/service-applications/{case['application_id']}/decisions",
        json={"granted": True, "scope": 2, "period_from": start.isoformat(),
              "period_to": (start + timedelta(days=200)).isoformat(), "reasons": "Behov for besøkshjem."},
        headers=staff_headers(CASEWORKER, BARNEVERN), timeout=60)
    assert decided.status_code == 200, decided.text
    case_link = f"a[href='/soknader/{case['application_id']}']"
    barnevern = Visit(browser, visit.gateway)
    try:
        page = barnevern.sign_in(BARNEVERN_USER, then="/soknader?ordning=besøkshjem")
        eventually(lambda: listed(page, case["full_name"]))
        barnevern.axe()
        page.goto("/matching")  # granted: on the waiting list, for the barnevern role
        eventually(lambda: listed(page, case["full_name"]))
        assert waiting_counted(page) == waiting_shown(page)  # the Arbeidsliste counts it for this role
        page.goto("/aktivitet")
        eventually(lambda: page.reload() or page.locator(case_link).count() > 0)
    finally:
        barnevern.close()

    page = visit.sign_in(CASEWORKER_USER, then="/soknader")
    visit.axe()
    expect(page.get_by_text(case["full_name"])).to_have_count(0)
    expect(page.get_by_label("Ordning").locator("option[value='besøkshjem']")).to_have_count(0)
    page.goto(f"/soknader/{case['application_id']}")
    expect(page.get_by_role("heading", name="Fant ikke det du ba om")).to_be_visible()
    expect(page.get_by_text(case["full_name"])).to_have_count(0)
    visit.axe()
    # Nor on the waiting list, in matching's suggestion, or in the activity feed (not even as an event).
    page.goto("/matching")
    expect(page.get_by_text(case["full_name"])).to_have_count(0)
    assert waiting_counted(page) == waiting_shown(page)  # and not for hers: no barnevern count on the Arbeidsliste
    if page.get_by_role("button", name="Lag forslag for hele ventelisten").count():
        page.get_by_role("button", name="Lag forslag for hele ventelisten").click()
        expect(page.get_by_text(case["full_name"])).to_have_count(0)
    page.goto("/aktivitet")
    expect(page.locator(case_link)).to_have_count(0)
    page.goto(f"/matching/sak/{case['application_id']}")
    expect(page.get_by_role("heading", name="Fant ikke det du ba om")).to_be_visible()

    # Sign-out ends the session: the next page asks for sign-in again.
    page.get_by_role("button", name="Logg ut").click()
    expect(page.get_by_text("Du er logget ut.")).to_be_visible()
    page.goto("/soknader")
    expect(page.get_by_role("heading", name="Logg inn i Brobygger")).to_be_visible()


# -- the whole staff journey ------------------------------------------------------------------------------

PAYROLL_USER = "lise.lonn"  # lønn only


@pytest.fixture
def screenshots(tmp_path: Path):
    folder = SCREENSHOTS if os.environ.get("SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)

    def take(page: Page, name: str) -> None:
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    return take


def volunteer_by_api(stack: Stack) -> dict:
    """A would-be støttekontakt applies (their portal is not the staff UI's)."""
    form = {**person(), "roles": ["støttekontakt"], "area": "Sentrum", "interests": ["fotball", "kino"],
            "languages": ["norsk"], "has_driving_licence": True, "commitment_acknowledged": True}
    response = httpx.post(f"{stack.services['applications'].url}/volunteer-applications", json=form, timeout=10,
                          headers=staff_headers(CASEWORKER, BARNEVERN))
    assert response.status_code == 201, response.text
    return {**form, **response.json()}


def submit_timesheet(stack: Stack, contract_id: str, day: date) -> dict:
    """The oppdragstaker's timesheet, through payroll's API (the oppdragstakere's portal is not the staff UI)."""
    body = {"contract_id": contract_id, "period": day.strftime("%Y-%m"),
            "entries": [{"day": day.isoformat(), "activity": "Fotballkamp", "hours": "2.5", "note": ""}]}

    def submitted() -> dict | None:
        response = httpx.post(f"{stack.services['payroll'].url}/timesheets", json=body,
                              headers=staff_headers(CASEWORKER), timeout=10)
        if response.status_code == 409:  # payroll has not read the signed contract yet
            return None
        assert response.status_code in (200, 201), response.text
        return response.json()

    return eventually(submitted)


def reload_until(page: Page, locator_of) -> None:
    """Read models are a moment behind the command: reload until the thing is on the page."""
    def there() -> bool:
        page.reload()
        return locator_of(page).count() > 0
    eventually(there)


def test_the_whole_staff_journey_in_the_browser(visit: Visit, browser: Browser, stack: Stack, screenshots) -> None:
    volunteer = volunteer_by_api(stack)
    page = visit.sign_in(CASEWORKER_USER)
    expect(page.get_by_role("heading", name="Arbeidsliste")).to_be_visible()
    visit.axe()

    # A paper søknad, and an innvilget vedtak.
    applicant = person()
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Søknader").click()
    page.get_by_role("link", name="Registrer papirsøknad").click()
    page.get_by_label("Ordning").select_option("støttekontakt")
    page.get_by_label("Fødselsnummer eller D-nummer").fill(applicant["national_id"])
    page.get_by_label("Fullt navn").fill(applicant["full_name"])
    page.get_by_label("Fødselsdato").fill(applicant["birth_date"])
    page.get_by_label("Adresse").fill("Storgata 1")
    page.get_by_label("Bydel eller område").fill("Sentrum")
    page.get_by_label("Behov", exact=True).fill("Trenger følge til fotball.")
    page.get_by_label("Søker også om ledsagerbevis").check()
    page.get_by_role("button", name="Registrer søknaden").click()
    expect(page.get_by_text("Søknaden er registrert.")).to_be_visible()
    start = date.today()
    page.get_by_label("Innvilget").check()
    page.get_by_label("Omfang (timer per uke)").fill("3")
    page.get_by_label("Periode fra").fill(start.isoformat())
    page.get_by_label("Periode til").fill((start + timedelta(days=365)).isoformat())
    page.get_by_label("Begrunnelse").fill("Behov for fritidsaktiviteter.")
    page.get_by_role("button", name="Fatt vedtak").click()
    expect(page.get_by_text("Vedtaket er registrert.")).to_be_visible()
    visit.axe()
    screenshots(page, "soknad")
    # The ledsagerbevis asked for in the søknad: granted for a period, shown on the case.
    expect(page.locator(".fakta").first).to_contain_text("Søkt, ikke avgjort")
    page.get_by_label("Ja, ledsagerbevis gis").check()
    page.get_by_label("Gyldig fra").fill(start.isoformat())
    page.get_by_label("Gyldig til").fill((start + timedelta(days=3 * 365)).isoformat())
    page.get_by_role("button", name="Registrer ledsagerbeviset").click()
    expect(page.get_by_text("Ledsagerbeviset er registrert.")).to_be_visible()
    expect(page.locator(".fakta").first).to_contain_text("Ledsagerbevis")
    expect(page.locator(".fakta").first).to_contain_text(f"Innvilget {start:%d.%m.%Y}")
    visit.axe()

    # The oppdragstaker: interview, politiattest, taushetserklæring, approval.
    page.goto("/oppdragstakere?fase=venter_på_intervju")
    reload_until(page, lambda p: p.get_by_role("link", name=volunteer["full_name"]))
    page.get_by_role("link", name=volunteer["full_name"]).click()
    page.get_by_label("Egnet", exact=True).check()
    page.get_by_role("button", name="Registrer intervjuet").click()
    expect(page.get_by_text("Intervjuet er registrert.")).to_be_visible()
    page.get_by_label("Utstedt").fill(date.today().isoformat())
    page.locator("#felt-politiattest-has_remarks-2").check()  # Nei
    page.get_by_role("button", name="Registrer politiattesten").click()
    page.get_by_role("button", name="Registrer taushetserklæringen").click()
    page.get_by_role("button", name="Godkjenn som oppdragstaker").click()
    expect(page.get_by_text("Oppdragstakeren er godkjent.")).to_be_visible()

    # Matching: the waiting list, the whole list's suggestion, the case's candidates, a proposal, both answers.
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Matching").click()
    reload_until(page, lambda p: p.get_by_role("link", name=applicant["full_name"]))
    visit.axe()
    screenshots(page, "matching")
    page.get_by_role("button", name="Lag forslag for hele ventelisten").click()
    expect(page.get_by_role("heading", name="Forslag for hele ventelisten")).to_be_visible()
    visit.axe()
    page.goto("/matching")
    page.get_by_role("link", name=applicant["full_name"]).click()
    expect(page.get_by_role("heading", name=f"Kandidater for {applicant['full_name']}")).to_be_visible()
    propose = lambda p: p.get_by_role("button", name=f"Foreslå {volunteer['full_name']}")  # noqa: E731
    reload_until(page, propose)
    expect(page.locator(".kandidat", has_text=volunteer["full_name"])).to_contain_text("poeng")
    visit.axe()
    screenshots(page, "matching-kandidater")
    propose(page).click()
    expect(page.get_by_text("Forslaget er sendt.")).to_be_visible()
    visit.axe()
    page.get_by_role("button", name="Brukeren (eller familien) har takket ja").click()
    expect(page.get_by_text("Svaret er registrert.")).to_be_visible()
    page.get_by_role("button", name="Oppdragstakeren har takket ja").click()
    expect(page.locator(".fakta")).to_contain_text("Første møte")

    # The first meeting: planned with date, place and who from the kommune attends; then both confirm.
    page.get_by_label("Dato for møtet").fill(date.today().isoformat())
    page.get_by_label("Sted", exact=True).fill("Biblioteket")
    expect(page.get_by_label("Deltar fra kommunen")).not_to_be_empty()  # the signed-in person by default
    page.get_by_role("button", name="Planlegg møtet").click()
    expect(page.get_by_text("Det første møtet er planlagt.")).to_be_visible()
    expect(page.locator(".fakta")).to_contain_text("Biblioteket")
    visit.axe()
    screenshots(page, "matching-forste-mote")
    page.get_by_role("button", name="Brukeren (eller familien) bekrefter").click()
    expect(page.get_by_text("Bekreftelsen er registrert.")).to_be_visible()
    page.get_by_role("button", name="Oppdragstakeren bekrefter").click()
    expect(page.locator(".fakta")).to_contain_text("Matchet")

    # Follow-up: the plan's next date, a contact recorded; the list of follow-ups due.
    expect(page.get_by_text("Neste oppfølging")).to_be_visible()
    page.get_by_label("Kort notat").fill("Første samtale gikk fint.")
    page.get_by_label("Oppdraget fortsetter").check()
    page.get_by_role("button", name="Registrer oppfølgingen").click()
    expect(page.get_by_text("Oppfølgingen er registrert.")).to_be_visible()
    expect(page.get_by_role("cell", name="Oppdraget fortsetter")).to_be_visible()
    visit.axe()
    match_url = page.url.split("?")[0]
    page.goto("/matching/oppfolging")
    expect(page.get_by_role("heading", name="Oppfølging som skal holdes")).to_be_visible()
    visit.axe()
    page.goto(match_url)
    reload_until(page, lambda p: p.get_by_role("link", name="Gå til avtaleutkastet"))
    page.get_by_role("link", name="Gå til avtaleutkastet").click()

    # The contract: the draft edited, the kommune signs, the oppdragstaker signs through the link.
    expect(page.get_by_role("heading", name=f"Oppdragsavtale for {applicant['full_name']}")).to_be_visible()
    visit.axe()
    page.get_by_label("Oppsigelsestid (dager)").fill("30")
    page.get_by_label("Kontaktpersoner").fill("Kari Kontakt")
    page.get_by_role("button", name="Lagre utkastet").click()
    expect(page.get_by_text("Utkastet er lagret.")).to_be_visible()
    expect(page.locator(".fakta")).to_contain_text("30 dager")
    page.get_by_role("button", name="Lag signeringslenke til oppdragstakeren").click()
    link = page.locator("#signeringslenke").get_attribute("href")
    assert link and "/signering/" in link
    visit.axe()
    screenshots(page, "kontrakt")
    page.get_by_role("button", name="Signer for kommunen").click()
    expect(page.get_by_text("Kommunen har signert.")).to_be_visible()
    contract_url = page.url.split("?")[0]

    signing = Visit(browser, visit.gateway)  # no staff session: the link is the authority
    try:
        signing.page.goto(link)
        expect(signing.page.get_by_role("heading", name="Signer oppdragsavtalen")).to_be_visible()
        signing.axe()
        signing.page.get_by_role("button", name="Signer avtalen").click()
        expect(signing.page.get_by_role("heading", name="Avtalen er signert")).to_be_visible()
        signing.axe()
    finally:
        signing.close()

    page.goto(contract_url)
    expect(page.locator(".fakta")).to_contain_text("Signert og løpende")
    pdf = visit.context.request.get(f"{contract_url}/avtale.pdf")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    visit.axe()
    contract_id = contract_url.rsplit("/", 1)[-1]

    # A timesheet (submitted through payroll's API), approved in the browser.
    sheet = submit_timesheet(stack, contract_id, start)
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Timelister").click()
    reload_until(page, lambda p: p.locator(f"a[href='/timelister/{sheet['timesheet_id']}']"))
    visit.axe()
    page.locator(f"a[href='/timelister/{sheet['timesheet_id']}']").click()
    expect(page.get_by_role("cell", name="Fotballkamp")).to_be_visible()
    visit.axe()
    screenshots(page, "timeliste")
    page.get_by_role("button", name="Godkjenn timelisten").click()
    expect(page.get_by_text("Timelisten er godkjent.")).to_be_visible()
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Aktivitet").click()
    expect(page.get_by_role("heading", name="Aktivitet")).to_be_visible()
    reload_until(page, lambda p: p.get_by_role("link", name="Timeliste godkjent"))
    visit.axe()
    screenshots(page, "aktivitet")
    page.goto("/")
    visit.axe()
    screenshots(page, "arbeidsliste")

    # Payroll, by the payroll officer: preview, confirm, run, an employee number, the CSV.
    payroll = Visit(browser, visit.gateway)
    try:
        page = payroll.sign_in(PAYROLL_USER, then="/lonn")
        expect(page.get_by_role("heading", name="Lønn", exact=True)).to_be_visible()
        payroll.axe()
        page.get_by_label("Måned").fill(start.strftime("%Y-%m"))
        page.get_by_role("button", name="Forhåndsvis").click()
        expect(page.get_by_role("heading", name="Forhåndsvisning av lønn", exact=False)).to_be_visible()
        payroll.axe()
        page.get_by_role("link", name="Gå videre til kjøring").click()
        expect(page.get_by_role("heading", name="Bekreft lønnskjøring", exact=False)).to_be_visible()
        payroll.axe()
        page.get_by_role("button", name="Bekreft og kjør lønn").click()
        expect(page.get_by_text("Lønnskjøringen er registrert.")).to_be_visible()
        payroll.axe()
        label = f"Ansattnummer for Oppdragstaker {volunteer['volunteer_id'][:8]}"
        if page.get_by_label(label).count():
            page.get_by_label(label).fill(f"A{random.randint(10000, 99999)}")
            page.get_by_label(label).press("Enter")
            expect(page.get_by_text("Ansattnummeret er registrert.")).to_be_visible()
        screenshots(page, "lonnskjoring")
        with page.expect_download() as download:
            page.get_by_role("link", name="Last ned CSV").click()
        csv = Path(download.value.path()).read_text(encoding="utf-8")
        assert volunteer["volunteer_id"] in csv and contract_id in csv
        page.get_by_role("link", name="Tilbake til lønn").click()
        expect(page.get_by_role("link", name=period_name(start.strftime("%Y-%m"))).first).to_be_visible()
        page.get_by_role("navigation", name="Lønn").get_by_role("link", name="Satser").click()
        payroll.axe()
        # A rate below zero: payroll's 422 next to the field, what was typed kept (nothing registered).
        page.get_by_label("Satskode").fill("testsats_ugyldig")
        page.get_by_label("Enhet").select_option("øre_per_time")
        page.get_by_label("Sats", exact=True).fill("-5")
        page.get_by_label("Kilde").fill("Test")
        page.get_by_role("button", name="Registrer satsen").click()
        expect(page.get_by_label("Sats", exact=True)).to_have_attribute("aria-invalid", "true")
        expect(page.get_by_label("Sats", exact=True)).to_have_value("-5")
        expect(page.get_by_label("Satskode")).to_have_value("testsats_ugyldig")
        expect(page.locator(".ds-error-summary")).to_be_focused()
        payroll.axe()
        page.get_by_role("navigation", name="Lønn").get_by_role("link", name="Ansattnumre").click()
        payroll.axe()
    finally:
        payroll.close()
    # Every page checked, with the (minor or moderate) rules it did not fully meet: shown with `pytest -s`.
    for checked in (visit, signing, payroll):
        for url, violations in checked.checked.items():
            rules = ", ".join(f"{v['id']} ({v['impact']})" for v in violations) or "no violations"
            print(f"axe {url.split('?')[0].replace(visit.gateway, '') or '/'}: {rules}")


def test_an_expired_session_is_sent_back_to_sign_in(visit: Visit, stack: Stack) -> None:
    page = visit.sign_in(CASEWORKER_USER, then="/matching")
    expect(page.get_by_role("heading", name="Matching")).to_be_visible()
    cookie = next(c["value"] for c in visit.context.cookies() if c["name"] == "brobygger_okt")
    # 31 minutes without use, as the gateway's session table would show it.
    with psycopg.connect(with_database(stack.postgres_url, database_name("gateway")), autocommit=True) as db:
        db.execute("UPDATE web_sessions SET last_seen_at = last_seen_at - interval '31 minutes' WHERE id_hash = %s",
                   (hashlib.sha256(cookie.encode()).digest(),))
    page.goto("/kontrakter")
    expect(page.get_by_role("heading", name="Logg inn i Brobygger")).to_be_visible()
    expect(page.get_by_text("Økten din er utløpt.")).to_be_visible()
    assert "neste=%2Fkontrakter" in page.url
    visit.axe()


def tab_to(page: Page, target) -> None:
    """Tab forward to the field (Chromium stops at each part of a date: day, month, year)."""
    for _ in range(8):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    expect(target).to_be_focused()


def test_a_paper_soknad_registered_with_the_keyboard_only(visit: Visit) -> None:
    page = visit.sign_in(CASEWORKER_USER, then="/soknader/ny")
    # Day and month alike, so the date reads the same typed in either order the browser's locale puts them.
    birth = date(random.randint(1960, 2010), 11, 11)
    applicant = {**person(), "birth_date": birth.isoformat(),
                 "national_id": synthetic_identity_number(birth, random.randint(0, 899))}
    keyboard = page.keyboard
    keyboard.press("Tab")
    expect(page.get_by_role("link", name="Hopp til hovedinnholdet")).to_be_focused()
    keyboard.press("Enter")  # to the main content
    keyboard.press("Tab")
    expect(page.get_by_role("link", name="Tilbake til søknadene")).to_be_focused()
    keyboard.press("Tab")
    expect(page.get_by_label("Ordning")).to_be_focused()
    keyboard.press("ArrowDown")  # the first scheme
    expect(page.get_by_label("Ordning")).to_have_value("støttekontakt")
    for label, text in [("Fødselsnummer eller D-nummer", applicant["national_id"]),
                        ("Fullt navn", applicant["full_name"]), ("Fødselsdato", f"{birth:%d%m%Y}"),
                        ("Adresse", "Storgata 1"), ("Bydel eller område", "Sentrum"), ("Behov", "Trenger følge."),
                        ("Ønsket omfang", "2")]:
        tab_to(page, page.get_by_label(label, exact=label != "Ønsket omfang").first)
        keyboard.type(text)
    expect(page.get_by_label("Fødselsdato")).to_have_value(applicant["birth_date"])
    # Past "received on" (today, already filled in) to the button.
    submit = page.get_by_role("button", name="Registrer søknaden")
    tab_to(page, submit)
    keyboard.press("Enter")
    expect(page.get_by_text("Søknaden er registrert.")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Søknad fra {applicant['full_name']}")).to_be_visible()


# -- the steps after the vedtak, and the answers staff register on matches, contracts and timesheets --------


def test_a_klage_meets_a_409_then_goes_to_the_statsforvalteren_who_changes_the_vedtak(
        visit: Visit, stack: Stack, screenshots) -> None:
    case = case_by_api(stack)
    applications = stack.services["applications"].url
    refused = httpx.post(f"{applications}/service-applications/{case['application_id']}/decisions",
                         json={"granted": False, "reasons": "Vilkårene er ikke oppfylt."},
                         headers=staff_headers(CASEWORKER), timeout=60)  # a vedtak renders its letter (PDF)
    assert refused.status_code == 200, refused.text
    page = visit.sign_in(CASEWORKER_USER, then=f"/soknader/{case['application_id']}")
    expect(page.get_by_role("heading", name="Klage på vedtaket")).to_be_visible()
    # Only the steps an avslag allows: no ending of a service never granted, no withdrawal after a vedtak.
    expect(page.get_by_role("button", name="Registrer avslutningen")).to_have_count(0)
    expect(page.get_by_role("button", name="Registrer at søknaden trekkes")).to_have_count(0)
    visit.axe()

    # A klage received before the vedtak was made: the service's 422 next to the date, the text kept.
    grounds = "Klager mener behovet er større enn lagt til grunn."
    page.get_by_label("Klagens innhold").fill(grounds)
    page.get_by_label("Klagen mottatt").fill((date.today() - timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Registrer klagen").click()
    received = page.get_by_label("Klagen mottatt")
    expect(received).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#felt-klage-received_on-feil")).to_contain_text("før vedtaket")
    expect(page.get_by_label("Klagens innhold")).to_have_value(grounds)
    visit.axe()

    # A colleague registers the same klage meanwhile: the 409's reason as a message, the input kept.
    received.fill(date.today().isoformat())
    other = httpx.post(f"{applications}/service-applications/{case['application_id']}/appeal",
                       json={"grounds": "Registrert av en kollega."}, headers=staff_headers(CASEWORKER), timeout=60)
    assert other.status_code == 200, other.text
    page.get_by_role("button", name="Registrer klagen").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("allerede en klage til behandling")
    expect(alert).to_be_focused()
    expect(page.get_by_label("Klagens innhold")).to_have_value(grounds)
    visit.axe()

    # The kommune keeps its vedtak (it could change it: the vedtak form is offered as omgjøring) and sends it on.
    page.goto(f"/soknader/{case['application_id']}")
    expect(page.get_by_role("heading", name="Nytt vedtak etter klage (omgjøring)")).to_be_visible()
    page.get_by_label("Kommunens vurdering av klagen").fill("Vedtaket er riktig etter en ny vurdering.")
    page.get_by_role("button", name="Send klagen til Statsforvalteren").click()
    expect(page.get_by_text("Klagen er sendt til Statsforvalteren.", exact=True)).to_be_visible()
    expect(page.locator(".fakta")).to_contain_text("Hos Statsforvalteren")
    expect(page.get_by_role("button", name="Fatt vedtak")).to_have_count(0)
    visit.axe()

    # The Statsforvalteren changed the vedtak: its own vedtak, a scope above the week first (422 by the field).
    page.get_by_label("Omgjort: Statsforvalteren fattet nytt vedtak").check()
    page.get_by_label("Statsforvalterens begrunnelse").fill("Behovet er dokumentert.")
    page.get_by_label("Innvilger tjenesten").check()
    scope = page.get_by_label("Statsforvalterens omfang (timer per uke)")
    scope.fill("500")
    start = date.today() + timedelta(days=7)
    page.get_by_label("Statsforvalterens periode fra").fill(start.isoformat())
    page.get_by_label("Statsforvalterens periode til").fill((start + timedelta(days=180)).isoformat())
    page.get_by_role("button", name="Registrer resultatet").click()
    expect(scope).to_have_attribute("aria-invalid", "true")
    expect(scope).to_have_value("500")
    expect(page.get_by_label("Omgjort: Statsforvalteren fattet nytt vedtak")).to_be_checked()
    expect(page.locator(".ds-error-summary")).to_be_focused()
    visit.axe()
    scope.fill("4")
    page.get_by_role("button", name="Registrer resultatet").click()
    expect(page.get_by_text("Statsforvalterens resultat er registrert.", exact=True)).to_be_visible()
    facts = page.locator(".fakta")
    expect(facts).to_contain_text("Omgjort")
    expect(facts).to_contain_text("Innvilget 4 timer per uke")
    # The Statsforvalteren's vedtak is final: no new klage; the granted service can be ended.
    expect(page.get_by_role("heading", name="Klage på vedtaket")).to_have_count(0)
    expect(page.get_by_role("button", name="Registrer avslutningen")).to_be_visible()
    visit.axe()
    screenshots(page, "soknad-klage")


def test_a_proposal_declined_with_a_reason(visit: Visit, stack: Stack, http: httpx.Client) -> None:
    volunteer = approved_volunteer(http, stack, roles=["støttekontakt"], area="Sentrum", interests=["fotball"])
    case = granted_case(http, stack, full_name=f"Testperson {uuid4().hex[:8]}")
    match = proposed_match(http, stack, volunteer, case)

    page = visit.sign_in(CASEWORKER_USER, then=f"/matching/forslag/{match['match_id']}")
    expect(page.get_by_role("heading", name=re.compile("^Forslag: "))).to_be_visible()
    visit.axe()
    # No reason: the gateway asks for one by the field, the choice kept.
    page.get_by_label("Oppdragstakeren", exact=True).check()
    page.get_by_role("button", name="Registrer avslaget").click()
    reason = page.get_by_label("Begrunnelse")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Oppdragstakeren", exact=True)).to_be_checked()
    visit.axe()
    reason.fill("Har ikke tid likevel.")
    page.get_by_role("button", name="Registrer avslaget").click()
    expect(page.get_by_text("Avslaget er registrert.", exact=True)).to_be_visible()
    expect(page.locator(".fakta")).to_contain_text("Avslått")
    expect(page.get_by_role("button", name="Registrer avslaget")).to_have_count(0)
    visit.axe()
    # The case is back on the waiting list.
    page.goto("/matching")
    reload_until(page, lambda p: p.get_by_role("link", name=case["full_name"]))


def test_a_running_contract_a_timesheet_returned_an_amendment_and_a_termination(
        visit: Visit, stack: Stack, http: httpx.Client, screenshots) -> None:
    contract = signed_contract(http, stack)
    contract_id = str(contract["contract_id"])
    sheet = submit_timesheet(stack, contract_id, date.fromisoformat(str(contract["period_from"])))

    # The timesheet, returned with a reason (none first: asked for by the field).
    page = visit.sign_in(CASEWORKER_USER, then=f"/timelister/{sheet['timesheet_id']}")
    expect(page.get_by_role("cell", name="Fotballkamp")).to_be_visible()
    page.get_by_role("button", name="Send tilbake").click()
    expect(page.get_by_label("Hva må rettes?")).to_have_attribute("aria-invalid", "true")
    visit.axe()
    page.get_by_label("Hva må rettes?").fill("Kampen varte bare to timer.")
    page.get_by_role("button", name="Send tilbake").click()
    expect(page.get_by_text("Timelisten er sendt tilbake til oppdragstakeren.", exact=True)).to_be_visible()
    expect(page.locator(".fakta")).to_contain_text("Kampen varte bare to timer.")
    expect(page.get_by_role("button", name="Godkjenn timelisten")).to_have_count(0)
    visit.axe()

    # An amendment from tomorrow (the terms began today): a longer notice period.
    page.goto(f"/kontrakter/{contract_id}")
    page.get_by_label("Gjelder fra").fill((date.today() + timedelta(days=1)).isoformat())
    page.get_by_label("Hvorfor avtalen endres").fill("Partene ønsker lengre oppsigelsestid.")
    page.get_by_label("Oppsigelsestid (dager)").fill("45")
    page.get_by_role("button", name="Registrer endringen").click()
    expect(page.get_by_text("Endringen er registrert.", exact=True)).to_be_visible()
    expect(page.locator(".fakta").first).to_contain_text("45 dager")
    visit.axe()
    screenshots(page, "kontrakt-endring")

    # The termination: who ends it is asked for first (422), then it is ended.
    page.get_by_label("Siste dag").fill((date.today() + timedelta(days=45)).isoformat())
    page.get_by_role("button", name="Avslutt avtalen").click()
    expect(page.locator("#felt-avslutning-terminated_by")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Siste dag")).to_have_value((date.today() + timedelta(days=45)).isoformat())
    visit.axe()
    page.get_by_label("Oppdragstakeren", exact=True).check()
    page.locator("#felt-avslutning-reason").fill("Oppdragstakeren flytter.")
    page.get_by_role("button", name="Avslutt avtalen").click()
    expect(page.get_by_text("Avtalen er avsluttet.", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Avslutt avtalen")).to_have_count(0)
    visit.axe()


LEADER_USER = "leo.leder"  # every role, leder included


def test_a_leader_sees_the_latest_report_and_a_caseworker_without_leder_gets_404(visit: Visit, browser: Browser,
                                                                                stack: Stack, tmp_path: Path) -> None:
    # The report of what the stack's log holds now, by the analytics commands, where the gateway reads it
    # (REPORT_FILE).
    database = tmp_path / "analytics.duckdb"
    env = {**os.environ, "KAFKA_BOOTSTRAP_SERVERS": stack.kafka_bootstrap_servers}
    for command in (["replay", "--out", str(database), "--quiet"],
                    ["report", "--database", str(database), "--out", str(stack.var_dir / "report.html")]):
        done = subprocess.run([sys.executable, "-m", "brobygger_analytics.cli", *command], env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr

    leader = Visit(browser, visit.gateway)
    try:
        page = leader.sign_in(LEADER_USER, then="/rapport")
        expect(page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Rapport")).to_be_visible()
        expect(page.get_by_role("heading", name="Brobygger – rapport", level=1)).to_be_visible()
        expect(page.get_by_role("heading", name="Kostnad per bruker, ordning og måned")).to_be_visible()
        expect(page.get_by_role("heading", name="KPR: personer med støttekontakt og avlastning")).to_be_visible()
        # Its own stylesheet, under the gateway's strict CSP (axe checks no CSP violation was reported).
        expect(page.locator(".rapport .meta")).to_have_css("color", "rgb(85, 85, 85)")
        leader.axe()
    finally:
        leader.close()

    page = visit.sign_in(CASEWORKER_USER, then="/aktivitet")
    expect(page.get_by_role("link", name="Rapport")).to_have_count(0)
    response = page.goto("/rapport")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Fant ikke det du ba om")).to_be_visible()
    expect(page.get_by_text("Brobygger – rapport")).to_have_count(0)
    assert page.request.get("/rapport/report.css").status == 404
    visit.axe()


def test_a_caseworker_opens_a_barnevern_case_by_self_authorisation_and_the_leader_sees_it(
        visit: Visit, browser: Browser, stack: Stack) -> None:
    case = case_by_api(stack, scheme="besøkshjem")
    page = visit.sign_in(CASEWORKER_USER, then=f"/soknader/{case['application_id']}")
    expect(page.get_by_role("heading", name="Fant ikke det du ba om")).to_be_visible()
    expect(page.get_by_text(case["full_name"])).to_have_count(0)

    page.get_by_role("link", name="Selvautorisering").click()
    expect(page.get_by_role("heading", name="Selvautorisering")).to_be_visible()
    expect(page.get_by_label("Sakens id")).to_have_value(case["application_id"])
    page.get_by_role("button", name="Åpne saken").click()  # no reason, no explanation: both named
    expect(page.get_by_text("Velg hvorfor du må åpne saken.").first).to_be_visible()
    visit.axe()
    page.get_by_label("Hvorfor må du åpne saken?").select_option("barnevernvakt")
    page.get_by_label("Forklaring").fill("Politiet ringte kl. 23 om barnet; saksbehandleren er ikke på vakt.")
    page.get_by_role("button", name="Åpne saken").click()
    page.wait_for_url(f"**/soknader/{case['application_id']}")
    expect(page.get_by_text(case["full_name"]).first).to_be_visible()  # open to her now, by id only
    response = page.goto("/selvautorisering/rapport")
    assert response is not None and response.status == 404  # the report is the leader's

    leader = Visit(browser, visit.gateway)
    try:
        page = leader.sign_in(LEADER_USER, then="/selvautorisering/rapport")
        row = page.get_by_role("row").filter(has_text=case["application_id"])
        expect(row).to_contain_text("Henvendelse til barnevernvakten utenom arbeidstid")
        expect(row).to_contain_text("sara.saksbehandler")
        expect(row).to_contain_text("(løper)")
        leader.axe()
    finally:
        leader.close()
