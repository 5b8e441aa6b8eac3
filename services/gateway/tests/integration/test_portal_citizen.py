"""The self-service portal for citizens in a real browser (Debian's Chromium via Playwright) at a
phone's viewport (375 × 812), against the embedded stack, signed in through ID-porten's stand-in:
the portal's own session (never a staff session), the level of assurance checked, CSRF on its forms.
axe-core runs on every portal page visited: no serious or critical WCAG 2.1 A/AA issue."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from brobygger_dev.runtime.oidc import ARNE_INNBYGGER, KARI_FORELDER, LARS_LAVNIVA
from brobygger_dev.runtime.stack import Stack

pytestmark = pytest.mark.stack

CHROMIUM = Path("/usr/bin/chromium")
AXE_URL = "/static/vendor/axe-core/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 375, "height": 812}


class Phone:
    """One person on a phone: signs in to the portal, and checks each page it lands on with axe."""

    def __init__(self, browser: Browser, gateway: str) -> None:
        self.gateway = gateway
        self.context = browser.new_context(base_url=gateway, locale="nb-NO", viewport=PHONE, is_mobile=True,
                                           has_touch=True)
        self.context.set_default_timeout(30_000)
        self.page: Page = self.context.new_page()
        self.csp_violations: list[str] = []
        self.page.on("console", lambda message: "Content Security Policy" in message.text
                     and self.csp_violations.append(message.text))
        self.checked: list[str] = []

    def close(self) -> None:
        self.context.close()

    def sign_in(self, sub: str, then: str = "/portal") -> Page:
        page = self.page
        page.goto(then)
        expect(page.get_by_role("heading", name="Logg inn for å søke og følge saken din")).to_be_visible()
        self.axe()
        page.get_by_role("link", name="Logg inn med ID-porten").click()
        page.get_by_role("button", name=sub).click()  # the stand-in's one-click person
        page.wait_for_url(lambda url: url.startswith(self.gateway))
        return page

    def axe(self) -> None:
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
        assert not serious, f"axe on {page.url}: {serious}"
        assert not self.csp_violations, f"CSP violations on {page.url}: {self.csp_violations}"
        # Phone-first: nothing wider than the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], f"too wide: {page.url}"
        self.checked.append(page.url)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                             args=["--disable-gpu", "--disable-dev-shm-usage"])
        try:
            yield browser
        finally:
            browser.close()


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
    assert response.status == 403
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
