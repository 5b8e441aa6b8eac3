"""What the gateway's browser tests share: Debian's Chromium through Playwright, and a person in one
browser context whose every checked page passes axe-core (no serious or critical WCAG 2.1 A/AA issue)
with no Content Security Policy violation. The staff journey (`Visit`, test_web_ui.py) and the portal's
(`Phone`, test_portal_citizen.py) add how they sign in and what else they check."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

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


class CheckedBrowsing:
    """One person in one browser context; `axe()` checks the page as it is now."""

    def __init__(self, browser: Browser, gateway: str, **context_options) -> None:
        self.gateway = gateway
        self.context = browser.new_context(base_url=gateway, locale="nb-NO", **context_options)
        self.context.set_default_timeout(30_000)
        self.page: Page = self.context.new_page()
        self.csp_violations: list[str] = []
        self.page.on("console", self._console)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.csp_violations.append(message.text)

    def close(self) -> None:
        self.context.close()

    def axe(self) -> list[dict]:
        """axe-core's violations on the page; fails on a serious or critical one, or on a CSP violation."""
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
        return violations
