"""Contracts over HTTP and Kafka on the embedded stack: match -> draft -> edit -> both sign -> PDF ->
amend -> terminate, and signing refused while the politiattest is not in order."""

import hashlib
import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from brobygger_shared.auth import BARNEVERN, CASEWORKER
from brobygger_dev.testing import events_on_kafka, eventually, headers_of, staff_headers
from brobygger_shared.topics import events_topic
from tests.integration.flows import drafted_contract, approved_volunteer, get, granted_case, staff_post, url

pytestmark = pytest.mark.stack

TODAY = date.today()


def _terms(**changes) -> dict:
    return {"engagement_type": "oppdragstaker", "scope": 3, "scope_unit": "timer_per_uke", "hourly_rate_ore": 19500,
            "expense_kind": "fast_per_måned", "expense_flat_monthly_ore": 40000,
            "contact_persons": ["Saksbehandler Testesen"]} | changes


def test_a_match_becomes_a_signed_contract_with_a_pdf_then_is_amended_and_terminated(stack, http, caseworker):
    volunteer = approved_volunteer(http, stack, roles=["støttekontakt"], area="Sentrum", interests=["fotball"])
    case = granted_case(http, stack)
    draft = drafted_contract(http, stack, volunteer, case)
    contract_id = draft["contract_id"]
    base = url(stack, "contracts", f"/contracts/{contract_id}")

    drafted = http.get(base, headers=caseworker).json()
    assert drafted["status"] == "utkast" and drafted["terms"]["hourly_rate_ore"] == 18000  # the kommune's default
    period_to = drafted["period_to"]

    edited = http.put(f"{base}/draft", headers=caseworker, json={
        "period_from": TODAY.isoformat(), "period_to": period_to, "terms": _terms()})
    assert edited.status_code == 200, edited.text
    link = staff_post(http, stack, "contracts", f"/contracts/{contract_id}/signing-link")["path"]
    read = http.get(url(stack, "contracts", link))
    kommune = staff_post(http, stack, "contracts", f"/contracts/{contract_id}/kommune-signature")
    signed = http.post(url(stack, "contracts", link))
    reused = http.post(url(stack, "contracts", link))

    assert read.status_code == 200 and read.json()["terms"]["hourly_rate_ore"] == 19500
    assert kommune["status"] == "delvis_signert"
    assert signed.status_code == 200, signed.text
    assert signed.json()["status"] == "signert"
    assert reused.status_code == 409  # the link is single use

    pdf = http.get(f"{base}/document.pdf", headers=caseworker)
    assert pdf.headers["content-type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages).replace("\xa0", " ")
    assert "Oppdragsavtale" in text and volunteer["full_name"] in text and "195,00 kr" in text
    assert case["case_number"] in text and volunteer["case_number"] in text  # case numbers, not UUIDs
    assert "Oppdragsveien" in text and contract_id not in text

    amended = staff_post(http, stack, "contracts", f"/contracts/{contract_id}/amendments", {
        "valid_from": (TODAY + timedelta(days=30)).isoformat(), "reason": "Nytt vedtak med flere timer.",
        "terms": _terms(scope=5, hourly_rate_ore=20000)})
    assert [t["hourly_rate_ore"] for t in amended["terms_history"]] == [19500, 20000]
    first = http.get(f"{base}/documents/1.pdf", headers=caseworker)
    latest = http.get(f"{base}/document.pdf", headers=caseworker)
    assert first.content == pdf.content  # the document as signed stays as it was signed
    assert [document["number"] for document in amended["documents"]] == [1, 2]
    assert hashlib.sha256(latest.content).hexdigest() == amended["documents"][1]["sha256"]
    appendix = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(latest.content)).pages)
    assert "Tillegg 1 til oppdragsavtalen" in appendix and "Nytt vedtak med flere timer." in appendix

    ended = staff_post(http, stack, "contracts", f"/contracts/{contract_id}/termination", {
        "ends_on": (TODAY + timedelta(days=60)).isoformat(), "terminated_by": "oppdragstaker",
        "reason": "Flytter fra kommunen."})
    assert ended["status"] == "avsluttet"
    eventually(lambda: next(c for c in get(http, stack, "matching", "/candidates")
                            if c["volunteer_id"] == volunteer["volunteer_id"])["assignments"] == 0)

    records = events_on_kafka(stack.kafka_bootstrap_servers, events_topic("contracts"), contract_id, 6)
    assert [headers_of(r)["event_type"] for r in records] == [
        "ContractReadyForSignature", "ContractSigned", "ContractDocumentIssued", "ContractAmended",
        "ContractDocumentIssued", "ContractTerminated"]
    assert link.rsplit("/", 1)[-1] not in records[0].value.decode()  # the signing link stays in contracts
    signed_event = records[1].value.decode()
    # granted_case's child's birth date travels sealed under the case's key (crypto-shredding), never in the clear
    assert '"user_birth_date":"enc:v1:' in signed_event and "2014-02-28" not in signed_event
    # typed terms; v3 may move the end
    assert [headers_of(r)["event_version"] for r in records] == ["1", "2", "1", "3", "1", "1"]
    assert '"hourly_pay":{"kind":"fast_timesats","ore":19500}' in signed_event
    assert '"engagement_type":"oppdragstaker"' in signed_event


@pytest.fixture
def contracts_with_two_month_attest_limit(stack):
    """The contracts service restarted with a stricter kommune setting: attests at most 2 months old."""
    stack.stop_service("contracts")
    stack.start_service("contracts", env={"POLICE_CERTIFICATE_MAX_AGE_MONTHS": "2"})
    yield
    stack.stop_service("contracts")
    stack.start_service("contracts")


def test_signing_is_refused_while_the_politiattest_is_too_old(stack, http, caseworker,
                                                              contracts_with_two_month_attest_limit):
    issued_on = (TODAY - timedelta(days=80)).isoformat()  # within applications' 3 months, past contracts' 2
    volunteer = approved_volunteer(http, stack, roles=["støttekontakt"], area="Sentrum", interests=["kino"])
    staff_post(http, stack, "applications",
               f"/volunteer-applications/{volunteer['application_id']}/police-certificate",
               {"kind": "ordinær", "issued_on": issued_on, "has_remarks": False})
    case = granted_case(http, stack)
    draft = drafted_contract(http, stack, volunteer, case)
    eventually(lambda: next(v for v in get(http, stack, "contracts", "/volunteers")
                            if v["volunteer_id"] == volunteer["volunteer_id"])["certificate_issued_on"] == issued_on)

    refused = http.post(url(stack, "contracts", f"/contracts/{draft['contract_id']}/kommune-signature"),
                        headers=caseworker)

    assert refused.status_code == 409
    assert "eldre enn 2 måneder" in refused.json()["detail"]
    contract = http.get(url(stack, "contracts", f"/contracts/{draft['contract_id']}"), headers=caseworker).json()
    assert contract["status"] == "utkast" and contract["signatures"] == {}


def test_a_contract_lies_within_its_vedtak_a_new_vedtak_extends_it_by_amendment_and_an_ended_service_shows(
        stack, http, caseworker):
    """Fault 9: a draft edited to run to 2030 while the vedtak ends earlier was accepted (and payroll would
    pay it). Also: the person ending the service shows on the contract; roles compose."""
    volunteer = approved_volunteer(http, stack, roles=["støttekontakt"], area="Sentrum", interests=["turer"])
    case = granted_case(http, stack)
    case_id = case["application_id"]
    vedtak_to = date.fromisoformat(case["decisions"][-1]["period_to"])
    draft = drafted_contract(http, stack, volunteer, case)
    base = url(stack, "contracts", f"/contracts/{draft['contract_id']}")

    too_long = http.put(f"{base}/draft", headers=caseworker, json={
        "period_from": TODAY.isoformat(), "period_to": "2030-12-31", "terms": _terms()})
    assert too_long.status_code == 422, too_long.text
    assert [error["field"] for error in too_long.json()["errors"]] == ["period_to"]
    assert "kan ikke vare lenger enn vedtaket" in too_long.json()["errors"][0]["message"]
    within = http.put(f"{base}/draft", headers=caseworker, json={
        "period_from": TODAY.isoformat(), "period_to": vedtak_to.isoformat(), "terms": _terms()})
    assert within.status_code == 200, within.text
    link = staff_post(http, stack, "contracts", f"/contracts/{draft['contract_id']}/signing-link")["path"]
    staff_post(http, stack, "contracts", f"/contracts/{draft['contract_id']}/kommune-signature")
    assert http.post(url(stack, "contracts", link)).json()["status"] == "signert"

    longer = date(vedtak_to.year + 1, vedtak_to.month, 1)
    past_vedtak = {"valid_from": (TODAY + timedelta(days=1)).isoformat(), "reason": "Nytt vedtak.", "terms": _terms(),
                   "period_to": longer.isoformat()}
    refused = http.post(f"{base}/amendments", headers=caseworker, json=past_vedtak)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "period_to"
    staff_post(http, stack, "applications", f"/service-applications/{case_id}/decisions", {
        "granted": True, "scope": 3, "period_from": TODAY.isoformat(), "period_to": longer.isoformat(),
        "reasons": "Forlenget."})
    eventually(lambda: http.get(base, headers=caseworker).json()["vedtak"]["decision_number"] == 2)
    extended = http.post(f"{base}/amendments", headers=caseworker, json=past_vedtak)
    assert extended.status_code == 200, extended.text
    assert extended.json()["period_to"] == longer.isoformat()
    records = events_on_kafka(stack.kafka_bootstrap_servers, events_topic("contracts"), draft["contract_id"], 4)
    amended = [r for r in records if headers_of(r)["event_type"] == "ContractAmended"]
    assert f'"period_to":"{longer.isoformat()}"' in amended[0].value.decode()
    paid_to = eventually(lambda: next(c["period_to"] for c in get(http, stack, "payroll", "/contracts")
                                      if c["contract_id"] == draft["contract_id"] and c["period_to"] == longer.isoformat()))
    assert paid_to == longer.isoformat()  # payroll pays the extended days too

    staff_post(http, stack, "applications", f"/service-applications/{case_id}/ending",
               {"ended_on": TODAY.isoformat(), "reason": "Flyttet."})
    shown = eventually(lambda: http.get(base, headers=caseworker).json()["vedtak"]["service_ended_on"])
    assert shown == TODAY.isoformat()
    assert http.get(base, headers=caseworker).json()["status"] == "signert"  # staff end it: notice, rights
    to_end = get(http, stack, "contracts", "/contracts?service_ended=true")
    assert draft["contract_id"] in {c["contract_id"] for c in to_end}

    assert http.get(base, headers=staff_headers(BARNEVERN)).status_code == 404  # not theirs: not there
    assert http.get(base, headers=staff_headers(CASEWORKER)).status_code == 200
    barnevern_list = http.get(url(stack, "contracts", "/contracts"), headers=staff_headers(BARNEVERN)).json()
    assert draft["contract_id"] not in {c["contract_id"] for c in barnevern_list}


def test_the_work_queue_counts_drafts_by_the_roles_their_case_allows(stack, http):
    def counts(role) -> dict:
        answer = http.get(url(stack, "contracts", "/summary"), headers=staff_headers(role))
        assert answer.status_code == 200, answer.text
        return answer.json()

    before = {role: counts(role) for role in (CASEWORKER, BARNEVERN)}
    volunteer = approved_volunteer(http, stack, roles=["støttekontakt"], area="Sentrum", interests=["fotball"])
    draft = drafted_contract(http, stack, volunteer, granted_case(http, stack))
    assert draft["status"] == "utkast"

    assert counts(CASEWORKER)["drafts"] == before[CASEWORKER]["drafts"] + 1
    assert counts(BARNEVERN) == before[BARNEVERN]  # an ordinary case's draft is not counted for barnevern alone
    staff_post(http, stack, "contracts", f"/contracts/{draft['contract_id']}/kommune-signature")
    after = eventually(lambda: (lambda now: now if now["partly_signed"] == before[CASEWORKER]["partly_signed"] + 1
                                else None)(counts(CASEWORKER)))
    assert after["drafts"] == before[CASEWORKER]["drafts"]
    assert http.get(url(stack, "contracts", "/summary"), headers=staff_headers()).status_code == 403
