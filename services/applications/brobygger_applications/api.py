"""HTTP routes of the applications service: parse, call the application, map errors."""

from datetime import date
from typing import Annotated
from uuid import UUID, uuid5

import asyncpg
from eventsourcing.application import AggregateNotFoundError
from fastapi import APIRouter, Depends, Header, Request, Response, status
from pydantic import BaseModel, Field, field_validator

from brobygger_applications.application import ApplicationsApplication, NewVolunteerApplication
from brobygger_applications.domain import ApplicantTooOld, ApplicantTooYoung, Role
from brobygger_applications.projections import list_volunteer_applications
from brobygger_shared.identity import InvalidIdentityNumber, parse_identity_number
from brobygger_shared.problems import PROBLEM_RESPONSES, Problem
from brobygger_shared.service import read_connection

router = APIRouter(tags=["oppdragstakere"])

IDEMPOTENCY_NAMESPACE = UUID("6f1c1d0e-4c55-4f0a-9b8e-0c1a2b3c4d5e")


def application(request: Request) -> ApplicationsApplication:
    return request.app.state.application


class VolunteerApplicationIn(BaseModel):
    national_id: str = Field(description="Fødselsnummer or D-nummer, 11 digits")
    full_name: str = Field(min_length=1, max_length=200)
    birth_date: date
    roles: list[Role] = Field(min_length=1)
    area: str = Field(min_length=1, description="Bydel or area in the kommune")
    interests: list[str] = []
    languages: list[str] = []
    has_driving_licence: bool = False
    has_car: bool = False
    has_spare_bedroom: bool = False
    commitment_acknowledged: bool = Field(description="Bekrefter at oppdraget varer minst ett år")

    @field_validator("national_id")
    @classmethod
    def valid_identity_number(cls, value: str) -> str:
        try:
            return parse_identity_number(value).value
        except InvalidIdentityNumber as error:
            raise ValueError(str(error)) from None

    @field_validator("commitment_acknowledged")
    @classmethod
    def commitment_required(cls, value: bool) -> bool:
        if not value:
            raise ValueError("Søkeren må bekrefte at oppdraget varer minst ett år.")
        return value


class VolunteerApplicationOut(BaseModel):
    application_id: UUID
    volunteer_id: UUID
    full_name: str
    roles: list[str]
    area: str


@router.post(
    "/volunteer-applications",
    status_code=status.HTTP_201_CREATED,
    response_model=VolunteerApplicationOut,
    summary="Receive an application to become støttekontakt, avlaster or besøkshjem",
    responses={200: {"description": "The same Idempotency-Key was used before: the first result"}, **PROBLEM_RESPONSES},
)
def receive_volunteer_application(
    body: VolunteerApplicationIn,
    response: Response,
    app: Annotated[ApplicationsApplication, Depends(application)],
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> VolunteerApplicationOut:
    application_id = uuid5(IDEMPOTENCY_NAMESPACE, idempotency_key) if idempotency_key else None
    try:
        received, created = app.receive_volunteer_application(
            NewVolunteerApplication(**body.model_dump()), date.today(), application_id
        )
    except (ApplicantTooYoung, ApplicantTooOld) as error:
        raise Problem(422, str(error), errors=[{"field": "birth_date", "message": str(error)}]) from None
    if not created:
        response.status_code = status.HTTP_200_OK
    return _out(received)


@router.get("/volunteer-applications/{application_id}", response_model=VolunteerApplicationOut,
            responses={404: {"description": "No such application"}})
def get_volunteer_application(
    application_id: UUID, app: Annotated[ApplicationsApplication, Depends(application)]
) -> VolunteerApplicationOut:
    try:
        return _out(app.volunteer_application(application_id))
    except AggregateNotFoundError:
        raise Problem(404, "Fant ingen søknad med denne id-en.") from None


@router.get("/volunteer-applications", summary="Volunteer applications, oldest first")
async def get_volunteer_applications(
    connection: Annotated[asyncpg.Connection, Depends(read_connection)],
) -> list[dict]:
    return await list_volunteer_applications(connection)


def _out(received) -> VolunteerApplicationOut:
    return VolunteerApplicationOut(
        application_id=received.id,
        volunteer_id=received.volunteer_id,
        full_name=received.full_name,
        roles=received.roles,
        area=received.area,
    )
