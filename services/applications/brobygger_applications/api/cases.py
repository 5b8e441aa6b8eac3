"""Routes of a citizen's case (søknad, kartlegging, foreløpig svar, vedtak, klage, ending): parse, call
one use case, map errors. Submitting a søknad is open; the rest is for staff whose roles see the case
(saksbehandler the ordinary cases, barnevern the barnevern cases)."""

from datetime import date
from typing import Annotated
from urllib.parse import quote
from uuid import UUID

from fastapi import APIRouter, Path, Query, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from brobygger_applications import projections
from brobygger_applications.api.common import (
    COMMAND_RESPONSES,
    CREATE_RESPONSES,
    App,
    Caseworker,
    GenderIn,
    IdempotencyKey,
    PersonIn,
    created_id,
    run,
)
from brobygger_applications.application import ApplicationsApplication, LetterErased, NewServiceApplication, NotFound
from brobygger_applications.domain import (
    MAX_SCOPE,
    CaseStatus,
    NewDecision,
    Scheme,
    ServiceApplication,
    StatsforvalterOutcome,
)
from brobygger_applications.timeline import timeline
from brobygger_shared.access_log import reading_of
from brobygger_shared.auth import AUTH_RESPONSES
from brobygger_shared.case_access import CaseAccess, DocumentReader
from brobygger_shared.calendar import norwegian_date
from brobygger_shared.inputs import Day, Input, Line, Paragraphs, PastDay, Words
from brobygger_shared.problems import Problem
from brobygger_shared.service import ReadConnection
from brobygger_shared.wishes import HELPER_AGE_MAX, HELPER_AGE_MIN, MAX_SIBLINGS

router = APIRouter()

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
    ledsagerbevis_asked: bool = Field(default=False, description="Støttekontakt: a ledsagerbevis asked for too")


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
    ledsagerbevis_asked: bool = False
    ledsagerbevis: dict | None = None  # granted, valid_from, valid_to, reason, decided_on

    @classmethod
    def of(cls, case: ServiceApplication) -> "CaseOut":
        return cls(
            application_id=case.id, person_id=case.person_id, full_name=case.full_name, scheme=case.scheme,
            is_barnevern=case.is_barnevern, status=case.status, area=case.area, received_on=case.received_on,
            interim_reply_due_on=case.interim_reply_due_on, interim_reply=case.interim_reply,
            decisions=case.decisions, appeal=case.appeal, statsforvalter_outcome=case.statsforvalter_outcome,
            ended=case.ended, case_number=case.case_number,
            ledsagerbevis_asked=getattr(case, "ledsagerbevis_asked", False),
            ledsagerbevis=getattr(case, "ledsagerbevis", None),
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
    body: ServiceApplicationIn, response: Response, app: App, staff: Caseworker,
    idempotency_key: IdempotencyKey = None,
) -> ReceiptOut:
    form = body.model_dump(exclude={"received_on"}, exclude_none=False)
    case, created = app.receive_service_application(
        NewServiceApplication(**form), body.received_on or date.today(), created_id(idempotency_key, "case")
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return ReceiptOut(application_id=case.id, status=case.status)


def _visible_case(app: ApplicationsApplication, case_id: UUID, staff: CaseAccess) -> ServiceApplication:
    case = run(lambda: app.case(case_id))
    staff.require(case.is_barnevern, case.id)
    return case


def _change_case(app: ApplicationsApplication, case_id: UUID, staff: CaseAccess, use_case, *args) -> CaseOut:
    """Run one use case on a case the caller's roles see."""
    _visible_case(app, case_id, staff)
    return CaseOut.of(run(lambda: use_case(case_id, *args)))


def _signer(staff: CaseAccess) -> str:
    """The contact person a letter names."""
    return staff.name or staff.user_id


@router.get("/service-applications", tags=["søknader"], responses=AUTH_RESPONSES,
            summary="Cases by status and scheme: ordinary cases for saksbehandlere, barnevern cases for "
                    "barnevern staff, both for staff with both roles")
async def get_cases(
    staff: Caseworker, connection: ReadConnection, read: reading_of("cases"),
    status_: Annotated[CaseStatus | None, Query(alias="status")] = None, scheme: Scheme | None = None,
    q: Annotated[Line(100) | None, Query(description="A case number (2026/0142, or 142) or part of a name")] = None,
    ids: Annotated[list[UUID] | None, Query(alias="id", max_length=100,
                                            description="Only these cases (up to 100): to name the cases of "
                                                        "another service's list, such as matching's waiting list")
                   ] = None,
) -> list[dict]:
    search = q.strip() if q and q.strip() else None
    cases = await projections.list_cases(connection, status_, scheme, staff.barnevern, staff.ordinary, search, ids)
    await read.record(case["application_id"] for case in cases)
    return cases


@router.get("/summary", tags=["søknader"], responses=AUTH_RESPONSES,
            summary="The counts the work queue shows: new cases without a vedtak, foreløpig svar overdue or due "
                    "soon (of the cases the caller's roles allow), and the oppdragstakere by stage")
async def get_summary(request: Request, staff: Caseworker, connection: ReadConnection) -> dict:
    within_days = request.app.state.runtime.settings.interim_reply_notice_days
    return await projections.summary(connection, date.today(), staff.barnevern, staff.ordinary, within_days)


@router.get("/service-applications/overdue-interim-replies", tags=["søknader"], responses=AUTH_RESPONSES,
            summary="Undecided cases with no foreløpig svar, due within the setting's days or overdue (today "
                    "included; `overdue` marks those due today or earlier)")
async def get_overdue_interim_replies(request: Request, staff: Caseworker, connection: ReadConnection,
                                      read: reading_of("cases")) -> list[dict]:
    within_days = request.app.state.runtime.settings.interim_reply_notice_days
    cases = await projections.overdue_interim_replies(connection, date.today(), staff.barnevern, within_days,
                                                      staff.ordinary)
    await read.record(case["application_id"] for case in cases)
    return cases


@router.get("/service-applications/{case_id}", response_model=CaseOut, tags=["søknader"],
            responses=COMMAND_RESPONSES,
            summary="A case as it stands, or with `as_of` as it stood at the end of that day (for a klage, or a "
                    "complaint about how the case was run)")
def get_case(case_id: UUID, staff: Caseworker, app: App, _: reading_of("case", "case_id"),
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
               app: App, _: reading_of("case letter", "case_id")) -> Response:
    case = _visible_case(app, case_id, staff)
    try:
        letter, pdf = app.letter(case_id, number)
    except NotFound:
        raise Problem(404, "Saken har ikke noe brev med dette nummeret.") from None
    except LetterErased:
        raise Problem(410, "Personen er slettet; brevet finnes bare i kommunens arkiv (Noark 5).") from None
    filename = f"{letter['kind']}-{(case.case_number or str(case.id)).replace('/', '-')}-{number}.pdf"
    return Response(pdf, media_type="application/pdf", headers={
        "content-disposition": f"inline; filename*=UTF-8''{quote(filename)}", "x-content-sha256": letter["sha256"]})


@router.get("/service-applications/{case_id}/timeline", tags=["søknader"], responses=COMMAND_RESPONSES,
            summary="Every event of the case in order, in words")
def get_case_timeline(case_id: UUID, staff: Caseworker, app: App, _: reading_of("case timeline", "case_id")) -> list[dict]:
    _visible_case(app, case_id, staff)
    return timeline(app.history(case_id))


class AssessmentIn(Input):
    notes: Paragraphs(min_length=1)
    home_visit_on: PastDay | None = None


@router.post("/service-applications/{case_id}/assessments", response_model=CaseOut, tags=["søknader"],
             responses=COMMAND_RESPONSES, summary="Register kartlegging (notes, home visit)")
def note_assessment(case_id: UUID, body: AssessmentIn, staff: Caseworker, app: App,
                    idempotency_key: IdempotencyKey = None) -> CaseOut:
    return _change_case(app, case_id, staff, app.note_assessment, body.notes, body.home_visit_on, date.today())


class InterimReplyIn(Input):
    reason: Paragraphs(min_length=1)
    expected_decision_by: Day
    sent_on: PastDay = Field(default_factory=date.today, description="The day the reply was sent (a paper one earlier)")


@router.post("/service-applications/{case_id}/interim-reply", response_model=CaseOut, tags=["søknader"],
             responses=COMMAND_RESPONSES, summary="Register a foreløpig svar with reason and expected date")
def send_interim_reply(case_id: UUID, body: InterimReplyIn, staff: Caseworker, app: App,
                       idempotency_key: IdempotencyKey = None) -> CaseOut:
    return _change_case(app, case_id, staff, app.send_interim_reply, body.reason, body.expected_decision_by,
                        body.sent_on, _signer(staff), date.today())


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
    decision = NewDecision(body.granted, body.scope, body.period_from, body.period_to)
    return _change_case(app, case_id, staff, app.decide, decision, body.reasons, staff.user_id, _signer(staff),
                        date.today())


class AppealIn(Input):
    grounds: Paragraphs(min_length=1)
    received_on: PastDay = Field(default_factory=date.today, description="The day the kommune received the klage")


@router.post("/service-applications/{case_id}/appeal", response_model=CaseOut, tags=["søknader"],
             responses=COMMAND_RESPONSES, summary="Register a klage (a late one is registered and marked late)")
def appeal(case_id: UUID, body: AppealIn, staff: Caseworker, app: App,
           idempotency_key: IdempotencyKey = None) -> CaseOut:
    return _change_case(app, case_id, staff, app.register_appeal, body.grounds, body.received_on, date.today())


class ForwardIn(Input):
    reasons: Paragraphs(min_length=1)


@router.post("/service-applications/{case_id}/appeal/forwarding", response_model=CaseOut, tags=["søknader"],
             responses=COMMAND_RESPONSES, summary="Uphold the decision and send the klage to the Statsforvalteren")
def forward_appeal(case_id: UUID, body: ForwardIn, staff: Caseworker, app: App,
                   idempotency_key: IdempotencyKey = None) -> CaseOut:
    return _change_case(app, case_id, staff, app.forward_appeal, body.reasons, date.today())


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
    return _change_case(app, case_id, staff, app.register_statsforvalter_result, body.outcome, body.reasons,
                        body.received_on, decision, date.today())


class WithdrawalIn(Input):
    reason: Paragraphs() = ""


@router.post("/service-applications/{case_id}/withdrawal", response_model=CaseOut, tags=["søknader"],
             responses=COMMAND_RESPONSES,
             summary="The applicant withdraws the søknad before a vedtak (after one: /ending)")
def withdraw(case_id: UUID, body: WithdrawalIn, staff: Caseworker, app: App,
             idempotency_key: IdempotencyKey = None) -> CaseOut:
    return _change_case(app, case_id, staff, app.withdraw, body.reason, date.today())


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
    return _change_case(app, case_id, staff, app.end_service, body.ended_on, body.reason, body.withdraw_appeal,
                        date.today())



class LedsagerbevisIn(Input):
    granted: bool
    valid_from: Day | None = None
    valid_to: Day | None = None
    reason: Paragraphs() = ""


@router.post("/service-applications/{case_id}/ledsagerbevis", response_model=CaseOut, tags=["søknader"],
             responses=COMMAND_RESPONSES,
             summary="The ledsagerbevis asked for in a støttekontakt søknad: granted with its period, or refused "
                     "with a reason (a later decision replaces it)")
def decide_ledsagerbevis(case_id: UUID, body: LedsagerbevisIn, staff: Caseworker, app: App,
                         idempotency_key: IdempotencyKey = None) -> CaseOut:
    return _change_case(app, case_id, staff, app.decide_ledsagerbevis, body.granted, body.valid_from, body.valid_to,
                        body.reason, _signer(staff), date.today())
