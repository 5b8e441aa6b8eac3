"""Payroll over HTTP and Kafka on the embedded stack: submit -> approve -> run -> export, a refused
entry, a correction paid in the next run, and a rebuild that finds nothing different."""

import csv
from concurrent.futures import ThreadPoolExecutor
import io
import re
from datetime import date, timedelta
from uuid import uuid4

import pytest

from brobygger_shared.auth import BARNEVERN, CASEWORKER, OPPDRAGSTAKER, PAYROLL
from brobygger_shared.events import registry
from brobygger_shared.events.payroll import PayrollRunCompleted
from brobygger_dev.testing import events_on_kafka, eventually, headers_of, staff_headers
from brobygger_shared.topics import events_topic
from brobygger_shared.identity import synthetic_identity_number
from tests.integration.flows import (
    approved_volunteer, drafted_contract, get, granted_case, match_made, proposed_match, signed_contract, staff_post, url,
)

pytestmark = pytest.mark.stack

TODAY = date.today()
PERIOD = f"{TODAY:%Y-%m}"


def test_a_timesheet_goes_from_submission_to_pay_lines_in_the_export(stack, http, caseworker):
    contract = signed_contract(http, stack)
    contract_id = contract["contract_id"]
    eventually(lambda: any(c["contract_id"] == contract_id for c in get(http, stack, "payroll", "/contracts")))

    refused = http.post(url(stack, "payroll", "/timesheets"), headers=caseworker, json={
        "contract_id": contract_id, "period": PERIOD,
        "entries": [{"day": TODAY.isoformat(), "hours": "2.5", "activity": "fotball"},
                    {"day": (TODAY + timedelta(days=1)).isoformat(), "hours": "1"}]})
    sheet = staff_post(http, stack, "payroll", "/timesheets", {
        "contract_id": contract_id, "period": PERIOD,
        "entries": [{"day": TODAY.isoformat(), "hours": "2.5", "activity": "fotball"}]}, expect=201)
    staff_post(http, stack, "payroll", f"/timesheets/{sheet['timesheet_id']}/approval")
    preview = http.get(url(stack, "payroll", f"/payroll-runs/preview?period={PERIOD}"),
                       headers=staff_headers(PAYROLL)).json()
    run = staff_post(http, stack, "payroll", "/payroll-runs", {"period": PERIOD}, expect=201)

    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"field": "entries[1].day", "message": "datoen er fram i tid"}]
    mine = [line for line in run["lines"] if line["contract_id"] == contract_id]
    assert {line["component"]: line["amount_ore"] for line in mine} == {
        "timelønn": 45000,  # 2,5 h × 180 kr (the kommune's default støttekontakt rate)
        "utgiftsdekning_måned": 40000,  # 400 kr for a month with activity
    }
    assert all(line["sources"] and line["rate_valid_from"] for line in mine)
    assert [line for line in preview["lines"] if line["contract_id"] == contract_id] == mine  # what it showed

    numbered = http.put(url(stack, "payroll", f"/payees/{contract['volunteer_id']}/employee-number"),
                        headers=staff_headers(PAYROLL), json={"employee_number": "40017"})
    assert numbered.status_code == 200, numbered.text
    exported = http.get(url(stack, "payroll", f"/payroll-runs/{run['run_id']}/export.csv"),
                        headers=staff_headers(PAYROLL))
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    rows = [row for row in csv.DictReader(io.StringIO(exported.text), delimiter=";")
            if row["contract_id"] == contract_id]
    hourly = next(row for row in rows if row["component"] == "timelønn")
    assert hourly["a_melding_fordel"] == "kontantytelse"
    assert hourly["pay_code"] == "1100" and hourly["amount_ore"] == "45000" and hourly["quantity"] == "2.5"
    assert hourly["a_melding_code"] == "honorarAkkordProsentProvisjon"
    assert hourly["period"] == PERIOD and hourly["cost_centre"] == "3501"
    assert hourly["employee_number"] == "40017" and hourly["person_reference"] == contract["volunteer_id"]
    assert re.fullmatch(r"\d{4}/\d{4,}", hourly["case_number"])  # the user's case, as people say it
    as_json = http.get(url(stack, "payroll", f"/payroll-runs/{run['run_id']}/export.json"),
                       headers=staff_headers(PAYROLL))
    json_rows = [row for row in as_json.json() if row["contract_id"] == contract_id]
    assert {(row["component"], str(row["amount_ore"]), row["pay_code"]) for row in json_rows} == {
        (row["component"], row["amount_ore"], row["pay_code"]) for row in rows}  # the same lines as the CSV

    again = staff_post(http, stack, "payroll", "/payroll-runs", {"period": PERIOD}, expect=201)
    assert [line for line in again["lines"] if line["contract_id"] == contract_id] == []  # nothing twice

    corrected = staff_post(http, stack, "payroll", "/timesheets", {
        "contract_id": contract_id, "period": PERIOD,
        "entries": [{"day": TODAY.isoformat(), "hours": "3", "activity": "fotball"}]})
    staff_post(http, stack, "payroll", f"/timesheets/{corrected['timesheet_id']}/approval")
    correction = staff_post(http, stack, "payroll", "/payroll-runs", {"period": PERIOD}, expect=201)
    (difference,) = [line for line in correction["lines"] if line["contract_id"] == contract_id]
    assert difference["amount_ore"] == 9000  # 0,5 h × 180 kr more than was paid
    assert difference["original_period"] == PERIOD

    report = staff_post(http, stack, "payroll", "/payroll/rebuild")
    assert [d for d in report["differences"] if d["contract_id"] == contract_id] == []

    records = events_on_kafka(stack.kafka_bootstrap_servers, events_topic("payroll"), sheet["timesheet_id"], 4)
    assert [headers_of(r)["event_type"] for r in records] == [
        "TimesheetSubmitted", "TimesheetApproved", "TimesheetSubmitted", "TimesheetApproved"]
    runs = events_on_kafka(stack.kafka_bootstrap_servers, events_topic("payroll"), run["run_id"], 1)
    assert headers_of(runs[0])["event_type"] == "PayrollRunCompleted"
    # The published runs carry their pay lines: the user's case, the scheme, the kind and the amount.
    assert pay_lines(stack, run["run_id"], contract_id) == {
        ("timelønn", "ordinær", PERIOD, "2.5", 45000), ("utgiftsdekning_måned", "ordinær", PERIOD, "1", 40000)}
    assert pay_lines(stack, correction["run_id"], contract_id) == {("timelønn", "etterbetaling", PERIOD, "0.5", 9000)}
    (published,) = events_on_kafka(stack.kafka_bootstrap_servers, events_topic("payroll"), correction["run_id"], 1)
    line = next(line for line in decoded(published).pay_lines if str(line.contract_id) == contract_id)
    assert (str(line.application_id), line.scheme, str(line.volunteer_id)) == (
        contract["application_id"], "støttekontakt", contract["volunteer_id"])
    assert line.rate_code and line.rate_valid_from and line.unit == "øre_per_time"


def decoded(record) -> PayrollRunCompleted:
    headers = headers_of(record)
    return registry.decode(headers["event_type"], int(headers["event_version"]), record.value)


def pay_lines(stack, run_id: str, contract_id: str) -> set[tuple]:
    (record,) = events_on_kafka(stack.kafka_bootstrap_servers, events_topic("payroll"), run_id, 1)
    return {(line.component, line.kind, line.earned_in, line.quantity, line.amount_ore)
            for line in decoded(record).pay_lines if str(line.contract_id) == contract_id}


def test_two_payroll_runs_started_at_once_pay_an_approved_timesheet_once(stack, http, caseworker):
    contract_id = signed_contract(http, stack)["contract_id"]
    eventually(lambda: any(c["contract_id"] == contract_id for c in get(http, stack, "payroll", "/contracts")))
    sheet = staff_post(http, stack, "payroll", "/timesheets", {
        "contract_id": contract_id, "period": PERIOD,
        "entries": [{"day": TODAY.isoformat(), "hours": "2", "activity": "svømming", "note": "hentet hjemme"}]},
        expect=201)

    shown = get(http, stack, "payroll", f"/timesheets/{sheet['timesheet_id']}")
    assert shown["status"] == "sendt_inn"
    assert shown["entries"] == [{"day": TODAY.isoformat(), "activity": "svømming", "hours": "2", "stay_start": None,
                                 "stay_end": None, "km": "0", "note": "hentet hjemme"}]
    staff_post(http, stack, "payroll", f"/timesheets/{sheet['timesheet_id']}/approval")

    def run() -> dict:
        return staff_post(http, stack, "payroll", "/payroll-runs", {"period": PERIOD}, expect=201)

    with ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(lambda _: run(), range(2)))

    paid = [line for r in runs for line in r["lines"] if line["contract_id"] == contract_id]
    assert sum(line["amount_ore"] for line in paid) == 36000 + 40000  # 2 h × 180 kr, and 400 kr a month, once
    stored = get(http, stack, "payroll", f"/payroll-runs/{runs[0]['run_id']}")
    assert stored["lines"] == runs[0]["lines"] and stored["period"] == PERIOD


def test_an_oppdragstaker_keeps_the_timesheets_of_their_own_contracts_only(stack, http):
    contract = signed_contract(http, stack)
    contract_id, volunteer_id = contract["contract_id"], contract["volunteer_id"]
    oppdragstaker = staff_headers(OPPDRAGSTAKER, user=volunteer_id)
    somebody_else = staff_headers(OPPDRAGSTAKER, user=str(uuid4()))
    eventually(lambda: any(c["contract_id"] == contract_id for c in get(http, stack, "payroll", "/contracts")))
    sheet = {"contract_id": contract_id, "period": PERIOD,
             "entries": [{"day": TODAY.isoformat(), "hours": "1.5", "activity": "kino"}]}

    own_contracts = http.get(url(stack, "payroll", "/contracts"), headers=oppdragstaker).json()
    others_contracts = http.get(url(stack, "payroll", "/contracts"), headers=somebody_else).json()
    refused = http.post(url(stack, "payroll", "/timesheets"), headers=somebody_else, json=sheet)
    submitted = http.post(url(stack, "payroll", "/timesheets"), headers=oppdragstaker, json=sheet)
    timesheet_id = submitted.json()["timesheet_id"]
    seen = http.get(url(stack, "payroll", f"/timesheets/{timesheet_id}"), headers=oppdragstaker)
    not_seen = http.get(url(stack, "payroll", f"/timesheets/{timesheet_id}"), headers=somebody_else)
    self_approval = http.post(url(stack, "payroll", f"/timesheets/{timesheet_id}/approval"), headers=oppdragstaker)

    assert [c["contract_id"] for c in own_contracts] == [contract_id]
    assert others_contracts == []
    assert refused.status_code == 403 and "egne oppdrag" in refused.json()["detail"]
    assert submitted.status_code == 201 and submitted.json()["status"] == "sendt_inn"
    assert seen.status_code == 200 and seen.json()["entries"][0]["hours"] == "1.5"
    assert not_seen.status_code == 404  # another's timesheet: as if unknown
    assert self_approval.status_code == 403  # approving is for staff


def test_a_rate_registered_late_is_paid_as_back_pay_in_the_next_run(stack, http):
    contract_id = signed_contract(http, stack, scheme="privat_avlastning")["contract_id"]
    eventually(lambda: any(c["contract_id"] == contract_id for c in get(http, stack, "payroll", "/contracts")))
    sheet = staff_post(http, stack, "payroll", "/timesheets", {
        "contract_id": contract_id, "period": PERIOD,
        "entries": [{"day": TODAY.isoformat(), "hours": "4", "activity": "avlastning på dagtid"}]}, expect=201)
    staff_post(http, stack, "payroll", f"/timesheets/{sheet['timesheet_id']}/approval")
    first = staff_post(http, stack, "payroll", "/payroll-runs", {"period": PERIOD}, expect=201)
    payroll_officer = staff_headers(PAYROLL)
    rate = {"code": "sgs1030_hol", "unit": "øre_per_time", "value": "9500",
            "valid_from": TODAY.replace(day=1).isoformat(),
            "source": "KS-avtale inngått etter lønnskjøringen (test)"}

    wrong_unit = http.post(url(stack, "payroll", "/rates"), headers=payroll_officer,
                           json=rate | {"unit": "øre_per_døgn"})
    registered = http.post(url(stack, "payroll", "/rates"), headers=payroll_officer, json=rate)
    second = staff_post(http, stack, "payroll", "/payroll-runs", {"period": PERIOD}, expect=201)

    def mine(run: dict) -> dict:
        return {(line["component"], line["original_period"]): line["amount_ore"] for line in run["lines"]
                if line["contract_id"] == contract_id}

    assert mine(first) == {
        ("timelønn", None): 36400,  # 4 h × 91 kr (SGS 1030 hol, 2022 rate: the latest shipped)
        ("feriepenger", None): 3713,  # 10.2 % of 364 kr = 37.128 kr, an avlaster is an employee
    }
    assert wrong_unit.status_code == 422 and wrong_unit.json()["errors"][0]["field"] == "unit"
    assert registered.status_code == 201
    assert mine(second) == {
        ("timelønn", PERIOD): 1600,  # 4 h × (95 - 91) kr, back pay naming the period
        ("feriepenger", PERIOD): 163,  # 10.2 % of 380 kr = 38.76 kr, minus the 37.13 kr paid
    }
    rates = http.get(url(stack, "payroll", "/rates"), headers=payroll_officer).json()
    assert [r["unit"] for r in rates if r["code"] == "sgs1030_hol" and r["value"] == "9500"] == ["øre_per_time"]


def test_a_contract_lacking_a_rate_is_held_with_the_reason_and_the_run_pays_the_others(stack, http, caseworker):
    payroll_officer = staff_headers(PAYROLL)
    table = f"kommunesats_{uuid4().hex[:8]}"
    next_month = (TODAY.replace(day=1) + timedelta(days=32)).replace(day=1)
    registered = http.post(url(stack, "payroll", "/rates"), headers=payroll_officer, json={
        "code": table, "unit": "øre_per_time", "value": "20000", "valid_from": next_month.isoformat(),
        "source": "Ny kommunal sats fra neste måned (test)"})
    assert registered.status_code == 201, registered.text
    terms = {"engagement_type": "oppdragstaker", "scope": 3, "scope_unit": "timer_per_uke",
             "expense_kind": "fast_per_måned", "expense_flat_monthly_ore": 40000}
    paid_id = signed_contract(http, stack)["contract_id"]
    eventually(lambda: table in get(http, stack, "contracts", "/rate-tables"))  # learnt from RateChanged
    lacking_id = signed_contract(http, stack, terms=terms | {"hourly_rate_table": table})["contract_id"]
    eventually(lambda: {paid_id, lacking_id} <= {c["contract_id"] for c in get(http, stack, "payroll", "/contracts")})
    for contract_id in (paid_id, lacking_id):
        sheet = staff_post(http, stack, "payroll", "/timesheets", {
            "contract_id": contract_id, "period": PERIOD,
            "entries": [{"day": TODAY.isoformat(), "hours": "2", "activity": "kino"}]}, expect=201)
        staff_post(http, stack, "payroll", f"/timesheets/{sheet['timesheet_id']}/approval")

    preview = http.get(url(stack, "payroll", f"/payroll-runs/preview?period={PERIOD}"), headers=payroll_officer)
    run = staff_post(http, stack, "payroll", "/payroll-runs", {"period": PERIOD}, expect=201)
    rebuilt = staff_post(http, stack, "payroll", "/payroll/rebuild")

    assert preview.status_code == 200, preview.text
    assert {line["contract_id"] for line in run["lines"]} >= {paid_id}
    assert sum(line["amount_ore"] for line in run["lines"] if line["contract_id"] == paid_id) == 36000 + 40000
    assert [line for line in run["lines"] if line["contract_id"] == lacking_id] == []
    (held,) = [held for held in run["not_paid"] if held["contract_id"] == lacking_id]
    assert held["period"] == PERIOD
    assert held["reason"].startswith(f"Mangler sats {table} som gjelder {TODAY:%d.%m.%Y}")
    assert [h for h in preview.json()["not_paid"] if h["contract_id"] == lacking_id] == [held]
    assert [h for h in rebuilt["not_computed"] if h["contract_id"] == lacking_id] == [held]
    assert get(http, stack, "payroll", f"/payroll-runs/{run['run_id']}")["not_paid"] == run["not_paid"]
    # Nobody here has an employee number yet: counted on the run, marked in the export.
    assert run["lines_without_employee_number"] >= 2
    exported = http.get(url(stack, "payroll", f"/payroll-runs/{run['run_id']}/export.csv"), headers=payroll_officer)
    rows = [row for row in csv.DictReader(io.StringIO(exported.text), delimiter=";") if row["contract_id"] == paid_id]
    assert {row["warning"] for row in rows} == {"mangler ansattnummer"}
    assert {row["unit"] for row in rows} == {"øre_per_time", "øre_per_måned"}



def _a_run_paying_one_new_contract(http, stack) -> tuple[dict, dict]:
    """A contract signed on the kommune's defaults, a month's approved timesheet, and a run that pays it;
    nobody has given the oppdragstaker an employee number."""
    contract = signed_contract(http, stack)
    eventually(lambda: any(c["contract_id"] == contract["contract_id"]
                           for c in get(http, stack, "payroll", "/contracts")))
    sheet = staff_post(http, stack, "payroll", "/timesheets", {
        "contract_id": contract["contract_id"], "period": PERIOD,
        "entries": [{"day": TODAY.isoformat(), "hours": "2", "activity": "kino"}]}, expect=201)
    staff_post(http, stack, "payroll", f"/timesheets/{sheet['timesheet_id']}/approval")
    return contract, staff_post(http, stack, "payroll", "/payroll-runs", {"period": PERIOD}, expect=201)


def test_by_default_the_csv_export_marks_the_lines_of_someone_without_an_employee_number(stack, http):
    contract, run = _a_run_paying_one_new_contract(http, stack)
    exported = http.get(url(stack, "payroll", f"/payroll-runs/{run['run_id']}/export.csv"),
                        headers=staff_headers(PAYROLL))

    assert exported.status_code == 200, exported.text
    rows = list(csv.DictReader(io.StringIO(exported.text), delimiter=";"))
    mine = [row for row in rows if row["contract_id"] == contract["contract_id"]]
    assert {row["component"] for row in mine} == {"timelønn", "utgiftsdekning_måned"}
    assert {(row["employee_number"], row["warning"]) for row in mine} == {("", "mangler ansattnummer")}
    unnumbered = sum(1 for row in rows if not row["employee_number"])
    assert int(exported.headers["x-lines-without-employee-number"]) == unnumbered >= len(mine)
    assert run["lines_without_employee_number"] == unnumbered


@pytest.fixture
def payroll_refusing_lines_without_employee_number(stack):
    """The payroll service restarted with the kommune's setting that the CSV export refuses such lines."""
    stack.stop_service("payroll")
    stack.start_service("payroll", env={"EXPORT_REFUSES_LINES_WITHOUT_EMPLOYEE_NUMBER": "true"})
    yield
    stack.stop_service("payroll")
    stack.start_service("payroll")


def test_the_csv_export_refuses_lines_without_an_employee_number_when_the_kommune_asks_it_to(
        stack, http, payroll_refusing_lines_without_employee_number):
    contract, run = _a_run_paying_one_new_contract(http, stack)
    export = url(stack, "payroll", f"/payroll-runs/{run['run_id']}/export")
    refused = http.get(f"{export}.csv", headers=staff_headers(PAYROLL))
    as_json = http.get(f"{export}.json", headers=staff_headers(PAYROLL))

    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    problem = refused.json()
    assert problem["title"] == "Handlingen er ikke tillatt nå"
    assert "mangler ansattnummer fra lønnssystemet" in problem["detail"]
    assert contract["volunteer_id"] in problem["missing_employee_number"]
    # The JSON export is for reading, not for the payroll system: it still lists every line, marked.
    assert as_json.status_code == 200
    assert {row["warning"] for row in as_json.json() if row["contract_id"] == contract["contract_id"]} == {
        "mangler ansattnummer"}


def _barnevern_signed_contract(http, stack) -> dict:
    """A støttekontakt with a barneomsorgsattest matched with a barnevern case, the contract signed by both."""
    volunteer = approved_volunteer(http, stack, roles=["støttekontakt"], area="Sentrum", interests=["fotball"])
    staff_post(http, stack, "applications", f"/volunteer-applications/{volunteer['application_id']}/police-certificate",
               {"kind": "barneomsorgsattest", "issued_on": volunteer["certificate"]["issued_on"],
                "has_remarks": False})
    case = granted_case(http, stack, scheme="støttekontakt_barnevern")
    eventually(lambda: next(c for c in get(http, stack, "matching", "/candidates")
                            if c["volunteer_id"] == volunteer["volunteer_id"])["certificate_kind"] == "barneomsorgsattest")
    contract = drafted_contract(http, stack, volunteer, case)
    link = staff_post(http, stack, "contracts", f"/contracts/{contract['contract_id']}/signing-link")["path"]
    staff_post(http, stack, "contracts", f"/contracts/{contract['contract_id']}/kommune-signature")
    signed = http.post(url(stack, "contracts", link), timeout=60)
    assert signed.status_code == 200, signed.text
    return signed.json()


def test_timesheets_are_seen_by_the_roles_their_case_allows_and_lonn_sees_payees_runs_and_what_it_pays(stack, http):
    ordinary, barnevern = signed_contract(http, stack), _barnevern_signed_contract(http, stack)
    for contract in (ordinary, barnevern):
        eventually(lambda contract=contract: any(c["contract_id"] == contract["contract_id"]
                                                 for c in get(http, stack, "payroll", "/contracts")))
    sheets = {contract["scheme"]: staff_post(http, stack, "payroll", "/timesheets", {
        "contract_id": contract["contract_id"], "period": PERIOD,
        "entries": [{"day": TODAY.isoformat(), "hours": "2", "activity": "tur"}]}, expect=201)["timesheet_id"]
        for contract in (ordinary, barnevern)}
    ordinary_sheet, barnevern_sheet = sheets["støttekontakt"], sheets["støttekontakt_barnevern"]

    def listed(*roles, status="sendt_inn") -> set[str]:
        answer = http.get(url(stack, "payroll", f"/timesheets?status={status}"), headers=staff_headers(*roles))
        assert answer.status_code == 200, answer.text
        return {row["timesheet_id"] for row in answer.json()}

    def status_of(sheet, *roles) -> int:
        return http.get(url(stack, "payroll", f"/timesheets/{sheet}"), headers=staff_headers(*roles)).status_code

    eventually(lambda: {ordinary_sheet, barnevern_sheet} <= listed(CASEWORKER, BARNEVERN))
    assert ordinary_sheet in listed(CASEWORKER) and barnevern_sheet not in listed(CASEWORKER)
    assert barnevern_sheet in listed(BARNEVERN) and ordinary_sheet not in listed(BARNEVERN)
    assert status_of(barnevern_sheet, CASEWORKER) == 404 and status_of(ordinary_sheet, BARNEVERN) == 404
    assert status_of(barnevern_sheet, BARNEVERN) == 200
    refused = http.post(url(stack, "payroll", f"/timesheets/{barnevern_sheet}/approval"),
                        headers=staff_headers(CASEWORKER))
    assert refused.status_code == 404  # not approved by someone who may not see it
    assert barnevern["contract_id"] not in {c["contract_id"] for c in http.get(
        url(stack, "payroll", "/contracts"), headers=staff_headers(CASEWORKER)).json()}
    summary = http.get(url(stack, "payroll", "/summary"), headers=staff_headers(CASEWORKER)).json()
    assert summary["timesheets_to_approve"] >= 1 and summary["latest_run"] is None  # runs: lønn's

    # The lønn role: nothing to approve, but what is approved (barnevern too: it pays them), and the payees.
    assert listed(PAYROLL) == set()
    for sheet, roles in ((ordinary_sheet, (CASEWORKER,)), (barnevern_sheet, (BARNEVERN,))):
        approved = http.post(url(stack, "payroll", f"/timesheets/{sheet}/approval"), headers=staff_headers(*roles))
        assert approved.status_code == 200, approved.text
    eventually(lambda: {ordinary_sheet, barnevern_sheet} <= listed(PAYROLL, status="godkjent"))
    assert status_of(barnevern_sheet, PAYROLL) == 200
    payees = http.get(url(stack, "payroll", "/payees"), headers=staff_headers(PAYROLL))
    assert payees.status_code == 200, payees.text
    names = {row["volunteer_id"]: row["full_name"] for row in payees.json()}
    assert names[ordinary["volunteer_id"]].startswith("Testperson")

    run = staff_post(http, stack, "payroll", "/payroll-runs", {"period": PERIOD}, expect=201)
    def newest_first() -> list[dict]:  # once the read model has this run (earlier tests made runs too)
        listed = http.get(url(stack, "payroll", "/payroll-runs"), headers=staff_headers(PAYROLL)).json()
        return listed if listed and listed[0]["run_id"] == run["run_id"] else []

    runs = eventually(newest_first)
    assert runs[0]["period"] == PERIOD
    assert runs[0]["line_count"] == len(run["lines"]) and runs[0]["total_ore"] == run["total_ore"]
    assert runs[0]["corrections"] == run["corrections"] and runs[0]["run_on"] == TODAY.isoformat()
    assert http.get(url(stack, "payroll", "/payroll-runs"), headers=staff_headers(CASEWORKER)).status_code == 403
    latest = http.get(url(stack, "payroll", "/summary"), headers=staff_headers(PAYROLL)).json()["latest_run"]
    assert latest["run_id"] == run["run_id"]


def test_a_group_assignment_from_match_to_an_approved_session_timesheet_counts_hours_per_present_user(stack, http):
    """Two users with their own granted vedtak, one støttekontakt, a partner: matched, formed into a group,
    one contract naming both, signed; the month's sessions name who was present; each user's case is
    counted the hours of the sessions they were at, and the oppdragstaker is paid each hour once."""
    volunteer = approved_volunteer(http, stack, roles=["støttekontakt"], area="Sentrum", interests=["fotball"])
    lead = granted_case(http, stack)
    member = granted_case(http, stack, national_id=synthetic_identity_number(date(2013, 5, 4)),
                          birth_date="2013-05-04", full_name="Kari Gruppesen")
    match = proposed_match(http, stack, volunteer, lead)
    match_made(http, stack, match["match_id"])
    eventually(lambda: any(w["application_id"] == member["application_id"]
                           for w in get(http, stack, "matching", "/waiting-list")))
    formed = http.put(url(stack, "matching", f"/matches/{match['match_id']}/group"),
                      headers=staff_headers(CASEWORKER), json={"members": [member["application_id"]],
                                                                "partner": "Frivilligsentralen"})
    assert formed.status_code == 200, formed.text
    group = [lead["application_id"], member["application_id"]]
    contract_id = eventually(lambda: [c for c in get(http, stack, "contracts", "/contracts")
                                      if c["volunteer_id"] == volunteer["volunteer_id"]])[0]["contract_id"]
    contract = eventually(lambda: (shown := http.get(url(stack, "contracts", f"/contracts/{contract_id}"),
                                                     headers=staff_headers(CASEWORKER)).json())["group_members"]
                          and shown)
    link = staff_post(http, stack, "contracts", f"/contracts/{contract_id}/signing-link")["path"]
    staff_post(http, stack, "contracts", f"/contracts/{contract_id}/kommune-signature")
    assert http.post(url(stack, "contracts", link)).status_code == 200
    eventually(lambda: any(c["contract_id"] == contract_id for c in get(http, stack, "payroll", "/contracts")))

    outsider = http.post(url(stack, "payroll", "/timesheets"), headers=staff_headers(CASEWORKER), json={
        "contract_id": contract_id, "period": PERIOD,
        "entries": [{"day": TODAY.isoformat(), "hours": "2", "present": [str(uuid4())]}]})
    sheet = staff_post(http, stack, "payroll", "/timesheets", {"contract_id": contract_id, "period": PERIOD, "entries": [
        {"day": TODAY.isoformat(), "hours": "2", "activity": "bowling", "present": group},
        {"day": TODAY.isoformat(), "hours": "1.5", "activity": "kino", "present": [lead["application_id"]]}]},
        expect=201)
    staff_post(http, stack, "payroll", f"/timesheets/{sheet['timesheet_id']}/approval")

    assert formed.json()["group_members"] == group
    assert (contract["group_members"], contract["group_partner"]) == (group, "Frivilligsentralen")
    assert outsider.status_code == 422
    assert [e["field"] for e in outsider.json()["errors"]] == ["entries[0].present"]
    submitted, approved = events_on_kafka(stack.kafka_bootstrap_servers, events_topic("payroll"),
                                          sheet["timesheet_id"], 2)
    assert headers_of(approved)["event_type"] == "TimesheetApproved"
    published = registry.decode("TimesheetSubmitted", int(headers_of(submitted)["event_version"]), submitted.value)
    assert published.hours == 3.5  # what the oppdragstaker is paid for: each hour once
    assert {str(c.application_id): c.hours for c in published.hours_by_case} == {
        lead["application_id"]: 3.5, member["application_id"]: 2.0}
