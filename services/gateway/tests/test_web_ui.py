"""The staff web UI in a real browser (Debian's Chromium via Playwright) against the embedded stack:
sign-in through the dev OIDC provider, a paper søknad and its vedtak, an oppdragstaker approved, a 422
next to its field with the input kept, a 409 as a message, CSRF, and barnevern cases invisible without
the barnevern role. axe-core runs on every page visited: no serious or critical WCAG 2.1 A/AA issue."""

import random
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from datetime import date, timedelta
from uuid import uuid4

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from brobygger_shared.auth import BARNEVERN, CASEWORKER
from brobygger_shared.identity import synthetic_identity_number
from brobygger_shared.runtime.stack import Stack
from brobygger_shared.testing import eventually, staff_headers

CHROMIUM = Path("/usr/bin/chromium")
AXE_URL = "/static/vendor/axe-core/axe.min.js"  # vendored, served by the gateway itself (CSP 'self')
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                             args=["--disable-gpu", "--disable-dev-shm-usage"])
        try:
            yield browser
        finally:
            browser.close()


class Visit:
    """One person in one browser context: signs in, and checks each page it lands on with axe."""

    def __init__(self, browser: Browser, gateway: str) -> None:
        self.gateway = gateway
        self.context = browser.new_context(base_url=gateway, locale="nb-NO")
        self.context.set_default_timeout(30_000)
        self.page: Page = self.context.new_page()
        self.csp_violations: list[str] = []
        self.page.on("console", self._console)
        self.checked: dict[str, list] = {}

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.csp_violations.append(message.text)

    def close(self) -> None:
        self.context.close()

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
        """axe-core on the page as it is now: no serious or critical violation of WCAG 2.1 A/AA."""
        page = self.page
        page.wait_for_load_state("load")
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(url=AXE_URL)
        violations = page.evaluate(
            """async (tags) => {
                const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
                return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                                   nodes: v.nodes.map(n => n.target.join(" "))}));
            }""", AXE_TAGS)
        serious = [v for v in violations if v["impact"] in ("serious", "critical")]
        self.checked[page.url] = violations
        assert not serious, f"axe on {page.url}: {serious}"
        assert not self.csp_violations, f"CSP violations on {page.url}: {self.csp_violations}"
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
    response = httpx.post(f"{stack.services['applications'].url}/service-applications", json=body, timeout=10)
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


def test_a_409_is_shown_as_a_message_with_the_input_kept(visit: Visit, stack: Stack) -> None:
    case = case_by_api(stack)
    page = visit.sign_in(CASEWORKER_USER, then=f"/soknader/{case['application_id']}")
    page.get_by_label("Avslag").check()
    page.get_by_label("Begrunnelse").fill("Vilkårene er ikke oppfylt.")
    # Someone else decides the case meanwhile.
    response = httpx.post(f"{stack.services['applications'].url}/service-applications/{case['application_id']}/decisions",
                          json={"granted": False, "reasons": "Avslått av en kollega."},
                          headers=staff_headers(CASEWORKER), timeout=10)
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
    response = httpx.post(f"{stack.services['applications'].url}/volunteer-applications", json=form, timeout=10)
    assert response.status_code == 201, response.text
    application_id = response.json()["application_id"]

    page = visit.sign_in(CASEWORKER_USER, then="/oppdragstakere?fase=venter_på_intervju")
    eventually(lambda: listed(page, birth["full_name"]))
    visit.axe()
    page.get_by_role("link", name=birth["full_name"]).click()
    expect(page.get_by_role("heading", name=birth["full_name"])).to_be_visible()
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


def test_without_the_barnevern_role_a_barnevern_case_leaves_no_trace(visit: Visit, browser: Browser,
                                                                     stack: Stack) -> None:
    case = case_by_api(stack, scheme="besøkshjem")
    barnevern = Visit(browser, visit.gateway)
    try:
        page = barnevern.sign_in(BARNEVERN_USER, then="/soknader?ordning=besøkshjem")
        eventually(lambda: listed(page, case["full_name"]))
        barnevern.axe()
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

    # Sign-out ends the session: the next page asks for sign-in again.
    page.get_by_role("button", name="Logg ut").click()
    expect(page.get_by_text("Du er logget ut.")).to_be_visible()
    page.goto("/soknader")
    expect(page.get_by_role("heading", name="Logg inn i Brobygger")).to_be_visible()
