"""The self-service portal for oppdragstakere in a real browser (Debian's Chromium via Playwright) at a
phone's viewport (375 × 812), against the embedded stack, signed in through ID-porten's stand-in: an
approved avlaster signs her contract, sends a month with a stay and km (a 422 shown at its row and field
first), gets it returned, corrects it in place, and sees it paid after staff approve and run payroll (staff
steps by the API). Another oppdragstaker gets 404 on every one of her URLs with nothing of hers in the
page. axe-core on every page visited: no serious or critical WCAG 2.1 A/AA issue."""

from datetime import date, timedelta

import httpx
import pytest
from playwright.sync_api import Browser, expect

from brobygger_dev.runtime.oidc import OPPDRAGSTAKERE
from brobygger_dev.runtime.stack import Stack
from brobygger_dev.testing import eventually, staff_headers
from brobygger_shared.auth import BARNEVERN, CASEWORKER, PAYROLL
from brobygger_shared.identity import birth_date_of, parse_identity_number, synthetic_identity_number
from services.gateway.tests.integration.test_portal_citizen import Phone, browser  # noqa: F401 - the fixture
from tests.integration.flows import drafted_contract, approved_volunteer, get, staff_post

pytestmark = pytest.mark.stack

OLA, SIRI = OPPDRAGSTAKERE


def _oppdragstaker(http: httpx.Client, stack: Stack, person) -> dict:
    born = birth_date_of(parse_identity_number(person.pid), date.today())
    return approved_volunteer(http, stack, national_id=person.pid, full_name=person.name, birth_date=born.isoformat(),
                              roles=["avlaster"], area="Sentrum", interests=["fotball"], has_car=True,
                              has_spare_bedroom=True)


def _contract_for(http: httpx.Client, stack: Stack, volunteer: dict, start: date) -> dict:
    """A privat avlastning granted from `start`, matched with the volunteer; the kommune has signed and made
    the contract ready for her to sign."""
    today = date.today()
    case = staff_post(http, stack, "applications", "/service-applications", {
        "national_id": synthetic_identity_number(date(2015, 3, 4), 311), "full_name": "Nils Testesen",
        "birth_date": "2015-03-04", "address": "Testveien 2", "area": "Sentrum", "scheme": "privat_avlastning",
        "needs": "Avlastning for foreldrene.", "interests": ["fotball"]}, expect=201)
    staff_post(http, stack, "applications", f"/service-applications/{case['application_id']}/decisions", {
        "granted": True, "scope": 3, "period_from": start.isoformat(),
        "period_to": date(today.year + 1, today.month, 1).isoformat(), "reasons": "Behov for avlastning."})
    contract = drafted_contract(http, stack, volunteer, case)
    staff_post(http, stack, "contracts", f"/contracts/{contract['contract_id']}/kommune-signature")
    staff_post(http, stack, "contracts", f"/contracts/{contract['contract_id']}/signing-link")
    return contract


def _row(page, field: str, index: int = 0):
    return page.locator(f'[name="entries[{index}].{field}"]')


def test_an_oppdragstaker_signs_sends_a_month_corrects_it_and_sees_it_paid(browser: Browser, stack: Stack,  # noqa: F811
                                                                          http: httpx.Client):
    today = date.today()
    start = (today - timedelta(days=3)).replace(day=1)  # a whole stay within the month, and not in the future
    period = start.strftime("%Y-%m")
    siri_volunteer = _oppdragstaker(http, stack, SIRI)
    _oppdragstaker(http, stack, OLA)
    contract_id = _contract_for(http, stack, siri_volunteer, start)["contract_id"]
    gateway = stack.services["gateway"].url
    siri, ola = Phone(browser, gateway), Phone(browser, gateway)
    try:
        # The link in the notice leads, through sign-in, to the contract.
        page = siri.sign_in(SIRI.sub, then=f"/portal/oppdragsavtaler/{contract_id}")
        expect(page.get_by_role("heading", name="Oppdragsavtale: Avlastning")).to_be_visible()
        expect(page.get_by_text("Ja, for kjøring i oppdraget")).to_be_visible()
        siri.axe()
        page.get_by_role("button", name="Signer avtalen").click()
        expect(page.get_by_text("Kryss av for at du har lest avtalen")).to_be_visible()
        siri.axe()
        page.get_by_label("Jeg har lest avtalen og godtar den").check()
        page.get_by_role("button", name="Signer avtalen").click()
        expect(page.get_by_text("Du har signert avtalen.")).to_be_visible()
        expect(page.get_by_text("Signert – gjelder")).to_be_visible()
        siri.axe()
        pdf = page.request.get(f"/portal/oppdragsavtaler/{contract_id}/avtale.pdf")
        assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:5] == b"%PDF-"
        page.goto("/portal/oppdragsavtaler")
        expect(page.get_by_text("Signert – gjelder")).to_be_visible()
        siri.axe()

        # The month: payroll knows the signed contract once it has read ContractSigned.
        eventually(lambda: any(c["contract_id"] == contract_id for c in get(http, stack, "payroll", "/contracts")))
        page.goto("/portal/timelister")
        siri.axe()
        page.get_by_label("Måned").fill(period)
        page.get_by_role("button", name="Før timeliste for måneden").click()
        expect(page.get_by_role("heading", name="Timeliste for ")).to_be_visible()
        expect(page.get_by_text("Ikke sendt")).to_be_visible()
        siri.axe()
        day, next_day = start.isoformat(), (start + timedelta(days=1)).isoformat()
        _row(page, "day").fill(day)
        _row(page, "stay_start").fill(f"{day}T16:00")
        _row(page, "stay_end").fill(f"{day}T10:00")  # before it starts: the service's 422 at the field
        _row(page, "km").fill("12,5")
        _row(page, "activity").fill("Overnatting")
        page.get_by_role("button", name="Send timelisten").click()
        expect(page.locator('[id="felt-entries[0].stay_end-feil"]')).to_contain_text("slutte etter")
        expect(_row(page, "km")).to_have_value("12,5")
        siri.axe()
        _row(page, "stay_end").fill(f"{next_day}T16:00")
        page.get_by_role("button", name="Send timelisten").click()
        expect(page.get_by_text("Timelisten er sendt.")).to_be_visible()
        expect(page.get_by_text("Sendt inn – venter på godkjenning")).to_be_visible()
        siri.axe()

        # Staff return it; she sees why and corrects it in place.
        sheet = eventually(lambda: [s for s in get(http, stack, "payroll", "/timesheets")
                                    if s["contract_id"] == contract_id])[0]
        staff_post(http, stack, "payroll", f"/timesheets/{sheet['timesheet_id']}/return",
                   {"reason": "Kjøringen hjem mangler."})
        page.reload()
        expect(page.get_by_text("Returnert til deg for retting")).to_be_visible()
        expect(page.get_by_text("Begrunnelse: Kjøringen hjem mangler.")).to_be_visible()
        expect(page.get_by_text("Timelisten er sendt.")).to_have_count(0)  # the sending's notice is gone
        expect(_row(page, "stay_start")).to_have_value(f"{day}T16:00")
        siri.axe()
        _row(page, "km").fill("25")
        page.get_by_role("button", name="Send rettet timeliste").click()
        expect(page.get_by_text("Sendt inn – venter på godkjenning")).to_be_visible()

        # Staff approve and run payroll; she sees it paid, line by line.
        staff_post(http, stack, "payroll", f"/timesheets/{sheet['timesheet_id']}/approval")
        due = page.get_by_role("heading", name="Til utbetaling ved neste lønnskjøring: ")
        for _ in range(50):  # approved, not yet run: what the next run pays her, once payroll has read it
            page.goto("/portal/lonn")
            if due.count():
                break
            page.wait_for_timeout(200)
        expect(due).to_be_visible()
        siri.axe()

        def run() -> dict:
            response = http.post(f"{stack.services['payroll'].url}/payroll-runs", json={"period": period},
                                 headers=staff_headers(CASEWORKER, BARNEVERN, PAYROLL))
            assert response.status_code == 201, response.text
            return response.json()

        paid = eventually(run)
        assert any(line["volunteer_id"] == siri_volunteer["volunteer_id"] for line in paid["lines"])
        page.goto("/portal/lonn")
        expect(page.get_by_role("heading", name="Utbetalt: ")).to_be_visible()
        expect(page.get_by_text("Kjøregodtgjørelse").first).to_be_visible()
        expect(page.get_by_text("25 km").first).to_be_visible()
        siri.axe()
        page.goto("/portal/timelister")
        expect(page.get_by_text("Godkjent", exact=True)).to_be_visible()

        # Another oppdragstaker: every URL of hers is a 404 with nothing of hers in the page.
        other = ola.sign_in(OLA.sub)
        for path in (f"/portal/oppdragsavtaler/{contract_id}", f"/portal/oppdragsavtaler/{contract_id}/avtale.pdf",
                     f"/portal/timelister/{contract_id}/{period}"):
            response = other.goto(path)
            assert response.status == 404, path
            expect(other.get_by_role("heading", name="Fant ikke det du ba om")).to_be_visible()
            content = other.content()
            assert SIRI.name not in content and "Overnatting" not in content and "Avlastning" not in content
            ola.axe()
        token = next(c["value"] for c in ola.context.cookies() if c["name"] == "csrftoken")
        for path, form in ((f"/portal/oppdragsavtaler/{contract_id}/signer", {"bekreft": "ja"}),
                           (f"/portal/timelister/{contract_id}/{period}",
                            {"entries[0].day": day, "entries[0].hours": "2"})):
            refused = other.request.post(path, form={"csrftoken": token, **form})
            assert refused.status == 404 and SIRI.name not in refused.text(), path
        other.goto("/portal/oppdragsavtaler")
        expect(other.get_by_text("Du har ingen oppdragsavtaler ennå.")).to_be_visible()
        other.goto("/portal/lonn")
        expect(other.get_by_text("Ingenting er utbetalt ennå.")).to_be_visible()
        ola.axe()
    finally:
        siri.close()
        ola.close()

