"""HTTP routes of the applications service: parse, call the application, map errors.

Submitting a søknad is open (citizens and would-be oppdragstakere use the public forms); everything
else is for signed-in staff, by roles that compose (`brobygger_shared.case_access`): saksbehandler
gives the ordinary cases, barnevern the barnevern cases, both give both; either gives the
oppdragstakere, who serve cases of both kinds.
"""

import asyncio
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote
from uuid import UUID, uuid5

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response, status
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from brobygger_applications import projections
from brobygger_applications.application import (
    ApplicationsApplication,
    NewServiceApplication,
    NewVolunteerApplication,
    NotFound,
)
from brobygger_applications.domain import (
    MAX_SCOPE,
    ApplicantTooOld,
    ApplicantTooYoung,
    CaseStatus,
    CertificateKind,
    InterviewAssessment,
    NewDecision,
    Role,
    Scheme,
    ServiceApplication,
    StatsforvalterOutcome,
    VolunteerApplication,
    VolunteerStage,
)
from brobygger_shared.attests import AttestRules
from brobygger_shared.auth import AUTH_RESPONSES, command_responses
from brobygger_shared.case_access import CaseAccess, DocumentReader, Staff
from brobygger_shared.calendar import add_months, norwegian_date
from brobygger_shared.identity import InvalidIdentityNumber, parse_identity_number
from brobygger_shared.inputs import (
    NAME_MAX_LENGTH, BirthDate, Day, Email, Input, Line, Mobile, Moment, Paragraphs, PastDay, Words,
)
from brobygger_shared.problems import PROBLEM_RESPONSES, Problem
from brobygger_shared.rules import RuleViolation
from brobygger_shared.service import ReadConnection
from brobygger_shared.wishes import HELPER_AGE_MAX, HELPER_AGE_MIN, MAX_SIBLINGS, Gender

router = APIRouter()

IDEMPOTENCY_NAMESPACE = UUID("6f1c1d0e-4c55-4f0a-9b8e-0c1a2b3c4d5e")

Caseworker = Staff  # saksbehandler or barnevern; which cases each may see is checked case by case
IdempotencyKey = Annotated[str | None, Header(max_length=200, description="Repeat a command safely")]

COMMAND_RESPONSES = command_responses(
    "Fant ikke saken", "Handlingen er ikke tillatt i sakens nåværende tilstand"
)
CREATE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "Samme Idempotency-Key er brukt før: det første svaret"},
    **PROBLEM_RESPONSES,
}


def application(request: Request) -> ApplicationsApplication:
    return request.app.state.application


App = Annotated[ApplicationsApplication, Depends(application)]


def _created_id(idempotency_key: str | None, kind: str) -> UUID | None:
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


def _run(command):
    """Run a command on the application; map its failures to the HTTP answers a caseworker reads."""
    try:
        return command()
    except NotFound:
        raise Problem(404, "Fant ingen sak med denne id-en.") from None


# == a citizen's case =====================================================================================


GenderIn = Annotated[Gender, BeforeValidator(lambda value: value.strip().lower() if isinstance(value, str) else value)]
HelperAge = Annotated[int, Field(ge=HELPER_AGE_MIN, le=HELPER_AGE_MAX, strict=True)]


class HelperWishesIn(Input):
    """Wishes about the helper, read by matching; each one typed, none other accepted."""

    model_config = ConfigDict(extra="forbid")

    gender: GenderIn | None = None
    gender_required: bool = Field(default=False, description="The gender is a requirement, not only a wish")
    language: Line(100) | None = Field(default=None, description="A language the helper should speak (free text)")
    age_from: HelperAge | None = None
    age_to: HelperAge | None = None
    siblings: Annotated[int, Field(ge=1, le=MAX_SIBLINGS, strict=True)] | None = Field(
        default=None, description="Besøkshjem: siblings to be placed together")

    @model_validator(mode="after")
    def consistent(self) -> "HelperWishesIn":
        if self.age_from is not None and self.age_to is not None and self.age_from > self.age_to:
            raise PydanticCustomError("age_range", "Ønsket alder til kan ikke være lavere enn alder fra.")
        if self.gender_required and self.gender is None:
            raise PydanticCustomError("gender_required", "Kjønn som krav trenger et ønsket kjønn.")
        return self


class ServiceApplicationIn(PersonIn):
    address: Line(300, min_length=1)
    area: Line(100, min_length=1)
    scheme: Scheme
    needs: Paragraphs(min_length=1, description="The need, in the applicant's own words")
    interests: Words = []
    wished_activities: Words = []
    helper_wishes: HelperWishesIn = Field(default_factory=HelperWishesIn)
    carers: Annotated[list[Annotated[dict[Line(40), Line(200)], Field(max_length=10)]], Field(max_length=10)] = Field(
        default=[], description="For a child: parents or carers")
    scope_asked: float | None = Field(default=None, gt=0, le=MAX_SCOPE,
                                      description="Hours per week, or døgn per month")
    received_on: PastDay | None = Field(default=None, description="For a paper søknad: the day it arrived")


class LetterOut(BaseModel):
    number: int
    kind: str = Field(description="vedtak or foreløpig_svar")
    issued_on: date
    contact_person: str
    sha256: str = Field(description="SHA-256 of the PDF as sent; the served PDF is checked against it")
    url: str


class CaseOut(BaseModel):
    application_id: UUID
    case_number: str | None = Field(description="The kommune's case number, e.g. 2026/0142")
    person_id: UUID
    full_name: str
    scheme: str
    is_barnevern: bool
    status: str
    area: str
    received_on: date
    interim_reply_due_on: date
    interim_reply: dict | None
    decisions: list[dict]
    appeal: dict | None
    statsforvalter_outcome: str | None
    ended: dict | None = None  # after a vedtak, the person ended the service: ended_on, appeal_withdrawn
    letters: list[LetterOut] = []

    @classmethod
    def of(cls, case: ServiceApplication) -> "CaseOut":
        return cls(
            application_id=case.id, person_id=case.person_id, full_name=case.full_name, scheme=case.scheme,
            is_barnevern=case.is_barnevern, status=case.status, area=case.area, received_on=case.received_on,
            interim_reply_due_on=case.interim_reply_due_on, interim_reply=case.interim_reply,
            decisions=case.decisions, appeal=case.appeal, statsforvalter_outcome=case.statsforvalter_outcome,
            ended=case.ended, case_number=case.case_number,
            letters=[LetterOut(number=letter["number"], kind=letter["kind"], issued_on=letter["issued_on"],
                               contact_person=letter["contact_person"], sha256=letter["sha256"],
                               url=f"/service-applications/{case.id}/letters/{letter['number']}.pdf")
                     for letter in case.letters],
        )


class ReceiptOut(BaseModel):
    application_id: UUID
    status: str


@router.post("/service-applications", status_code=201, response_model=ReceiptOut, tags=["søknader"],
             summary="Receive a søknad for støttekontakt, privat avlastning or besøkshjem", responses=CREATE_RESPONSES)
def receive_service_application(
    body: ServiceApplicationIn, response: Response, app: App, idempotency_key: IdempotencyKey = None
) -> ReceiptOut:
    form = body.model_dump(exclude={"received_on"}, exclude_none=False)
    case, created = app.receive_service_application(
        NewServiceApplication(**form), body.received_on or date.today(), _created_id(idempotency_key, "case")
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return ReceiptOut(application_id=case.id, status=case.status)


def _visible_case(app: ApplicationsApplication, case_id: UUID, staff: CaseAccess) -> ServiceApplication:
    case = _run(lambda: app.case(case_id))
    staff.require(case.is_barnevern)
    return case


def _change_case(app: ApplicationsApplication, case_id: UUID, staff: CaseAccess, command) -> CaseOut:
    _visible_case(app, case_id, staff)
    return CaseOut.of(_run(lambda: app.change_case(case_id, command, contact_person=staff.name or staff.user_id)))


@router.get("/service-applications", tags=["søknader"], responses=AUTH_RESPONSES,
            summary="Cases by status and scheme: ordinary cases for saksbehandlere, barnevern cases for "
                    "barnevern staff, both for staff with both roles")
async def get_cases(
    staff: Caseworker, connection: ReadConnection,
    status_: Annotated[CaseStatus | None, Query(alias="status")] = None, scheme: Scheme | None = None,
    q: Annotated[Line(100) | None, Query(description="A case number (2026/0142, or 142) or part of a name")] = None,
) -> list[dict]:
    search = q.strip() if q and q.strip() else None
    return await projections.list_cases(connection, status_, scheme, staff.barnevern, staff.ordinary, search)


@router.get("/service-applications/overdue-interim-replies", tags=["søknader"], responses=AUTH_RESPONSES,
            summary="Undecided cases with no foreløpig svar, due within the setting's days or overdue (today "
                    "included; `overdue` marks those due today or earlier)")
async def get_overdue_interim_replies(request: Request, staff: Caseworker, connection: ReadConnection) -> list[dict]:
    within_days = request.app.state.runtime.settings.interim_reply_notice_days
    return await projections.overdue_interim_replies(connection, date.today(), staff.barnevern, within_days,
                                                     staff.ordinary)


@router.get("/service-applications/{case_id}", response_model=CaseOut, tags=["søknader"],
            responses=COMMAND_RESPONSES,
            summary="A case as it stands, or with `as_of` as it stood at the end of that day (for a klage, or a "
                    "complaint about how the case was run)")
def get_case(case_id: UUID, staff: Caseworker, app: App,
             as_of: Annotated[Day | None, Query(description="A day: the case as it stood when it ended")] = None,
             ) -> CaseOut:
    case = _visible_case(app, case_id, staff)
    if as_of is None:
        return CaseOut.of(case)
    try:
        return CaseOut.of(app.case_as_of(case_id, as_of))
    except NotFound:
        raise Problem(404, f"Saken var ikke mottatt {norwegian_date(as_of)}.") from None


@router.get("/service-applications/{case_id}/letters/{number}.pdf", tags=["søknader"],
            responses={**COMMAND_RESPONSES, 200: {"content": {"application/pdf": {}},
                                                  "description": "The letter as sent (PDF/A-2b)"}},
            response_class=Response, summary="A letter the case sent (vedtak, foreløpig svar), as it was sent")
def get_letter(case_id: UUID, number: Annotated[int, Path(ge=1, le=10_000)], staff: DocumentReader,
               app: App) -> Response:
    case = _visible_case(app, case_id, staff)
    try:
        letter, pdf = app.letter(case_id, number)
    except NotFound:
        raise Problem(404, "Saken har ikke noe brev med dette nummeret.") from None
    filename = f"{letter['kind']}-{(case.case_number or str(case.id)).replace('/', '-')}-{number}.pdf"
    return Response(pdf, media_type="application/pdf", headers={
        "content-disposition": f"inline; filename*=UTF-8''{quote(filename)}", "x-content-sha256": letter["sha256"]})


@router.get("/service-applications/{case_id}/timeline", tags=["søknader"], responses=COMMAND_RESPONSES,
            summary="Every event of the case in order, in words")
def get_case_timeline(case_id: UUID, staff: Caseworker, app: App) -> list[dict]:
    _visible_case(app, case_id, staff)
    return projections.timeline(app.history(case_id))


class AssessmentIn(Input):
    notes: Paragraphs(min_length=1)
    home_visit_on: PastDay | None = None


@router.post("/service-applications/{case_id}/assessments", response_model=CaseOut, tags=["søknader"],
             responses=COMMAND_RESPONSES, summary="Register kartlegging (notes, home visit)")
def note_assessment(case_id: UUID, body: AssessmentIn, staff: Caseworker, app: App,
                    idempotency_key: IdempotencyKey = None) -> CaseOut:
    return _change_case(app, case_id, staff,
                        lambda case: case.note_assessment(body.notes, body.home_visit_on, date.today()))


class InterimReplyIn(Input):
    reason: Paragraphs(min_length=1)
    expected_decision_by: Day
    sent_on: PastDay = Field(default_factory=date.today, description="The day the reply was sent (a paper one earlier)")


@router.post("/service-applications/{case_id}/interim-reply", response_model=CaseOut, tags=["søknader"],
             responses=COMMAND_RESPONSES, summary="Register a foreløpig svar with reason and expected date")
def send_interim_reply(case_id: UUID, body: InterimReplyIn, staff: Caseworker, app: App,
                       idempotency_key: IdempotencyKey = None) -> CaseOut:
    return _change_case(app, case_id, staff,
                        lambda case: case.send_interim_reply(body.reason, body.expected_decision_by, body.sent_on))


class DecisionIn(Input):
    granted: bool
    scope: float | None = Field(default=None, gt=0, le=MAX_SCOPE, validate_default=True,
                                description="Hours per week (at most 168), or døgn per month (besøkshjem, at most 31)")
    period_from: Day | None = Field(default=None, validate_default=True)
    period_to: Day | None = Field(default=None, validate_default=True)
    reasons: Paragraphs(min_length=1)

    @field_validator("scope", "period_from", "period_to")
    @classmethod
    def required_when_granted(cls, value, info: ValidationInfo):
        if value is None and info.data.get("granted"):
            raise ValueError("Påkrevd når vedtaket innvilger tjenesten.")
        return value


@router.post("/service-applications/{case_id}/decisions", response_model=CaseOut, tags=["søknader"],
             responses=COMMAND_RESPONSES, summary="Make a vedtak: granted with scope and period, or refused")
def decide(case_id: UUID, body: DecisionIn, staff: Caseworker, app: App,
           idempotency_key: IdempotencyKey = None) -> CaseOut:
    def command(case: ServiceApplication) -> None:
        if body.granted:
            case.grant(body.scope, body.period_from, body.period_to, body.reasons, date.today(), staff.user_id)
        else:
            case.refuse(body.reasons, date.today(), staff.user_id)

    return _change_case(app, case_id, staff, command)


class AppealIn(Input):
    grounds: Paragraphs(min_length=1)
    received_on: PastDay = Field(default_factory=date.today, description="The day the kommune received the klage")


@router.post("/service-applications/{case_id}/appeal", response_model=CaseOut, tags=["søknader"],
             responses=COMMAND_RESPONSES, summary="Register a klage (a late one is registered and marked late)")
def appeal(case_id: UUID, body: AppealIn, staff: Caseworker, app: App,
           idempotency_key: IdempotencyKey = None) -> CaseOut:
    return _change_case(app, case_id, staff, lambda case: case.register_appeal(body.grounds, body.received_on))


class ForwardIn(Input):
    reasons: Paragraphs(min_length=1)


@router.post("/service-applications/{case_id}/appeal/forwarding", response_model=CaseOut, tags=["søknader"],
             responses=COMMAND_RESPONSES, summary="Uphold the decision and send the klage to the Statsforvalteren")
def forward_appeal(case_id: UUID, body: ForwardIn, staff: Caseworker, app: App,
                   idempotency_key: IdempotencyKey = None) -> CaseOut:
    return _change_case(app, case_id, staff, lambda case: case.uphold_and_forward(body.reasons, date.today()))


class StatsforvalterDecisionIn(Input):
    """The decision the Statsforvalteren made when it changed (omgjorde) the kommune's."""

    granted: bool
    scope: float | None = Field(default=None, gt=0, le=MAX_SCOPE)
    period_from: Day | None = None
    period_to: Day | None = None


class StatsforvalterResultIn(Input):
    outcome: StatsforvalterOutcome
    reasons: Paragraphs() = ""
    received_on: PastDay = Field(default_factory=date.today)
    decision: StatsforvalterDecisionIn | None = Field(
        default=None, description="Required when the outcome is omgjort: the decision now in force")


@router.post("/service-applications/{case_id}/appeal/statsforvalter-result", response_model=CaseOut,
             tags=["søknader"], responses=COMMAND_RESPONSES, summary="Register the Statsforvalteren's result")
def statsforvalter_result(case_id: UUID, body: StatsforvalterResultIn, staff: Caseworker, app: App,
                          idempotency_key: IdempotencyKey = None) -> CaseOut:
    decision = NewDecision(**body.decision.model_dump()) if body.decision else None
    return _change_case(app, case_id, staff, lambda case: case.register_statsforvalter_result(
        body.outcome, body.reasons, body.received_on, decision))


class WithdrawalIn(Input):
    reason: Paragraphs() = ""


@router.post("/service-applications/{case_id}/withdrawal", response_model=CaseOut, tags=["søknader"],
             responses=COMMAND_RESPONSES,
             summary="The applicant withdraws the søknad before a vedtak (after one: /ending)")
def withdraw(case_id: UUID, body: WithdrawalIn, staff: Caseworker, app: App,
             idempotency_key: IdempotencyKey = None) -> CaseOut:
    return _change_case(app, case_id, staff, lambda case: case.withdraw(body.reason, date.today()))


class EndingIn(Input):
    ended_on: Day = Field(description="The service's last day: not before the vedtak, not after its period")
    reason: Paragraphs() = ""
    withdraw_appeal: bool | None = Field(
        default=None, description="Required while a klage is being handled: true, the klage is withdrawn with the "
                                  "service; false, it is kept and goes on. Refused when none is")


@router.post("/service-applications/{case_id}/ending", response_model=CaseOut, tags=["søknader"],
             responses=COMMAND_RESPONSES,
             summary="After a vedtak, the person ends the granted service from a date (status avsluttet)")
def end_service(case_id: UUID, body: EndingIn, staff: Caseworker, app: App,
                idempotency_key: IdempotencyKey = None) -> CaseOut:
    return _change_case(app, case_id, staff,
                        lambda case: case.end(body.ended_on, body.reason, body.withdraw_appeal, date.today()))


# == becoming an oppdragstaker ============================================================================


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
    body: VolunteerApplicationIn, response: Response, app: App, idempotency_key: IdempotencyKey = None
) -> VolunteerApplicationOut:
    try:
        received, created = app.receive_volunteer_application(
            NewVolunteerApplication(**body.model_dump()), date.today(), _created_id(idempotency_key, "volunteer")
        )
    except (ApplicantTooYoung, ApplicantTooOld) as error:
        raise Problem(422, str(error), errors=[{"field": "birth_date", "message": str(error)}]) from None
    if not created:
        response.status_code = status.HTTP_200_OK
    return VolunteerApplicationOut.of(received, app.settings.attest_rules)


def _change_volunteer(app: ApplicationsApplication, application_id: UUID, command) -> VolunteerApplicationOut:
    return VolunteerApplicationOut.of(_run(lambda: app.change_volunteer(application_id, command)),
                                      app.settings.attest_rules)


@router.get("/volunteer-applications", tags=["oppdragstakere"], responses=AUTH_RESPONSES,
            summary="Would-be oppdragstakere by stage, oldest first")
async def get_volunteer_applications(
    staff: Caseworker, connection: ReadConnection, stage: VolunteerStage | None = None
) -> list[dict]:
    return await projections.list_volunteer_applications(connection, stage)


@router.get("/volunteer-applications/{application_id}", response_model=VolunteerApplicationOut,
            tags=["oppdragstakere"], responses=COMMAND_RESPONSES)
def get_volunteer_application(application_id: UUID, staff: Caseworker, app: App) -> VolunteerApplicationOut:
    return VolunteerApplicationOut.of(_run(lambda: app.volunteer(application_id)), app.settings.attest_rules)


@router.get("/volunteer-applications/{application_id}/timeline", tags=["oppdragstakere"],
            responses=COMMAND_RESPONSES, summary="Every event of the application in order, in words")
def get_volunteer_timeline(application_id: UUID, staff: Caseworker, app: App) -> list[dict]:
    _run(lambda: app.volunteer(application_id))
    return projections.timeline(app.history(application_id))


class InterviewScheduleIn(Input):
    at: Moment
    address: Line(300) = Field(default="", description="Where the interview is held (in the invitation)")


@router.post("/volunteer-applications/{application_id}/interview-appointment",
             response_model=VolunteerApplicationOut, tags=["oppdragstakere"], responses=COMMAND_RESPONSES)
def schedule_interview(application_id: UUID, body: InterviewScheduleIn, staff: Caseworker, app: App,
                       idempotency_key: IdempotencyKey = None) -> VolunteerApplicationOut:
    return _change_volunteer(app, application_id, lambda volunteer: volunteer.schedule_interview(body.at, body.address))


class InterviewIn(Input):
    held_on: PastDay = Field(default_factory=date.today)
    notes: Paragraphs() = ""
    assessment: InterviewAssessment


@router.post("/volunteer-applications/{application_id}/interview", response_model=VolunteerApplicationOut,
             tags=["oppdragstakere"], responses=COMMAND_RESPONSES, summary="Register the interview and assessment")
def complete_interview(application_id: UUID, body: InterviewIn, staff: Caseworker, app: App,
                       idempotency_key: IdempotencyKey = None) -> VolunteerApplicationOut:
    return _change_volunteer(app, application_id, lambda volunteer: volunteer.complete_interview(
        body.held_on, body.notes, body.assessment, staff.user_id))


class PurposeConfirmationIn(Input):
    kind: CertificateKind | None = Field(
        default=None, description="The kind of attest it is for; leave out for the kind the roles suggest")


@router.post("/volunteer-applications/{application_id}/purpose-confirmation",
             response_model=VolunteerApplicationOut, tags=["oppdragstakere"], responses=COMMAND_RESPONSES,
             summary="Issue the formålsbekreftelse for the politiattest application")
def issue_purpose_confirmation(application_id: UUID, staff: Caseworker, app: App,
                               body: PurposeConfirmationIn | None = None,
                               idempotency_key: IdempotencyKey = None) -> VolunteerApplicationOut:
    rules = app.settings.attest_rules
    return _change_volunteer(app, application_id, lambda volunteer: volunteer.issue_purpose_confirmation(
        date.today(), body.kind if body and body.kind else volunteer.suggested_certificate_kind(rules)))


class PoliceCertificateIn(Input):
    """Only what the law lets us keep: kind, issue date, and whether it had remarks. Never the text."""

    kind: CertificateKind
    issued_on: PastDay
    has_remarks: bool


@router.post("/volunteer-applications/{application_id}/police-certificate", response_model=VolunteerApplicationOut,
             tags=["oppdragstakere"], responses=COMMAND_RESPONSES, summary="Register a presented politiattest")
def register_police_certificate(application_id: UUID, body: PoliceCertificateIn, request: Request,
                                staff: Caseworker, app: App,
                                idempotency_key: IdempotencyKey = None) -> VolunteerApplicationOut:
    max_age = request.app.state.runtime.settings.police_certificate_max_age_months
    return _change_volunteer(app, application_id, lambda volunteer: volunteer.register_police_certificate(
        body.kind, body.issued_on, body.has_remarks, date.today(), max_age))


class RemarksDecisionIn(Input):
    accepted: bool
    reason: Paragraphs(min_length=1)


@router.post("/volunteer-applications/{application_id}/police-certificate/remarks-decision",
             response_model=VolunteerApplicationOut, tags=["oppdragstakere"], responses=COMMAND_RESPONSES,
             summary="Staff decision on a politiattest with remarks")
def decide_on_remarks(application_id: UUID, body: RemarksDecisionIn, staff: Caseworker, app: App,
                      idempotency_key: IdempotencyKey = None) -> VolunteerApplicationOut:
    return _change_volunteer(app, application_id, lambda volunteer: volunteer.decide_on_remarks(
        body.accepted, body.reason, staff.user_id, date.today()))


class DeclarationIn(Input):
    signed_on: PastDay = Field(default_factory=date.today)


@router.post("/volunteer-applications/{application_id}/confidentiality-declaration",
             response_model=VolunteerApplicationOut, tags=["oppdragstakere"], responses=COMMAND_RESPONSES,
             summary="Register the signed taushetserklæring")
def sign_declaration(application_id: UUID, body: DeclarationIn, staff: Caseworker, app: App,
                     idempotency_key: IdempotencyKey = None) -> VolunteerApplicationOut:
    return _change_volunteer(app, application_id,
                             lambda volunteer: volunteer.sign_confidentiality_declaration(body.signed_on))


@router.post("/volunteer-applications/{application_id}/approval", response_model=VolunteerApplicationOut,
             tags=["oppdragstakere"], responses=COMMAND_RESPONSES,
             summary="Approve: interview passed, politiattest verified and taushetserklæring signed, in any order")
def approve(application_id: UUID, staff: Caseworker, app: App,
            idempotency_key: IdempotencyKey = None) -> VolunteerApplicationOut:
    return _change_volunteer(app, application_id, lambda volunteer: volunteer.approve(
        date.today(), staff.user_id, app.settings.attest_rules))


class RejectionIn(Input):
    reasons: Paragraphs(min_length=1)


@router.post("/volunteer-applications/{application_id}/rejection", response_model=VolunteerApplicationOut,
             tags=["oppdragstakere"], responses=COMMAND_RESPONSES, summary="Refuse, with reasons, at any point")
def reject(application_id: UUID, body: RejectionIn, staff: Caseworker, app: App,
           idempotency_key: IdempotencyKey = None) -> VolunteerApplicationOut:
    return _change_volunteer(app, application_id,
                             lambda volunteer: volunteer.reject(body.reasons, date.today(), staff.user_id))


@router.post("/police-certificate-renewals", tags=["oppdragstakere"], responses=AUTH_RESPONSES,
             summary="Flag every approved oppdragstaker whose politiattest is due for renewal")
async def flag_renewals(request: Request, staff: Caseworker, connection: ReadConnection) -> dict:
    months = request.app.state.runtime.settings.police_certificate_renewal_months
    today = date.today()
    candidates = await projections.approved_with_certificate_issued_before(connection, add_months(today, -months))
    app: ApplicationsApplication = request.app.state.application
    flagged = []
    for application_id in candidates:
        try:
            await asyncio.to_thread(app.change_volunteer, application_id,
                            lambda volunteer: volunteer.flag_certificate_renewal(today, months))
            flagged.append(application_id)
        except RuleViolation:
            continue  # already flagged, or renewed meanwhile
    return {"flagged": flagged}
