"""Need-to-know in the applications service, in memory with real tokens: a barnevern case does not exist
for staff without the barnevern role (404 by id, its timeline and its letters' PDFs too, never 403), an
ordinary case not for barnevern staff alone; a caseworker who opened the case by self-authorisation sees it
by id while the token carries the grant, and no other barnevern case."""

from datetime import date
from types import SimpleNamespace
from uuid import UUID

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from brobygger_applications import application as applications_application
from brobygger_applications.api import cases
from brobygger_applications.application import ApplicationsApplication, NewServiceApplication
from brobygger_applications.domain import NewDecision
from brobygger_applications.main import ApplicationsSettings
from brobygger_dev.inmemory import in_memory
from brobygger_shared.auth import BARNEVERN, CASEWORKER, issue_token
from brobygger_shared.identity import synthetic_identity_number
from brobygger_shared.problems import install_problem_handlers
from brobygger_shared.settings import DEV_AUTH_PRIVATE_KEY, DEV_AUTH_PUBLIC_KEY

CHILD_BORN = date(2014, 6, 9)


def as_staff(*roles: str, cases_opened: tuple[UUID, ...] = ()) -> dict:
    token = issue_token(DEV_AUTH_PRIVATE_KEY, "ansatt", list(roles), "Sara", cases=[str(c) for c in cases_opened])
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def service(monkeypatch) -> tuple[TestClient, ApplicationsApplication]:
    monkeypatch.setattr(applications_application, "render_letter", lambda case, kind, *_: b"%PDF-1.7 " + kind.encode())
    application = in_memory(ApplicationsApplication, ApplicationsSettings())
    api = FastAPI()
    api.include_router(cases.router)
    install_problem_handlers(api)
    api.state.application = application
    api.state.runtime = SimpleNamespace(settings=SimpleNamespace(auth_public_key=DEV_AUTH_PUBLIC_KEY, auth_role_keys={}))
    return TestClient(api), application


def decided_case(application: ApplicationsApplication, scheme: str) -> UUID:
    case, _ = application.receive_service_application(NewServiceApplication(
        national_id=synthetic_identity_number(CHILD_BORN), full_name="Ola Testesen", birth_date=CHILD_BORN,
        address="Testveien 1", area="Nord", scheme=scheme, needs="Avlastning.", interests=[], wished_activities=[],
        helper_wishes={}, carers=[], scope_asked=2), date(2026, 1, 5))
    application.decide(case.id, NewDecision(False), "Ikke behov.", "sara", "Sara", date(2026, 2, 10))
    return case.id


def answers(client: TestClient, case_id: UUID, headers: dict) -> list[int]:
    return [client.get(path, headers=headers).status_code for path in (
        f"/service-applications/{case_id}", f"/service-applications/{case_id}/timeline",
        f"/service-applications/{case_id}/letters/1.pdf")]


def test_a_barnevern_case_does_not_exist_for_staff_without_the_role_by_id_timeline_or_pdf(service):
    client, application = service
    barnevern, ordinary = decided_case(application, "besøkshjem"), decided_case(application, "støttekontakt")

    assert answers(client, barnevern, as_staff(CASEWORKER)) == [404, 404, 404]
    assert answers(client, ordinary, as_staff(BARNEVERN)) == [404, 404, 404]
    assert answers(client, barnevern, as_staff(BARNEVERN)) == [200, 200, 200]
    assert answers(client, ordinary, as_staff(CASEWORKER)) == [200, 200, 200]
    unknown = client.get(f"/service-applications/{UUID(int=7)}", headers=as_staff(CASEWORKER))
    hidden = client.get(f"/service-applications/{barnevern}", headers=as_staff(CASEWORKER))
    assert hidden.status_code == unknown.status_code == 404  # the same answer as an id that does not exist
    assert "barnevern" not in hidden.text  # nothing tells that the id is a barnevern case


def test_a_case_opened_by_self_authorisation_is_seen_by_id_and_no_other_barnevern_case(service):
    client, application = service
    opened, other = decided_case(application, "besøkshjem"), decided_case(application, "støttekontakt_barnevern")
    sara = as_staff(CASEWORKER, cases_opened=(opened,))

    assert answers(client, opened, sara) == [200, 200, 200]
    assert client.get(f"/service-applications/{opened}", headers=sara).json()["scheme"] == "besøkshjem"
    assert answers(client, other, sara) == [404, 404, 404]
