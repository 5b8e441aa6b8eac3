"""What both routers of the applications service share: the application dependency, the staff role,
idempotent creation, the person every søknad names, and the mapping of a missing aggregate to 404."""

from datetime import date
from typing import Annotated, Any
from uuid import UUID, uuid5

from fastapi import Depends, Header, Request
from pydantic import BeforeValidator, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from brobygger_applications.application import ApplicationsApplication, NotFound
from brobygger_shared.auth import AUTH_RESPONSES, Principal, command_responses, current_principal
from brobygger_shared.case_access import CaseAccess, Staff
from brobygger_shared.identity import InvalidIdentityNumber, parse_identity_number
from brobygger_shared.inputs import NAME_MAX_LENGTH, BirthDate, Email, Input, Line, Mobile
from brobygger_shared.problems import PROBLEM_RESPONSES, Problem
from brobygger_shared.wishes import Gender

IDEMPOTENCY_NAMESPACE = UUID("6f1c1d0e-4c55-4f0a-9b8e-0c1a2b3c4d5e")

Caseworker = Staff  # saksbehandler or barnevern; which cases each may see is checked case by case


def volunteer_intake(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    """Who may hand in an application to become an oppdragstaker: staff registering one (saksbehandler,
    barnevern) or a person signed in to the portal (innbygger), for themselves."""
    if not (CaseAccess(principal).any or principal.is_citizen):
        raise Problem(403, "Du har ikke tilgang til dette.")
    return principal


VolunteerIntake = Annotated[Principal, Depends(volunteer_intake)]
IdempotencyKey = Annotated[str | None, Header(max_length=200, description="Repeat a command safely")]

COMMAND_RESPONSES = command_responses(
    "Fant ikke saken", "Handlingen er ikke tillatt i sakens nåværende tilstand"
)
CREATE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "Samme Idempotency-Key er brukt før: det første svaret"},
    **AUTH_RESPONSES,
    **PROBLEM_RESPONSES,
}


def application(request: Request) -> ApplicationsApplication:
    return request.app.state.application


App = Annotated[ApplicationsApplication, Depends(application)]


def created_id(idempotency_key: str | None, kind: str) -> UUID | None:
    return uuid5(IDEMPOTENCY_NAMESPACE, f"{kind}:{idempotency_key}") if idempotency_key else None


class PersonIn(Input):
    """Who applies: the birth date must agree with the identity number's date part. E-mail and mobile
    are optional: notices go there (published in their own event fields, for notifications alone)."""

    national_id: Line(20) = Field(description="Fødselsnummer or D-nummer, 11 digits")
    full_name: Line(NAME_MAX_LENGTH, min_length=1)
    birth_date: BirthDate
    email: Email | None = Field(default=None, description="For notices by e-mail; leave out for none")
    mobile: Mobile | None = Field(default=None, description="For notices by SMS; leave out for none")

    @field_validator("national_id")
    @classmethod
    def valid_identity_number(cls, value: str) -> str:
        try:
            return parse_identity_number(value).value
        except InvalidIdentityNumber as error:
            raise PydanticCustomError("identity_number", str(error)) from None

    @field_validator("birth_date")
    @classmethod
    def agrees_with_identity_number(cls, value: date, info: ValidationInfo) -> date:
        national_id = info.data.get("national_id")
        if national_id is not None and not parse_identity_number(national_id).agrees_with(value):
            raise PydanticCustomError("birth_date_mismatch",
                                      "Fødselsdatoen stemmer ikke med datoen i fødselsnummeret.")
        return value


def run(command):
    """Run a command on the application; map its failures to the HTTP answers a caseworker reads."""
    try:
        return command()
    except NotFound:
        raise Problem(404, "Fant ingen sak med denne id-en.") from None


GenderIn = Annotated[Gender, BeforeValidator(lambda value: value.strip().lower() if isinstance(value, str) else value)]
