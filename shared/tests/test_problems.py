"""What a user reads when a request fails: problem+json with a Norwegian title and a detail."""

import httpx
from eventsourcing.persistence import IntegrityError
from fastapi import FastAPI
from pydantic import BaseModel, Field

from brobygger_shared.problems import install_problem_handlers
from brobygger_shared.rules import RuleViolation

app = FastAPI()
install_problem_handlers(app)


class Form(BaseModel):
    hours: float = Field(gt=0)


@app.post("/rule")
def broken_rule() -> None:
    raise RuleViolation("Timelisten er allerede godkjent.")


@app.post("/conflict")
def concurrent_change() -> None:
    raise IntegrityError("duplicate key value violates unique constraint")


@app.post("/form")
def form(body: Form) -> None:
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
