"""What a user reads when a request fails: problem+json with a Norwegian title and a detail."""

import httpx
from eventsourcing.persistence import IntegrityError
from datetime import date
from enum import StrEnum
from uuid import UUID

from fastapi import FastAPI
from pydantic import BaseModel, Field, field_validator

from brobygger_shared.problems import install_problem_handlers
from brobygger_shared.rules import RuleViolation

app = FastAPI()
install_problem_handlers(app)


class Form(BaseModel):
    hours: float = Field(gt=0)


class Status(StrEnum):
    OPEN = "åpen"
    CLOSED = "lukket"


class Case(BaseModel):
    full_name: str = Field(min_length=1)
    birth_date: date
    application_id: UUID
    status: Status
    needs: str

    @field_validator("needs")
    @classmethod
    def not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("Beskriv behovet.")
        return value


@app.post("/rule")
def broken_rule() -> None:
    raise RuleViolation("Timelisten er allerede godkjent.")


@app.post("/conflict")
def concurrent_change() -> None:
    raise IntegrityError("duplicate key value violates unique constraint")


@app.post("/form")
def form(body: Form) -> None:
    return None


@app.post("/case")
def case(body: Case) -> None:
    return None


@app.get("/cases")
def cases(status: Status | None = None) -> None:
    return None


async def post(path: str, **kwargs) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        return await client.post(path, **kwargs)


async def test_a_broken_rule_is_409_with_the_domain_s_own_words():
    response = await post("/rule")

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "Timelisten er allerede godkjent."


async def test_a_change_that_lost_the_race_to_another_is_409_asking_to_reload():
    response = await post("/conflict")

    assert response.status_code == 409
    assert "Noen andre endret dette samtidig" in response.json()["detail"]


async def test_invalid_input_is_422_naming_the_field():
    response = await post("/form", json={"hours": -1})

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["hours"]


async def test_pydantic_s_messages_are_in_norwegian_naming_the_field_in_words():
    response = await post("/case", json={"full_name": "", "birth_date": "i går", "application_id": "tull",
                                         "status": "tull", "needs": " "})
    problem = response.json()
    messages = {error["field"]: error["message"] for error in problem["errors"]}

    assert problem["detail"] == "Sjekk feltene: navn, fødselsdato, sak, status, behov."
    assert messages == {
        "full_name": "Navn: Må ha minst 1 tegn.",
        "birth_date": "Fødselsdato: Må være en dato på formen ÅÅÅÅ-MM-DD.",
        "application_id": "Sak: Må være en id på formen 8-4-4-4-12 heksadesimale tegn.",
        "status": "Status: Må være én av: «åpen» eller «lukket».",
        "needs": "Behov: Beskriv behovet.",
    }


async def test_a_filter_value_that_does_not_exist_is_422_naming_the_allowed_values():
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        response = await client.get("/cases", params={"status": "tull"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "Status: Må være én av: «åpen» eller «lukket»."
