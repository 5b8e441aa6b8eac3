"""Need-to-know in the matching service, in memory with real tokens: a proposal for a barnevern case does
not exist for staff without the barnevern role (GET /matches/{id} is a 404, like an unknown id, and so is
answering it), while barnevern staff, or a caseworker who opened the case by self-authorisation, see it."""

from datetime import date
from types import SimpleNamespace
from uuid import UUID

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from brobygger_matching.api import router
from brobygger_matching.application import MatchingApplication
from brobygger_matching.domain import Candidate, WaitingCase
from brobygger_matching.main import MatchingSettings
from brobygger_dev.inmemory import in_memory
from brobygger_shared.auth import BARNEVERN, CASEWORKER, issue_token
from brobygger_shared.problems import install_problem_handlers
from brobygger_shared.settings import DEV_AUTH_PRIVATE_KEY, DEV_AUTH_PUBLIC_KEY

TODAY = date(2026, 11, 26)
CASE = UUID(int=1001)


def as_staff(*roles: str, cases_opened: tuple[UUID, ...] = ()) -> dict:
    token = issue_token(DEV_AUTH_PRIVATE_KEY, "ansatt", list(roles), "Sara", cases=[str(c) for c in cases_opened])
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def service() -> tuple[TestClient, MatchingApplication]:
    application = in_memory(MatchingApplication, MatchingSettings())
    api = FastAPI()
    api.include_router(router)
    install_problem_handlers(api)
    api.state.application = application
    api.state.runtime = SimpleNamespace(settings=SimpleNamespace(auth_public_key=DEV_AUTH_PUBLIC_KEY, auth_role_keys={}))
    return TestClient(api), application


def test_a_barnevern_cases_proposal_is_a_404_for_staff_without_the_role(service):
    client, application = service
    kari = Candidate(volunteer_id=UUID(int=1), full_name="Kari", roles=frozenset({"støttekontakt"}),
                     interests=frozenset(), languages=frozenset(), gender=None, birth_date=date(1990, 5, 1),
                     area="Nord", has_car=False, has_spare_bedroom=False, certificate_kind="barneomsorgsattest",
                     certificate_valid=True, assignments=0)
    case = WaitingCase(application_id=CASE, scheme="støttekontakt_barnevern", area="Nord", interests=frozenset(),
                       birth_date=date(2014, 6, 9), waiting_since=date(2026, 10, 1), scope=4.0,
                       scope_unit="timer_per_uke", period_from=date(2027, 1, 1), period_to=date(2027, 12, 31))
    match = application.propose(case, kari.volunteer_id, [kari], "bv", TODAY)

    hidden = client.get(f"/matches/{match.id}", headers=as_staff(CASEWORKER))
    unknown = client.get(f"/matches/{UUID(int=9)}", headers=as_staff(CASEWORKER))
    assert hidden.status_code == unknown.status_code == 404
    assert client.post(f"/matches/{match.id}/decline", headers=as_staff(CASEWORKER),
                       json={"party": "oppdragstaker", "reason": "Nei."}).status_code == 404
    assert client.get(f"/matches/{match.id}", headers=as_staff(BARNEVERN)).json()["scheme"] == "støttekontakt_barnevern"
    assert client.get(f"/matches/{match.id}", headers=as_staff(CASEWORKER, cases_opened=(CASE,))).status_code == 200
    assert application.match(match.id).status == "foreslått"  # the refused decline changed nothing
