"""The self-service portal for citizens in a real browser (Debian's Chromium via Playwright) at a
phone's viewport (375 × 812), against the embedded stack, signed in through ID-porten's stand-in: a
parent applies for her child (a 422 shown at its field first), staff decide, she reads the vedtak and
sends a klage, and sees that a saksbehandler has looked at her case ("Hvem har sett saken din"); another
person gets 404 for her case and its access log with nothing of it in the page; an adult applies
to become støttekontakt; the portal's own session (never a staff session), the level of assurance
checked, CSRF on its forms. axe-core runs on every portal page visited: no serious or critical WCAG 2.1
A/AA issue, and nothing wider than the phone."""

import itertools
import os
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from brobygger_dev.runtime.oidc import ARNE_INNBYGGER, CHILD, KARI_FORELDER, LARS_LAVNIVA, OPPDRAGSTAKERE
from brobygger_dev.runtime.stack import Stack
from brobygger_dev.testing import staff_headers
from brobygger_shared.auth import CASEWORKER
from services.gateway.tests.integration.browsing import CheckedBrowsing, chromium
from tests.integration.flows import staff_post, url

pytestmark = pytest.mark.stack

PHONE = {"width": 375, "height": 812}
# With SCREENSHOTS=1, every page axe checks is also saved into docs/screenshots/portal, numbered in the
# order visited per test module (the pages a person sees at each step).
SCREENSHOTS = Path(__file__).resolve().parents[4] / "docs" / "screenshots" / "portal"
_shot_numbers: dict[str, itertools.count] = {}


class Phone(CheckedBrowsing):
    """One person on a phone: signs in to the portal, and checks each page it lands on with axe."""

    def __init__(self, browser: Browser, gateway: str) -> None:
        super().__init__(browser, gateway, viewport=PHONE, is_mobile=True, has_touch=True)
        self.checked: list[str] = []

    def sign_in(self, sub: str, then: str = "/portal") -> Page:
        page = self.page
        page.goto(then)
        expect(page.get_by_role("heading", name="Logg inn for å søke og følge saken din")).to_be_visible()
        self.axe()
        page.get_by_role("link", name="Logg inn med ID-porten").click()
        page.get_by_role("button", name=sub).click()  # the stand-in's one-click person
        page.wait_for_url(lambda url: url.startswith(self.gateway))
        return page

    def axe(self) -> list[dict]:
        violations = super().axe()
        page = self.page
        # Phone-first: nothing wider than the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], f"too wide: {page.url}"
        self.checked.append(page.url)
        if os.environ.get("SCREENSHOTS") == "1":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            path = page.url.split("/portal", 1)[-1].split("?")[0].strip("/") or "forside"
            slug = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "id", path).replace("/", "-")
            module = os.environ["PYTEST_CURRENT_TEST"].split("::")[0].rsplit("test_portal_", 1)[-1].removesuffix(".py")
            number = next(_shot_numbers.setdefault(module, itertools.count(1)))
            page.screenshot(path=str(SCREENSHOTS / f"{module}-{number:02d}-{slug}.png"), full_page=True)
        return violations


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


@pytest.fixture
def phone(browser: Browser, stack: Stack) -> Iterator[Phone]:
    phone = Phone(browser, stack.services["gateway"].url)
    yield phone
    phone.close()


def test_the_portal_session_is_its_own_and_forms_need_csrf(phone: Phone, stack: Stack):
    page = phone.sign_in(ARNE_INNBYGGER.sub)
    expect(page.get_by_role("heading", name=f"Hei, {ARNE_INNBYGGER.name}")).to_be_visible()
    phone.axe()
    portal_cookie = next(c for c in phone.context.cookies() if c["name"] == "brobygger_portal")
    assert portal_cookie["path"] == "/portal" and portal_cookie["httpOnly"]

    # A citizen session never reaches a staff page: the staff sign-in page, not the worklist.
    page.goto("/")
    expect(page.get_by_role("heading", name="Logg inn i Brobygger")).to_be_visible()
    # Not even with the portal's session id planted as the staff cookie.
    phone.context.add_cookies([{"name": "brobygger_okt", "value": portal_cookie["value"], "url": phone.gateway}])
    page.goto("/soknader")
    expect(page.get_by_role("heading", name="Logg inn i Brobygger")).to_be_visible()

    # A portal POST without the CSRF token is refused, and the person is still signed in.
    response = page.request.post("/portal/logg-ut", form={"skjema": "x"})
    assert response.status == 403 and 'href="/portal"' in response.text()
    page.goto("/portal")
    expect(page.get_by_role("heading", name=f"Hei, {ARNE_INNBYGGER.name}")).to_be_visible()

    # Sign-out ends the portal session.
    page.get_by_role("button", name="Logg ut").click()
    expect(page.get_by_text("Du er logget ut.")).to_be_visible()
    page.goto("/portal")
    expect(page.get_by_role("link", name="Logg inn med ID-porten")).to_be_visible()


def test_a_staff_session_does_not_sign_in_to_the_portal(phone: Phone):
    page = phone.page
    page.goto("/logg-inn/start")
    page.get_by_role("button", name="sara.saksbehandler").click()
    page.wait_for_url(lambda url: url.startswith(phone.gateway) and "/logg-inn" not in url)
    page.goto("/portal")
    expect(page.get_by_role("link", name="Logg inn med ID-porten")).to_be_visible()


def test_the_low_level_of_assurance_is_refused(phone: Phone):
    page = phone.sign_in(LARS_LAVNIVA.sub)
    expect(page.get_by_text("Du må logge inn med et høyere sikkerhetsnivå")).to_be_visible()
    phone.axe()
    page.goto("/portal")
    expect(page.get_by_role("link", name="Logg inn med ID-porten")).to_be_visible()
    assert KARI_FORELDER.acr == "idporten-loa-substantial"


def test_a_parent_applies_for_her_child_reads_the_vedtak_and_sends_a_klage(browser: Browser, stack: Stack,
                                                                           http: httpx.Client):
    kari = Phone(browser, stack.services["gateway"].url)
    arne = Phone(browser, stack.services["gateway"].url)
    try:
        page = kari.sign_in(KARI_FORELDER.sub, then="/portal/soknad")
        expect(page.get_by_role("heading", name="Søk om støttekontakt eller avlastning")).to_be_visible()
        kari.axe()
        page.get_by_label("Barnet mitt").check()
        page.get_by_label("Barnets fødselsnummer").fill("12345678901")
        page.get_by_label("Barnets fulle navn").fill(CHILD[0])
        page.get_by_label("Støttekontakt").check()
        page.get_by_label("Adresse").fill("Testveien 1, 0001 Oslo")
        page.get_by_label("Bydel eller område").fill("Sentrum")
        page.get_by_label("Hva trenger du eller barnet hjelp til?").fill("Nora vil gjerne gå på fotball.")
        page.get_by_role("button", name="Send søknaden").click()
        # The service's 422 at the field it names, the input kept.
        expect(page.locator("#felt-child_national_id-feil")).to_contain_text("kontrollsiffer")
        expect(page.get_by_label("Bydel eller område")).to_have_value("Sentrum")
        kari.axe()
        page.get_by_label("Barnets fødselsnummer").fill(CHILD[1])
        page.get_by_role("button", name="Send søknaden").click()

        expect(page.get_by_role("heading", name="Søknaden er mottatt")).to_be_visible()
        case_number = page.locator("strong").first.inner_text()
        assert re.fullmatch(rf"{date.today().year}/\d{{4}}", case_number)
        expect(page.get_by_text("Hva skjer nå?")).to_be_visible()
        kari.axe()
        case_id = page.url.rsplit("/", 1)[1]

        # Mine saker lists it (once the read model has it).
        for _ in range(50):
            page.goto("/portal/saker")
            if page.get_by_role("link", name=f"Støttekontakt for {CHILD[0]}").count():
                break
            page.wait_for_timeout(200)
        expect(page.get_by_text("Mottatt – under behandling")).to_be_visible()
        kari.axe()

        # Staff decide (by the API); the parent reads the vedtak as text and sends a klage.
        today = date.today()
        staff_post(http, stack, "applications", f"/service-applications/{case_id}/decisions", {
            "granted": True, "scope": 3, "period_from": today.isoformat(),
            "period_to": date(today.year + 1, today.month, 1).isoformat(), "reasons": "Behov for aktivitet hver uke."})
        page.get_by_role("link", name=f"Støttekontakt for {CHILD[0]}").click()
        expect(page.get_by_role("heading", name="Vedtak om støttekontakt – innvilget")).to_be_visible()
        expect(page.get_by_text("Behov for aktivitet hver uke.")).to_be_visible()
        expect(page.get_by_text("Innvilget", exact=True)).to_be_visible()
        kari.axe()
        page.get_by_role("button", name="Send klagen").click()
        expect(page.locator("#felt-grounds-feil")).to_be_visible()  # empty: the service's 422 at the field
        page.get_by_label("Klagen din").fill("Nora trenger flere timer i uken.")
        page.get_by_role("button", name="Send klagen").click()
        expect(page.get_by_text("Klagen er sendt.")).to_be_visible()
        expect(page.get_by_text("Klagen din er til behandling")).to_be_visible()
        expect(page.get_by_role("button", name="Send klagen")).to_have_count(0)
        kari.axe()

        # A caseworker opens the case; her "Hvem har sett saken din" names the role and when, not the user.
        looked = http.get(url(stack, "applications", f"/service-applications/{case_id}"),
                          headers=staff_headers(CASEWORKER, user="sara.saksbehandler"))
        assert looked.status_code == 200, looked.text
        page.get_by_role("link", name="Hvem har sett saken din").click()
        expect(page.get_by_role("heading", name="Hvem har sett saken din")).to_be_visible()
        seen = page.get_by_role("list", name="Hvem har sett saken din").get_by_role("listitem")
        # Newest first: her own read of the case just now (the page checks it is hers), then the caseworker's.
        expect(seen.first.get_by_text("Deg selv", exact=True)).to_be_visible()
        caseworker = seen.filter(has=page.get_by_text("Saksbehandler", exact=True))
        expect(caseworker.first).to_contain_text("Vanlig tilgang")
        assert "sara.saksbehandler" not in page.content()
        kari.axe()

        # Another person: every URL of Kari's case is a 404 with nothing of it in the page.
        other = arne.sign_in(ARNE_INNBYGGER.sub)
        for path in (f"/portal/saker/{case_id}", f"/portal/soknad/kvittering/{case_id}",
                     f"/portal/saker/{case_id}/hvem-har-sett"):
            response = other.goto(path)
            assert response.status == 404
            expect(other.get_by_role("heading", name="Fant ikke det du ba om")).to_be_visible()
            content = other.content()
            assert CHILD[0] not in content and case_number not in content and "Vedtak" not in content
            arne.axe()
        token = next(c["value"] for c in arne.context.cookies() if c["name"] == "csrftoken")
        refused = other.request.post(f"/portal/saker/{case_id}/klage",
                                     form={"csrftoken": token, "grounds": "Ikke min sak."})
        assert refused.status == 404 and CHILD[0] not in refused.text()
        other.goto("/portal/saker")
        expect(other.get_by_text("Du har ingen saker ennå.")).to_be_visible()
    finally:
        kari.close()
        arne.close()


def test_a_person_applies_to_become_stottekontakt(phone: Phone):
    ola = OPPDRAGSTAKERE[0]
    page = phone.sign_in(ola.sub, then="/portal/bli-oppdragstaker")
    phone.axe()
    page.get_by_label("Bydel eller område").fill("Nord")
    page.get_by_role("button", name="Send søknaden").click()
    expect(page.locator("#felt-roles-feil")).to_be_visible()
    expect(page.get_by_label("Bydel eller område")).to_have_value("Nord")
    page.get_by_label("Støttekontakt").check()
    page.get_by_role("button", name="Send søknaden").click()
    # The service's 422: the one-year commitment not confirmed, at its checkbox.
    expect(page.locator("#felt-commitment_acknowledged-feil")).to_be_visible()
    phone.axe()
    page.get_by_label("Jeg kan påta meg oppdraget i minst ett år").check()
    page.get_by_role("button", name="Send søknaden").click()
    expect(page.get_by_role("heading", name="Søknaden er mottatt")).to_be_visible()
    expect(page.get_by_text("støttekontakt", exact=True)).to_be_visible()
    phone.axe()
