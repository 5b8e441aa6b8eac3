"""The portal's routes of the applications service, in memory with real tokens: a citizen applies for
their child (the birth date from the number), follows only their own cases (404 for anyone else's),
reads the vedtak as text, and sends a klage while the deadline runs."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from brobygger_applications.api import citizen
from brobygger_applications.application import ApplicationsApplication
from brobygger_applications.domain import NewDecision
from brobygger_applications.main import ApplicationsSettings
from brobygger_dev.inmemory import in_memory
from brobygger_shared.auth import CASEWORKER, INNBYGGER, issue_token
from brobygger_shared.identity import synthetic_identity_number
from brobygger_shared.problems import install_problem_handlers
from brobygger_shared.settings import DEV_AUTH_PRIVATE_KEY, DEV_AUTH_PUBLIC_KEY

KARI = synthetic_identity_number(date(1985, 3, 14))
NORA = synthetic_identity_number(date(2016, 5, 2))
ARNE = synthetic_identity_number(date(1990, 7, 21))


def as_person(pid: str, name: str) -> dict:
    return {"Authorization": f"Bearer {issue_token(DEV_AUTH_PRIVATE_KEY, 'pseudo-' + pid, [INNBYGGER], name, pid=pid)}"}


@pytest.fixture
def service() -> tuple[TestClient, ApplicationsApplication]:
    application = in_memory(ApplicationsApplication, ApplicationsSettings())
    api = FastAPI()
    api.include_router(citizen.router)
    install_problem_handlers(api)
    api.state.application = application
    api.state.runtime = SimpleNamespace(settings=SimpleNamespace(auth_public_key=DEV_AUTH_PUBLIC_KEY, auth_role_keys={}))
    return TestClient(api), application


FORM = {"applies_for": "barn", "child_national_id": NORA, "child_full_name": "Nora Forelder", "scheme": "støttekontakt",
        "address": "Testveien 1, 0001 Oslo", "area": "Sentrum", "needs": "Nora trenger noen å gå på fotball med."}


def test_a_parent_applies_for_the_child_and_only_they_and_the_child_see_the_case(service):
    client, application = service
    receipt = client.post("/citizen/service-applications", json=FORM, headers=as_person(KARI, "Kari Forelder"))
    assert receipt.status_code == 201, receipt.text
    assert receipt.json()["case_number"].startswith(f"{date.today().year}/")
    case = application.case(receipt.json()["application_id"])
    assert (case.national_id, case.birth_date, case.full_name) == (NORA, date(2016, 5, 2), "Nora Forelder")
    assert case.applicant_national_id == KARI

    own = client.get(f"/citizen/service-applications/{case.id}", headers=as_person(KARI, "Kari Forelder"))
    assert own.status_code == 200 and own.json()["case_number"] == case.case_number
    assert client.get(f"/citizen/service-applications/{case.id}", headers=as_person(NORA, "Nora")).status_code == 200

    other = client.get(f"/citizen/service-applications/{case.id}", headers=as_person(ARNE, "Arne Innbygger"))
    assert other.status_code == 404 and "Nora" not in other.text and case.case_number not in other.text
    klage = client.post(f"/citizen/service-applications/{case.id}/appeal", json={"grounds": "Nei."},
                        headers=as_person(ARNE, "Arne Innbygger"))
    assert klage.status_code == 404


def test_staff_tokens_are_not_citizens(service):
    client, _ = service
    staff = {"Authorization": f"Bearer {issue_token(DEV_AUTH_PRIVATE_KEY, 'sara', [CASEWORKER], pid=KARI)}"}
    assert client.post("/citizen/service-applications", json=FORM, headers=staff).status_code == 403


@pytest.mark.parametrize(("change", "field"), [
    ({"child_national_id": "12345678901"}, "child_national_id"),
    ({"child_national_id": KARI}, "child_national_id"),  # one's own number
    ({"child_national_id": synthetic_identity_number(date(2000, 1, 1))}, "child_national_id"),  # an adult
    ({"child_full_name": None}, "child_full_name"),
    ({"needs": ""}, "needs"),
    ({"scheme": "besøkshjem"}, "scheme"),
])
def test_bad_input_is_a_422_naming_the_field(service, change, field):
    client, _ = service
    answer = client.post("/citizen/service-applications", json=FORM | change, headers=as_person(KARI, "Kari"))
    assert answer.status_code == 422
    assert field in [error["field"] for error in answer.json()["errors"]], answer.json()


def test_an_adult_applies_for_themselves_with_the_name_and_number_of_the_sign_in(service):
    client, application = service
    receipt = client.post("/citizen/service-applications", headers=as_person(ARNE, "Arne Innbygger"), json={
        "applies_for": "meg", "scheme": "privat_avlastning", "address": "Vei 2", "area": "Nord", "needs": "Avlastning."})
    assert receipt.status_code == 201, receipt.text
    case = application.case(receipt.json()["application_id"])
    assert (case.national_id, case.full_name, case.birth_date) == (ARNE, "Arne Innbygger", date(1990, 7, 21))
    assert case.applicant_national_id is None


def test_the_vedtak_reads_as_text_and_a_klage_is_registered(service):
    client, application = service
    kari = as_person(KARI, "Kari Forelder")
    case_id = client.post("/citizen/service-applications", json=FORM, headers=kari).json()["application_id"]
    assert client.get(f"/citizen/service-applications/{case_id}", headers=kari).json()["may_appeal"] is False
    today = date.today()
    application.decide(case_id, NewDecision(True, 4, today, today + timedelta(days=300)), "Behov for aktivitet.",
                       "sara", "Sara Saksbehandler", today)
    case = client.get(f"/citizen/service-applications/{case_id}", headers=kari).json()
    assert case["status"] == "innvilget" and case["may_appeal"] is True
    letter = case["letters"][0]
    assert letter["kind"] == "vedtak"
    text = " ".join(next(iter(block.values())) for block in letter["blocks"])
    assert "Behov for aktivitet." in text and "klage" in text.lower()

    klage = client.post(f"/citizen/service-applications/{case_id}/appeal", json={"grounds": "Vi trenger flere timer."},
                        headers=kari)
    assert klage.status_code == 200, klage.text
    after = client.get(f"/citizen/service-applications/{case_id}", headers=kari).json()
    assert after["status"] == "klage_til_behandling" and after["appeal"]["late"] is False and after["may_appeal"] is False


def test_without_a_name_from_the_sign_in_the_person_writes_it(service):
    client, application = service
    form = {"applies_for": "meg", "scheme": "støttekontakt", "address": "Vei 2", "area": "Nord", "needs": "Følge."}
    nameless = as_person(ARNE, "")
    missing = client.post("/citizen/service-applications", json=form, headers=nameless)
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "full_name"
    receipt = client.post("/citizen/service-applications", json=form | {"full_name": "Arne Innbygger"}, headers=nameless)
    assert application.case(receipt.json()["application_id"]).full_name == "Arne Innbygger"
