"""Routes for a person signed in to the portal (role `innbygger`, their identity number as the token's
`pid`): apply for støttekontakt or privat avlastning for oneself or one's child, follow one's own
cases (status, foreløpig svar and vedtak as text, the timeline) and send a klage. A case is the
person's when it is about them or they applied for it (a parent for their child); any other case id,
like one that does not exist, is answered 404."""

from datetime import date, timedelta
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Response, status
from pydantic import BaseModel, Field, field_validator
from pydantic_core import PydanticCustomError

from brobygger_applications import projections
from brobygger_applications.api.common import COMMAND_RESPONSES, CREATE_RESPONSES, App, IdempotencyKey, created_id
from brobygger_applications.application import ApplicationsApplication, NewServiceApplication, NotFound
from brobygger_applications.domain import APPEAL_RULES, CaseStatus, Scheme, ServiceApplication
from brobygger_shared.access_log import reading_of
from brobygger_shared.auth import AUTH_RESPONSES, Principal, current_principal
from brobygger_shared.calendar import age_on
from brobygger_shared.identity import InvalidIdentityNumber, birth_date_of, parse_identity_number
from brobygger_shared.inputs import Input, Line, Paragraphs, Words
from brobygger_shared.problems import Problem
from brobygger_shared.service import ReadConnection

router = APIRouter(prefix="/citizen", tags=["selvbetjening"])

NOT_FOUND = "Fant ingen sak med denne id-en."


def citizen(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    if not principal.is_citizen:
        raise Problem(403, "Bare for innloggede innbyggere.")
    return principal


Citizen = Annotated[Principal, Depends(citizen)]


class CitizenApplicationIn(Input):
    """A søknad from the portal. The applicant is the signed-in person; for a child the child's identity
    number and name are given, and the birth date is always taken from the identity number."""

    applies_for: Literal["meg", "barn"]
    child_national_id: Line(20) | None = Field(default=None, description="For a child: the child's identity number")
    child_full_name: Line(200) | None = None
    full_name: Line(200) | None = Field(default=None, description="The applicant's own name, where the sign-in "
                                                                  "gave none (ID-porten itself gives no name)")
    scheme: Literal["støttekontakt", "privat_avlastning"]
    address: Line(300, min_length=1)
    area: Line(100, min_length=1)
    needs: Paragraphs(min_length=1)
    interests: Words = []
    email: Line(200) | None = None
    mobile: Line(20) | None = None

    @field_validator("child_national_id")
    @classmethod
    def valid_identity_number(cls, value: str | None) -> str | None:
        if not value:
            return None
        try:
            return parse_identity_number(value).value
        except InvalidIdentityNumber as error:
            raise PydanticCustomError("identity_number", str(error)) from None


class CitizenReceiptOut(BaseModel):
    application_id: UUID
    case_number: str | None
    scheme: str
    full_name: str
    interim_reply_due_on: date


def _field_error(field: str, message: str) -> Problem:
    return Problem(422, "Sjekk feltene: " + field, errors=[{"field": field, "message": message, "type": "value_error"}])


@router.post("/service-applications", status_code=201, response_model=CitizenReceiptOut,
             responses=CREATE_RESPONSES, summary="Apply in the portal for oneself or one's child")
def apply(body: CitizenApplicationIn, person: Citizen, response: Response, app: App,
          idempotency_key: IdempotencyKey = None) -> CitizenReceiptOut:
    today = date.today()
    for_child = body.applies_for == "barn"
    if for_child and not body.child_national_id:
        raise _field_error("child_national_id", "Skriv barnets fødselsnummer.")
    if for_child and not body.child_full_name:
        raise _field_error("child_full_name", "Skriv barnets navn.")
    own_name = person.name or body.full_name or ""
    if not for_child and not own_name:
        raise _field_error("full_name", "Skriv navnet ditt.")
    national_id = body.child_national_id if for_child else person.pid
    if for_child and national_id == person.pid:
        raise _field_error("child_national_id", "Dette er ditt eget fødselsnummer. Skriv barnets.")
    try:
        birth_date = birth_date_of(parse_identity_number(national_id), today)
    except InvalidIdentityNumber as error:
        raise _field_error("child_national_id" if for_child else "national_id", str(error)) from None
    if for_child and age_on(birth_date, today) >= 18:
        raise _field_error("child_national_id", "Barnet er 18 år eller eldre og må søke selv.")
    form = NewServiceApplication(
        national_id=national_id, full_name=body.child_full_name if for_child else own_name,
        birth_date=birth_date, address=body.address, area=body.area, scheme=Scheme(body.scheme), needs=body.needs,
        interests=body.interests, wished_activities=[], helper_wishes={},
        carers=[{"navn": own_name or "ikke oppgitt", "relasjon": "forelder (søkte selv)"}] if for_child else [],
        scope_asked=None, email=body.email or None, mobile=body.mobile or None,
        applicant_national_id=person.pid if for_child else None,
    )
    case, created = app.receive_service_application(form, today, created_id(idempotency_key, f"citizen-case:{person.pid}"))
    if not created:
        response.status_code = status.HTTP_200_OK
    return CitizenReceiptOut(application_id=case.id, case_number=case.case_number, scheme=case.scheme,
                             full_name=case.full_name, interim_reply_due_on=case.interim_reply_due_on)


@router.get("/service-applications", responses=AUTH_RESPONSES, summary="The signed-in person's own cases, newest first")
async def my_cases(person: Citizen, connection: ReadConnection, read: reading_of("own cases")) -> list[dict]:
    rows = await projections.cases_of_person(connection, person.pid)
    await read.record(row["application_id"] for row in rows)
    return [{key: row[key] for key in ("application_id", "case_number", "full_name", "scheme", "status",
                                       "received_on", "decided_on")} for row in rows]


def _own_case(app: ApplicationsApplication, case_id: UUID, person: Principal) -> ServiceApplication:
    try:
        case = app.case(case_id)
    except NotFound:
        raise Problem(404, NOT_FOUND) from None
    if not case.belongs_to(person.pid):
        raise Problem(404, NOT_FOUND)  # another person's case does not exist for this one
    return case


def _appeal_deadline(case: ServiceApplication) -> date | None:
    if not case.decisions or case.decisions[-1].get("final"):
        return None
    return case.decisions[-1]["decided_on"] + timedelta(weeks=APPEAL_RULES[case.scheme].weeks)


@router.get("/service-applications/{case_id}", responses=COMMAND_RESPONSES,
            summary="One of the person's own cases: status, decisions, klage, and each letter as text")
def my_case(case_id: UUID, person: Citizen, app: App, _: reading_of("own case", "case_id")) -> dict:
    case = _own_case(app, case_id, person)
    letters = []
    for letter in case.letters:
        _, blocks = app.letter_text(case_id, letter["number"])
        letters.append({"number": letter["number"], "kind": str(letter["kind"]), "issued_on": letter["issued_on"],
                        "blocks": blocks})
    deadline = _appeal_deadline(case)
    may_appeal = case.status in (CaseStatus.GRANTED, CaseStatus.REFUSED) and deadline is not None
    return {
        "application_id": case.id, "case_number": case.case_number, "full_name": case.full_name,
        "scheme": str(case.scheme), "status": str(case.status), "received_on": case.received_on,
        "interim_reply_due_on": case.interim_reply_due_on, "interim_reply": case.interim_reply,
        "decisions": [{"granted": d["granted"], "decided_on": d["decided_on"]} for d in case.decisions],
        "appeal": ({"received_on": case.appeal["received_on"], "late": case.appeal["late"],
                    "deadline": case.appeal["deadline"]} if case.appeal else None),
        "appeal_deadline": deadline,
        "may_appeal": may_appeal and date.today() <= deadline,
        "letters": letters,
    }


class CitizenAppealIn(Input):
    grounds: Paragraphs(min_length=1)


@router.post("/service-applications/{case_id}/appeal", responses=COMMAND_RESPONSES,
             summary="Send a klage on the vedtak of one's own case (received today; a late one is marked late)")
def my_appeal(case_id: UUID, body: CitizenAppealIn, person: Citizen, app: App,
              idempotency_key: IdempotencyKey = None) -> dict:
    case = _own_case(app, case_id, person)
    if case.appeal and case.status in (CaseStatus.APPEALED, CaseStatus.AT_STATSFORVALTEREN) and idempotency_key:
        return {"application_id": case.id, "status": str(case.status)}  # the same klage sent twice
    today = date.today()
    changed = app.register_appeal(case_id, body.grounds, today, today)
    return {"application_id": changed.id, "status": str(changed.status)}



@router.get("/volunteer", responses={**AUTH_RESPONSES,
                                     404: {"description": "The person has not applied to become an oppdragstaker"}},
            summary="The signed-in person as an oppdragstaker: their volunteer id (the approved application's)")
async def my_volunteer(person: Citizen, connection: ReadConnection, read: reading_of("own volunteer id")) -> dict:
    found = await projections.volunteer_of_person(connection, person.pid)
    if found is None:
        raise Problem(404, "Du er ikke registrert som oppdragstaker.")
    await read.record([found["volunteer_id"]])
    return found
