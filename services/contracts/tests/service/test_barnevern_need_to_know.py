"""Need-to-know in the contracts service, in memory with real tokens: a barnevern case's contract does
not exist for staff without the barnevern role, by id and as PDF (404, the answer for an unknown id),
while barnevern staff, or a caseworker who opened the case by self-authorisation, reach it."""

from types import SimpleNamespace
from uuid import UUID

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from brobygger_contracts.api import router
from brobygger_shared.auth import BARNEVERN, CASEWORKER, issue_token
from brobygger_shared.problems import install_problem_handlers
from brobygger_shared.service import read_connection
from brobygger_shared.settings import DEV_AUTH_PRIVATE_KEY, DEV_AUTH_PUBLIC_KEY

from .test_contract_seams import app, drafted, volunteer_matched  # noqa: F401


class _NoVedtak:
    async def fetchrow(self, *args):
        return None


async def _no_database():
    yield _NoVedtak()


def as_staff(*roles: str, cases_opened: tuple[UUID, ...] = ()) -> dict:
    token = issue_token(DEV_AUTH_PRIVATE_KEY, "ansatt", list(roles), "Sara", cases=[str(c) for c in cases_opened])
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def client(app) -> TestClient:  # noqa: F811
    api = FastAPI()
    api.include_router(router)
    install_problem_handlers(api)
    api.state.application = app
    api.state.runtime = SimpleNamespace(settings=SimpleNamespace(auth_public_key=DEV_AUTH_PUBLIC_KEY, auth_role_keys={}))
    api.dependency_overrides[read_connection] = _no_database
    return TestClient(api)


def test_a_barnevern_contract_is_not_there_for_staff_without_the_role_by_id_or_as_pdf(app, client):  # noqa: F811
    matched = volunteer_matched()
    contract = drafted(app, matched.model_copy(update={"scheme": "støttekontakt_barnevern"}))

    def answers(headers) -> list[int]:
        return [client.get(f"/contracts/{contract.id}", headers=headers).status_code,
                client.get(f"/contracts/{contract.id}/document.pdf", headers=headers).status_code]

    assert answers(as_staff(CASEWORKER)) == [404, 404]
    assert client.get(f"/contracts/{UUID(int=9)}", headers=as_staff(CASEWORKER)).status_code == 404  # alike
    assert answers(as_staff(BARNEVERN)) == [200, 409]  # there; its PDF once both have signed
    assert answers(as_staff(CASEWORKER, cases_opened=(contract.application_id,))) == [200, 409]
    assert answers(as_staff(CASEWORKER, cases_opened=(UUID(int=5),))) == [404, 404]
