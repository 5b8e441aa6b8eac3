"""Routes of becoming an oppdragstaker (application, interview, politiattest, taushetserklæring,
approval): parse, call one use case, map errors. Applying is open; the rest is for staff of either role."""

import asyncio
from datetime import date
from uuid import UUID

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, Field, field_validator

from brobygger_applications import projections
from brobygger_applications.api.common import (
    COMMAND_RESPONSES,
    CREATE_RESPONSES,
    App,
    Caseworker,
    GenderIn,
    IdempotencyKey,
    PersonIn,
    VolunteerIntake,
    created_id,
    run,
)
from brobygger_applications.application import ApplicationsApplication, NewVolunteerApplication
from brobygger_applications.domain import (
    ApplicantTooOld,
    ApplicantTooYoung,
    CertificateKind,
    InterviewAssessment,
    Role,
    VolunteerApplication,
    VolunteerStage,
)
from brobygger_applications.timeline import timeline
from brobygger_shared.access_log import reading_of
from brobygger_shared.attests import AttestRules
from brobygger_shared.auth import AUTH_RESPONSES
from brobygger_shared.calendar import add_months
from brobygger_shared.inputs import Input, Line, Moment, Paragraphs, PastDay, Words
from brobygger_shared.problems import Problem
from brobygger_shared.service import ReadConnection

router = APIRouter()

class VolunteerApplicationIn(PersonIn):
    roles: list[Role] = Field(min_length=1, max_length=len(Role))
    address: Line(300) = Field(default="", description="Postal address, for the oppdragsavtale")
    area: Line(100, min_length=1, description="Bydel or area in the kommune")
    interests: Words = []
    languages: Words = []
    gender: GenderIn | None = Field(default=None, description="kvinne or mann; leave out if not stated")
    has_driving_licence: bool = False
    has_car: bool = False
    has_spare_bedroom: bool = False
    availability: Paragraphs(1000) = ""
    experience: Paragraphs() = ""
    commitment_acknowledged: bool = Field(description="Bekrefter at oppdraget varer minst ett år")

    @field_validator("commitment_acknowledged")
    @classmethod
    def commitment_required(cls, value: bool) -> bool:
        if not value:
            raise ValueError("Søkeren må bekrefte at oppdraget varer minst ett år.")
        return value


class VolunteerApplicationOut(BaseModel):
    application_id: UUID
    case_number: str | None = Field(default=None, description="The kommune's case number, e.g. 2026/0143")
    volunteer_id: UUID
    full_name: str
    roles: list[str]
    area: str
    stage: VolunteerStage
    required_certificate_kind: CertificateKind = Field(
        description="The kind to ask for (the formålsbekreftelse names it); any kind can be registered")
    certificate_covers: list[str] = Field(
        default=[], description="The schemes, of those the person's roles serve, the registered attest satisfies "
                                "(the kommune's setting ATTEST_KINDS_BY_SCHEME)")
    interview: dict | None = None
    certificate: dict | None = None
    declaration_signed_on: date | None = None
    approved_on: date | None = None
    rejection: dict | None = None

    @classmethod
    def of(cls, volunteer: VolunteerApplication, rules: AttestRules) -> "VolunteerApplicationOut":
        return cls(
            application_id=volunteer.id, case_number=volunteer.case_number, volunteer_id=volunteer.volunteer_id,
            full_name=volunteer.full_name,
            roles=volunteer.roles, area=volunteer.area, stage=volunteer.stage,
            required_certificate_kind=volunteer.suggested_certificate_kind(rules),
            certificate_covers=volunteer.certificate_covers(rules), interview=volunteer.interview,
            certificate=volunteer.certificate, declaration_signed_on=volunteer.declaration_signed_on,
            approved_on=volunteer.approved_on, rejection=volunteer.rejection,
        )


@router.post("/volunteer-applications", status_code=201, response_model=VolunteerApplicationOut,
             tags=["oppdragstakere"], responses=CREATE_RESPONSES,
             summary="Receive an application to become støttekontakt, avlaster or besøkshjem")
def receive_volunteer_application(
    body: VolunteerApplicationIn, response: Response, app: App, caller: VolunteerIntake,
    idempotency_key: IdempotencyKey = None,
) -> VolunteerApplicationOut:
    try:
        received, created = app.receive_volunteer_application(
            NewVolunteerApplication(**body.model_dump()), date.today(), created_id(idempotency_key, "volunteer")
        )
    except (ApplicantTooYoung, ApplicantTooOld) as error:
        raise Problem(422, str(error), errors=[{"field": "birth_date", "message": str(error)}]) from None
    if not created:
        response.status_code = status.HTTP_200_OK
    return VolunteerApplicationOut.of(received, app.settings.attest_rules)


def _change_volunteer(app: ApplicationsApplication, application_id: UUID, use_case,
                      *args) -> VolunteerApplicationOut:
    """Run one use case on a would-be oppdragstaker's application."""
    return VolunteerApplicationOut.of(run(lambda: use_case(application_id, *args)), app.settings.attest_rules)


@router.get("/volunteer-applications", tags=["oppdragstakere"], responses=AUTH_RESPONSES,
            summary="Would-be oppdragstakere by stage, oldest first")
async def get_volunteer_applications(
    staff: Caseworker, connection: ReadConnection, read: reading_of("volunteer applications"),
    stage: VolunteerStage | None = None,
) -> list[dict]:
    rows = await projections.list_volunteer_applications(connection, stage)
    await read.record([row["application_id"] for row in rows] + [row["volunteer_id"] for row in rows])
    return rows


@router.get("/volunteer-applications/{application_id}", response_model=VolunteerApplicationOut,
            tags=["oppdragstakere"], responses=COMMAND_RESPONSES)
def get_volunteer_application(application_id: UUID, staff: Caseworker, app: App,
                              _: reading_of("volunteer application", "application_id")) -> VolunteerApplicationOut:
    return VolunteerApplicationOut.of(run(lambda: app.volunteer(application_id)), app.settings.attest_rules)


@router.get("/volunteer-applications/{application_id}/timeline", tags=["oppdragstakere"],
            responses=COMMAND_RESPONSES, summary="Every event of the application in order, in words")
def get_volunteer_timeline(application_id: UUID, staff: Caseworker, app: App,
                           _: reading_of("volunteer application timeline", "application_id")) -> list[dict]:
    run(lambda: app.volunteer(application_id))
    return timeline(app.history(application_id))


class InterviewScheduleIn(Input):
    at: Moment
    address: Line(300) = Field(default="", description="Where the interview is held (in the invitation)")


@router.post("/volunteer-applications/{application_id}/interview-appointment",
             response_model=VolunteerApplicationOut, tags=["oppdragstakere"], responses=COMMAND_RESPONSES)
def schedule_interview(application_id: UUID, body: InterviewScheduleIn, staff: Caseworker, app: App,
                       idempotency_key: IdempotencyKey = None) -> VolunteerApplicationOut:
    return _change_volunteer(app, application_id, app.schedule_interview, body.at, body.address)


class InterviewIn(Input):
    held_on: PastDay = Field(default_factory=date.today)
    notes: Paragraphs() = ""
    assessment: InterviewAssessment


@router.post("/volunteer-applications/{application_id}/interview", response_model=VolunteerApplicationOut,
             tags=["oppdragstakere"], responses=COMMAND_RESPONSES, summary="Register the interview and assessment")
def complete_interview(application_id: UUID, body: InterviewIn, staff: Caseworker, app: App,
                       idempotency_key: IdempotencyKey = None) -> VolunteerApplicationOut:
    return _change_volunteer(app, application_id, app.complete_interview, body.held_on, body.notes, body.assessment,
                             staff.user_id)


class PurposeConfirmationIn(Input):
    kind: CertificateKind | None = Field(
        default=None, description="The kind of attest it is for; leave out for the kind the roles suggest")


@router.post("/volunteer-applications/{application_id}/purpose-confirmation",
             response_model=VolunteerApplicationOut, tags=["oppdragstakere"], responses=COMMAND_RESPONSES,
             summary="Issue the formålsbekreftelse for the politiattest application")
def issue_purpose_confirmation(application_id: UUID, staff: Caseworker, app: App,
                               body: PurposeConfirmationIn | None = None,
                               idempotency_key: IdempotencyKey = None) -> VolunteerApplicationOut:
    return _change_volunteer(app, application_id, app.issue_purpose_confirmation, date.today(),
                             body.kind if body else None)


class PoliceCertificateIn(Input):
    """Only what the law lets us keep: kind, issue date, and whether it had remarks. Never the text."""

    kind: CertificateKind
    issued_on: PastDay
    has_remarks: bool


@router.post("/volunteer-applications/{application_id}/police-certificate", response_model=VolunteerApplicationOut,
             tags=["oppdragstakere"], responses=COMMAND_RESPONSES, summary="Register a presented politiattest")
def register_police_certificate(application_id: UUID, body: PoliceCertificateIn, staff: Caseworker, app: App,
                                idempotency_key: IdempotencyKey = None) -> VolunteerApplicationOut:
    return _change_volunteer(app, application_id, app.register_police_certificate, body.kind, body.issued_on,
                             body.has_remarks, date.today())


class RemarksDecisionIn(Input):
    accepted: bool
    reason: Paragraphs(min_length=1)


@router.post("/volunteer-applications/{application_id}/police-certificate/remarks-decision",
             response_model=VolunteerApplicationOut, tags=["oppdragstakere"], responses=COMMAND_RESPONSES,
             summary="Staff decision on a politiattest with remarks")
def decide_on_remarks(application_id: UUID, body: RemarksDecisionIn, staff: Caseworker, app: App,
                      idempotency_key: IdempotencyKey = None) -> VolunteerApplicationOut:
    return _change_volunteer(app, application_id, app.decide_on_remarks, body.accepted, body.reason, staff.user_id,
                             date.today())


class DeclarationIn(Input):
    signed_on: PastDay = Field(default_factory=date.today)


@router.post("/volunteer-applications/{application_id}/confidentiality-declaration",
             response_model=VolunteerApplicationOut, tags=["oppdragstakere"], responses=COMMAND_RESPONSES,
             summary="Register the signed taushetserklæring")
def sign_declaration(application_id: UUID, body: DeclarationIn, staff: Caseworker, app: App,
                     idempotency_key: IdempotencyKey = None) -> VolunteerApplicationOut:
    return _change_volunteer(app, application_id, app.sign_declaration, body.signed_on)


@router.post("/volunteer-applications/{application_id}/approval", response_model=VolunteerApplicationOut,
             tags=["oppdragstakere"], responses=COMMAND_RESPONSES,
             summary="Approve: interview passed, politiattest verified and taushetserklæring signed, in any order")
def approve(application_id: UUID, staff: Caseworker, app: App,
            idempotency_key: IdempotencyKey = None) -> VolunteerApplicationOut:
    return _change_volunteer(app, application_id, app.approve, date.today(), staff.user_id)


class RejectionIn(Input):
    reasons: Paragraphs(min_length=1)


@router.post("/volunteer-applications/{application_id}/rejection", response_model=VolunteerApplicationOut,
             tags=["oppdragstakere"], responses=COMMAND_RESPONSES, summary="Refuse, with reasons, at any point")
def reject(application_id: UUID, body: RejectionIn, staff: Caseworker, app: App,
           idempotency_key: IdempotencyKey = None) -> VolunteerApplicationOut:
    return _change_volunteer(app, application_id, app.reject, body.reasons, date.today(), staff.user_id)


@router.post("/police-certificate-renewals", tags=["oppdragstakere"], responses=AUTH_RESPONSES,
             summary="Flag every approved oppdragstaker whose politiattest is due for renewal")
async def flag_renewals(staff: Caseworker, connection: ReadConnection, app: App) -> dict:
    months = app.settings.police_certificate_renewal_months
    today = date.today()
    candidates = await projections.approved_with_certificate_issued_before(connection, add_months(today, -months))
    return {"flagged": await asyncio.to_thread(app.flag_renewals, candidates, today)}
