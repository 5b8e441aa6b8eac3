"""The applications service over HTTP on the embedded stack: the whole life of a case and of a
volunteer application, the integration events they publish on Kafka, and the errors staff see."""

from datetime import date, timedelta
from uuid import uuid4

import pytest

from brobygger_shared.auth import BARNEVERN, CASEWORKER, PAYROLL
from brobygger_dev.testing import events_on_kafka, eventually, headers_of, staff_headers
from brobygger_shared.topics import events_topic
from tests.integration.flows import volunteer_form

pytestmark = pytest.mark.stack

TODAY = date.today()


@pytest.fixture
def api(stack, http, caseworker):
    base = stack.services["applications"].url

    def call(method: str, path: str, json=None, headers=None, expect: int | None = 200):
        response = http.request(method, base + path, json=json, headers={**caseworker, **(headers or {})})
        if expect is not None:
            assert response.status_code == expect, response.text
        return response

    return call


def case_form(scheme: str = "støttekontakt") -> dict:
    return {
        "national_id": "29822099635",
        "full_name": "Ola Testesen",
        "birth_date": "2020-02-29",
        "address": "Testveien 1",
        "area": "Nord",
        "scheme": scheme,
        "needs": "Trenger noen å gå på fotball med.",
        "interests": ["fotball"],
        "helper_wishes": {"gender": "mann"},
        "carers": [{"navn": "Kari Testesen", "relasjon": "mor"}],
        "scope_asked": 3,
    }


def test_a_case_goes_from_søknad_through_vedtak_and_klage_to_the_statsforvalteren(stack, api):
    correlation_id = str(uuid4())
    case_id = api("POST", "/service-applications", case_form(), {"X-Correlation-ID": correlation_id},
                  expect=201).json()["application_id"]

    api("POST", f"/service-applications/{case_id}/assessments", {"notes": "Hjemmebesøk gjennomført.",
                                                                   "home_visit_on": TODAY.isoformat()})
    api("POST", f"/service-applications/{case_id}/interim-reply",
        {"reason": "Venter på kartlegging.", "expected_decision_by": (TODAY + timedelta(days=20)).isoformat()})
    granted = api("POST", f"/service-applications/{case_id}/decisions", {
        "granted": True, "scope": 3, "period_from": TODAY.isoformat(),
        "period_to": (TODAY + timedelta(days=365)).isoformat(), "reasons": "Behov for aktivitet.",
    }).json()
    # A klage cannot be dated in the future, and the vedtak was made today: this one is in time (late
    # ones are the domain tests' concern).
    appealed = api("POST", f"/service-applications/{case_id}/appeal",
                   {"grounds": "Ønsker flere timer.", "received_on": TODAY.isoformat()}).json()
    api("POST", f"/service-applications/{case_id}/appeal/forwarding", {"reasons": "Omfanget er riktig."})
    final = api("POST", f"/service-applications/{case_id}/appeal/statsforvalter-result",
                {"outcome": "stadfestet", "reasons": "Kommunens vedtak står."}).json()

    assert granted["status"] == "innvilget"
    assert granted["decisions"][0]["legal_basis"].startswith("helse- og omsorgstjenesteloven § 3-2")
    assert granted["decisions"][0]["scope_unit"] == "timer_per_uke"
    assert appealed["appeal"]["late"] is False
    assert final["status"] == "innvilget" and final["statsforvalter_outcome"] == "stadfestet"

    timeline = [entry["text"] for entry in api("GET", f"/service-applications/{case_id}/timeline").json()]
    assert timeline[0] == "Søknad om støttekontakt mottatt."
    assert timeline[3] == "Brev med foreløpig svar sendt (brev nr. 1, signert test-saksbehandler)."
    assert timeline[4].startswith("Vedtak nr. 1: innvilget 3 timer per uke")
    assert timeline[5] == "Vedtaksbrev sendt (brev nr. 2, signert test-saksbehandler)."
    assert timeline[6] == "Klage mottatt innen fristen."
    assert len(timeline) == 9

    records = events_on_kafka(stack.kafka_bootstrap_servers, events_topic("applications"), case_id, 8)
    assert [headers_of(r)["event_type"] for r in records] == [
        "ApplicationReceived", "InterimReplySent", "LetterIssued", "ApplicationDecided", "LetterIssued",
        "ApplicationAppealed", "AppealResolved", "AppealResolved",
    ]
    first = headers_of(records[0])
    assert first["source"] == "applications" and first["event_version"] == "1"
    assert first["correlation_id"] == correlation_id
    # No name; and no fødselsnummer, as no e-mail or mobile was given (it goes only with them, for KRR).
    assert b"Ola" not in records[0].value and b"29822099635" not in records[0].value


def test_a_volunteer_is_approved_once_interview_attest_and_declaration_are_done_in_any_order(stack, api):
    form = volunteer_form() | {"roles": ["støttekontakt"]}
    application = api("POST", "/volunteer-applications", form, expect=201).json()
    application_id = application["application_id"]
    base = f"/volunteer-applications/{application_id}"

    api("POST", f"{base}/confidentiality-declaration", {})
    refused = api("POST", f"{base}/approval", expect=409).json()
    api("POST", f"{base}/purpose-confirmation")
    api("POST", f"{base}/police-certificate",
        {"kind": "ordinær", "issued_on": (TODAY - timedelta(days=10)).isoformat(), "has_remarks": False})
    api("POST", f"{base}/interview", {"notes": "Motivert.", "assessment": "egnet"})
    approved = api("POST", f"{base}/approval").json()

    assert "politiattest" in refused["detail"] and "intervju" in refused["detail"]
    assert approved["stage"] == "godkjent"
    assert eventually(lambda: [v for v in api("GET", "/volunteer-applications?stage=godkjent").json()
                               if v["application_id"] == application_id])
    records = events_on_kafka(stack.kafka_bootstrap_servers, events_topic("applications"), application_id, 5)
    assert [headers_of(r)["event_type"] for r in records] == [
        "VolunteerApplicationReceived", "ConfidentialityDeclarationSigned", "PoliceCertificateVerified",
        "InterviewCompleted", "VolunteerApproved",
    ]


def test_a_politiattest_with_remarks_waits_for_a_staff_decision(api):
    application_id = api("POST", "/volunteer-applications", volunteer_form(), expect=201).json()["application_id"]
    base = f"/volunteer-applications/{application_id}"
    kind = api("GET", base).json()["required_certificate_kind"]

    with_remarks = api("POST", f"{base}/police-certificate",
                       {"kind": kind, "issued_on": TODAY.isoformat(), "has_remarks": True}).json()
    accepted = api("POST", f"{base}/police-certificate/remarks-decision",
                   {"accepted": True, "reason": "Gammelt forhold uten betydning for oppdraget."}).json()

    assert with_remarks["certificate"]["verified"] is False
    assert accepted["certificate"]["verified"] is True
    assert "text" not in accepted["certificate"]  # the attest's content is never kept


def test_an_old_politiattest_is_refused_saying_why(api):
    application_id = api("POST", "/volunteer-applications", volunteer_form(), expect=201).json()["application_id"]
    kind = api("GET", f"/volunteer-applications/{application_id}").json()["required_certificate_kind"]

    refused = api("POST", f"/volunteer-applications/{application_id}/police-certificate",
                  {"kind": kind, "issued_on": (TODAY - timedelta(days=120)).isoformat(), "has_remarks": False},
                  expect=409).json()

    assert "eldre enn 3 måneder" in refused["detail"]
    assert refused["title"] == "Handlingen er ikke tillatt nå"


def test_illegal_transitions_are_refused_with_409_and_a_reason(api):
    case_id = api("POST", "/service-applications", case_form(), expect=201).json()["application_id"]

    klage = api("POST", f"/service-applications/{case_id}/appeal", {"grounds": "Uenig."}, expect=409).json()
    api("POST", f"/service-applications/{case_id}/withdrawal", {"reason": "Flyttet."})
    decide = api("POST", f"/service-applications/{case_id}/decisions",
                 {"granted": False, "reasons": "Ikke behov."}, expect=409).json()

    assert "ikke noe vedtak" in klage["detail"]
    assert "trukket" in decide["detail"]


def test_invalid_input_is_refused_with_422_naming_the_field(api):
    case_id = api("POST", "/service-applications", case_form(), expect=201).json()["application_id"]

    problem = api("POST", f"/service-applications/{case_id}/decisions",
                  {"granted": True, "scope": 3, "reasons": "Ok."}, expect=422).json()

    assert {error["field"] for error in problem["errors"]} == {"period_from", "period_to"}


def test_roles_compose_barnevern_staff_see_barnevern_cases_saksbehandlere_ordinary_ones_and_both_see_both(
        stack, http, api):
    """A user with only the barnevern role was refused the case list (403): they needed saksbehandler too."""
    barnevern_case = api("POST", "/service-applications", case_form("besøkshjem"), expect=201).json()["application_id"]
    ordinary_case = api("POST", "/service-applications", case_form(), expect=201).json()["application_id"]
    base = stack.services["applications"].url
    ordinary_staff, barnevern_staff = staff_headers(CASEWORKER), staff_headers(BARNEVERN)

    def listed(headers) -> set[str]:
        response = http.get(f"{base}/service-applications", headers=headers)
        assert response.status_code == 200, response.text
        return {case["application_id"] for case in response.json()}

    assert eventually(lambda: {barnevern_case, ordinary_case} <= listed(staff_headers(CASEWORKER, BARNEVERN)))
    assert ordinary_case in listed(ordinary_staff) and barnevern_case not in listed(ordinary_staff)
    assert barnevern_case in listed(barnevern_staff) and ordinary_case not in listed(barnevern_staff)
    # not 403: a case they may not see does not exist for them, so ids cannot be probed
    assert http.get(f"{base}/service-applications/{barnevern_case}", headers=ordinary_staff).status_code == 404
    assert http.get(f"{base}/service-applications/{ordinary_case}", headers=barnevern_staff).status_code == 404
    shown = http.get(f"{base}/service-applications/{barnevern_case}", headers=barnevern_staff)
    assert shown.status_code == 200 and shown.json()["scheme"] == "besøkshjem"
    granted = http.post(f"{base}/service-applications/{barnevern_case}/decisions", headers=barnevern_staff, json={
        "granted": True, "scope": 2, "period_from": TODAY.isoformat(),
        "period_to": (TODAY + timedelta(days=365)).isoformat(), "reasons": "Behov for avlastning."})
    assert granted.status_code == 200 and granted.json()["status"] == "innvilget"


def test_staff_endpoints_need_a_valid_signed_token(stack, http):
    base = stack.services["applications"].url

    missing = http.get(f"{base}/service-applications")
    forged = http.get(f"{base}/service-applications", headers={"Authorization": "Bearer not-a-token"})
    wrong_role = http.get(f"{base}/service-applications", headers=staff_headers(PAYROLL))

    assert missing.status_code == forged.status_code == 401
    assert wrong_role.status_code == 403


def test_a_repeated_command_with_the_same_idempotency_key_runs_once(api):
    application_id = api("POST", "/volunteer-applications", volunteer_form(), expect=201).json()["application_id"]
    interview = {"notes": "Bra.", "assessment": "egnet"}

    first = api("POST", f"/volunteer-applications/{application_id}/interview", interview, {"Idempotency-Key": "i-1"})
    again = api("POST", f"/volunteer-applications/{application_id}/interview", interview, {"Idempotency-Key": "i-1"})
    other = api("POST", f"/volunteer-applications/{application_id}/rejection", {"reasons": "x"},
                {"Idempotency-Key": "i-1"}, expect=422)

    timeline = api("GET", f"/volunteer-applications/{application_id}/timeline").json()
    assert again.json() == first.json()
    assert [entry["event"] for entry in timeline].count("InterviewCompleted") == 1
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"


def test_the_openapi_document_describes_every_status_code_the_api_returns(stack, http):
    document = http.get(f"{stack.services['applications'].url}/openapi.json").json()

    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            if method == "post" and "{" in path:
                assert {"200", "401", "403", "404", "409", "422"} <= codes, (method, path, codes)
            elif method == "post" and path in ("/service-applications", "/volunteer-applications"):
                assert {"201", "200", "422"} <= codes, (method, path, codes)
            elif method == "get" and path.startswith(("/service-applications", "/volunteer-applications")):
                assert {"200", "401", "403"} <= codes, (method, path, codes)


def test_a_case_undecided_a_month_after_receipt_shows_as_overdue_until_an_interim_reply(api):
    received_on = (TODAY - timedelta(days=40)).isoformat()
    case_id = api("POST", "/service-applications", case_form() | {"received_on": received_on},
                  expect=201).json()["application_id"]

    def overdue_ids():
        return {case["application_id"] for case in api("GET", "/service-applications/overdue-interim-replies").json()}

    assert eventually(lambda: case_id in overdue_ids())
    api("POST", f"/service-applications/{case_id}/interim-reply",
        {"reason": "Mange saker.", "expected_decision_by": (TODAY + timedelta(days=14)).isoformat()})
    assert eventually(lambda: case_id not in overdue_ids())


def test_a_receipt_date_in_the_future_is_refused_naming_the_field(api):
    problem = api("POST", "/service-applications",
                  case_form() | {"received_on": (TODAY + timedelta(days=1)).isoformat()}, expect=422).json()

    assert problem["errors"][0]["field"] == "received_on"


def test_a_free_text_wish_about_the_helper_is_refused_naming_the_wish(api):
    problem = api("POST", "/service-applications", case_form() | {"helper_wishes": {"age_from": "25 år"}},
                  expect=422).json()
    unknown = api("POST", "/service-applications", case_form() | {"helper_wishes": {"hårfarge": "brun"}},
                  expect=422).json()
    api("POST", "/service-applications", case_form() | {"helper_wishes": {
        "gender": "Kvinne", "gender_required": True, "age_from": 25, "age_to": 40}}, expect=201)

    assert [error["field"] for error in problem["errors"]] == ["helper_wishes.age_from"]
    assert [error["field"] for error in unknown["errors"]] == ["helper_wishes.hårfarge"]


def test_after_a_vedtak_the_person_ends_the_service_and_a_pending_klage_is_withdrawn_or_kept_explicitly(stack, api):
    """Withdrawal after an innvilget vedtak with a klage pending set the case to "trukket"."""
    case_id = api("POST", "/service-applications", case_form(), expect=201).json()["application_id"]
    api("POST", f"/service-applications/{case_id}/decisions", {
        "granted": True, "scope": 3, "period_from": TODAY.isoformat(),
        "period_to": (TODAY + timedelta(days=365)).isoformat(), "reasons": "Behov for aktivitet."})
    api("POST", f"/service-applications/{case_id}/appeal", {"grounds": "Ønsker flere timer."})

    withdrawn = api("POST", f"/service-applications/{case_id}/withdrawal", {"reason": "Flyttet."}, expect=409).json()
    unsaid = api("POST", f"/service-applications/{case_id}/ending", {"ended_on": TODAY.isoformat()}, expect=422).json()
    too_late = api("POST", f"/service-applications/{case_id}/ending",
                   {"ended_on": (TODAY + timedelta(days=400)).isoformat(), "withdraw_appeal": True}, expect=422).json()
    ended = api("POST", f"/service-applications/{case_id}/ending",
                {"ended_on": TODAY.isoformat(), "reason": "Flyttet.", "withdraw_appeal": True}).json()

    assert "avsluttes" in withdrawn["detail"]
    assert [error["field"] for error in unsaid["errors"]] == ["withdraw_appeal"]
    assert "klage" in unsaid["errors"][0]["message"]
    assert [error["field"] for error in too_late["errors"]] == ["ended_on"]
    assert ended["status"] == "avsluttet" and ended["ended"]["ended_on"] == TODAY.isoformat()
    assert ended["ended"]["appeal_withdrawn"] is True and ended["appeal"]["resolution"] == "trukket"
    listed = eventually(lambda: [c for c in api("GET", "/service-applications?status=avsluttet").json()
                                 if c["application_id"] == case_id])  # once the list's projection has it
    assert listed[0]["ended_on"] == TODAY.isoformat()
    records = events_on_kafka(stack.kafka_bootstrap_servers, events_topic("applications"), case_id, 4)
    assert headers_of(records[-1])["event_type"] == "ServiceEnded"
    timeline = [entry["text"] for entry in api("GET", f"/service-applications/{case_id}/timeline").json()]
    assert timeline[-1].endswith("Klagen er trukket.")


def test_any_attest_kind_is_registered_and_a_barneomsorgsattest_approves_a_støttekontakt(api):
    """A støttekontakt who will serve barnevern cases was refused a barneomsorgsattest (409)."""
    form = volunteer_form() | {"roles": ["støttekontakt"]}
    application_id = api("POST", "/volunteer-applications", form, expect=201).json()["application_id"]
    base = f"/volunteer-applications/{application_id}"

    api("POST", f"{base}/purpose-confirmation", {"kind": "barneomsorgsattest"})
    registered = api("POST", f"{base}/police-certificate", {
        "kind": "barneomsorgsattest", "issued_on": (TODAY - timedelta(days=5)).isoformat(), "has_remarks": False,
    }).json()
    api("POST", f"{base}/interview", {"notes": "Motivert.", "assessment": "egnet"})
    api("POST", f"{base}/confidentiality-declaration", {})
    approved = api("POST", f"{base}/approval").json()

    assert registered["certificate"]["kind"] == "barneomsorgsattest"
    assert approved["stage"] == "godkjent"
    assert approved["certificate_covers"] == ["støttekontakt", "støttekontakt_barnevern"]


def test_the_work_queue_counts_only_the_cases_the_roles_allow_and_agree_with_the_lists(stack, http, api):
    base = stack.services["applications"].url

    def counts(*roles) -> dict:
        response = http.get(f"{base}/summary", headers=staff_headers(*roles))
        assert response.status_code == 200, response.text
        return response.json()

    def overdue(*roles) -> int:
        rows = http.get(f"{base}/service-applications/overdue-interim-replies", headers=staff_headers(*roles)).json()
        return sum(1 for row in rows if row["overdue"])

    late = (TODAY - timedelta(days=40)).isoformat()
    before = {role: counts(role) for role in (CASEWORKER, BARNEVERN)}
    api("POST", "/service-applications", case_form("besøkshjem") | {"received_on": late}, expect=201)
    eventually(lambda: counts(BARNEVERN)["new_cases"] == before[BARNEVERN]["new_cases"] + 1)
    api("POST", "/volunteer-applications", volunteer_form(), expect=201)

    after = {role: eventually(lambda role=role: (lambda now: now if sum(now["volunteers_by_stage"].values())
                                                 > sum(before[role]["volunteers_by_stage"].values()) else None)(
        counts(role))) for role in (CASEWORKER, BARNEVERN)}
    assert after[CASEWORKER]["new_cases"] == before[CASEWORKER]["new_cases"]  # the barnevern case: not counted
    assert after[BARNEVERN]["interim_replies_overdue"] == before[BARNEVERN]["interim_replies_overdue"] + 1
    assert after[CASEWORKER]["interim_replies_overdue"] == before[CASEWORKER]["interim_replies_overdue"]
    for role in (CASEWORKER, BARNEVERN):  # the same numbers the lists give
        listed = http.get(f"{base}/service-applications?status=mottatt", headers=staff_headers(role)).json()
        assert after[role]["new_cases"] == len(listed)
        assert after[role]["interim_replies_overdue"] == overdue(role)
        assert after[role]["volunteers_by_stage"]["venter_på_intervju"] >= 1
    assert http.get(f"{base}/summary", headers=staff_headers(PAYROLL)).status_code == 403


def test_cases_are_named_by_id_for_another_services_list_as_the_roles_allow(stack, http, api):
    base = stack.services["applications"].url
    ordinary = api("POST", "/service-applications", case_form() | {"full_name": "Ola Vanlig"},
                   expect=201).json()["application_id"]
    barnevern = api("POST", "/service-applications", case_form("besøkshjem"), expect=201).json()["application_id"]
    query = f"id={ordinary}&id={barnevern}&id={uuid4()}"

    def named(*roles) -> dict:
        response = http.get(f"{base}/service-applications?{query}", headers=staff_headers(*roles))
        assert response.status_code == 200, response.text
        return {row["application_id"]: row["full_name"] for row in response.json()}

    assert eventually(lambda: named(CASEWORKER, BARNEVERN).keys() == {ordinary, barnevern})
    assert named(CASEWORKER) == {ordinary: "Ola Vanlig"}  # the barnevern case: not named without the role
    assert named(BARNEVERN).keys() == {barnevern}
    too_many = http.get(f"{base}/service-applications?" + "&".join(f"id={uuid4()}" for _ in range(101)),
                        headers=staff_headers(CASEWORKER))
    assert too_many.status_code == 422 and too_many.json()["errors"][0]["field"] == "id"
