"""Søknader: the list with filters and search (name or case number), a case page (summary, letters,
timeline, vedtak, and the case as it stood on a chosen day), and a paper søknad.

Barnevern cases exist only for people with the barnevern role: the applications service leaves them
out of its lists and refuses them one by one (shown here as not found), and the forms offer the
barnevern schemes only to those who may see the case they create."""

import asyncio
from datetime import date, datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import Response

from brobygger_gateway.application import (
    Forbidden,
    InvalidInput,
    NotAllowed,
    NotFound,
    ServiceClient,
    ServiceUnavailable,
)
from brobygger_gateway.domain import StaffUser
from brobygger_gateway.pages import Caseworker, PageNotFound, Services, render, router, see_other
from brobygger_gateway.pages.forms import FormState
from brobygger_shared.calendar import norwegian_date

NORWAY = ZoneInfo("Europe/Oslo")
SCHEMES = {
    "støttekontakt": "Støttekontakt",
    "privat_avlastning": "Privat avlastning",
    "støttekontakt_barnevern": "Støttekontakt (barnevern)",
    "besøkshjem": "Besøkshjem (barnevern)",
}
BARNEVERN_SCHEMES = {"støttekontakt_barnevern", "besøkshjem"}
STATUSES = {
    "mottatt": "Mottatt",
    "innvilget": "Innvilget",
    "avslått": "Avslått",
    "klage_til_behandling": "Klage til behandling",
    "hos_statsforvalteren": "Hos Statsforvalteren",
    "trukket": "Trukket",
    "avsluttet": "Avsluttet",
}
STATUS_COLOURS = {"mottatt": "info", "innvilget": "success", "avslått": "danger", "trukket": "neutral",
                  "avsluttet": "neutral"}

# The steps after (and around) the vedtak, each a form of its own on the case page, by the form's name;
# the fields are the applications service's own names (the Statsforvalteren's decision flattened:
# `decision.scope` is `decision_scope` here). The vedtak form itself has the name "".
STEP_FIELDS = {
    "kartlegging": ["notes", "home_visit_on"],
    "svar": ["reason", "expected_decision_by", "sent_on"],
    "klage": ["grounds", "received_on"],
    "oversending": ["reasons"],
    "sf": ["outcome", "reasons", "received_on", "decision_granted", "decision_scope", "decision_period_from",
           "decision_period_to"],
    "trekk": ["reason"],
    "slutt": ["ended_on", "reason", "withdraw_appeal"],
    "ledsagerbevis": ["granted", "valid_from", "valid_to", "reason"],
}
STEP_DONE = {
    "kartlegging": "Kartleggingen er registrert.",
    "svar": "Det foreløpige svaret er registrert.",
    "klage": "Klagen er registrert.",
    "oversending": "Klagen er sendt til Statsforvalteren.",
    "sf": "Statsforvalterens resultat er registrert.",
    "trekk": "Søknaden er registrert som trukket.",
    "slutt": "Avslutningen av tjenesten er registrert.",
    "ledsagerbevis": "Ledsagerbeviset er registrert.",
}
LEDSAGERBEVIS = {"innvilget": "Ja, ledsagerbevis gis", "avslått": "Nei, ledsagerbevis gis ikke"}
STEP_DEFAULTS = {"svar": ("sent_on",), "klage": ("received_on",), "sf": ("received_on",)}  # today
STATSFORVALTER_OUTCOMES = {"stadfestet": "Stadfestet: vedtaket står", "omgjort": "Omgjort: Statsforvalteren fattet nytt vedtak",
                           "opphevet": "Opphevet: kommunen skal behandle saken på nytt"}


def appeal_pending_at(case: dict) -> str | None:
    """Where a klage is being handled ("kommune", "statsforvalteren"), or None: as the case's appeal says."""
    appeal = case.get("appeal")
    if not appeal or appeal.get("resolution") == "trukket":
        return None
    if "resolution" not in appeal:
        return "kommune"
    if appeal["resolution"] == "oversendt_statsforvalteren" and "statsforvalter_outcome" not in appeal:
        return "statsforvalteren"
    return None


def case_steps(case: dict) -> set[str]:
    """The forms the case's state offers; the service decides again (a 409 says why not)."""
    status, pending = case["status"], appeal_pending_at(case)
    decision = case["decisions"][-1] if case["decisions"] else None
    ended = case.get("ended") or {}
    steps: set[str] = set()
    if status not in ("trukket", "avsluttet"):
        steps.add("kartlegging")
    if status == "mottatt":
        steps |= {"", "trekk"} | (set() if case.get("interim_reply") else {"svar"})
    if pending == "kommune" or (status == "avsluttet" and ended.get("decision_due")):
        steps.add("")  # omgjøring: a new vedtak on the klage
    if pending == "kommune":
        steps.add("oversending")
    if pending == "statsforvalteren":
        steps.add("sf")
    if status in ("innvilget", "avslått") and decision and not decision.get("final"):
        steps.add("klage")
    if status not in ("mottatt", "trukket", "avsluttet") and decision and decision.get("granted"):
        steps.add("slutt")
    if case.get("ledsagerbevis_asked") and status != "trukket":
        steps.add("ledsagerbevis")
    return steps


DECISION_FIELDS = ["outcome", "scope", "period_from", "period_to", "reasons"]
PAPER_FIELDS = ["scheme", "national_id", "full_name", "birth_date", "address", "area", "needs", "scope_asked",
                "received_on", "ledsagerbevis_asked"]


def schemes_for(user: StaffUser) -> dict[str, str]:
    return {key: name for key, name in SCHEMES.items() if user.sees_barnevern or key not in BARNEVERN_SCHEMES}


def scope_unit(scheme: str) -> str:
    return "døgn per måned" if scheme == "besøkshjem" else "timer per uke"


@router.get("/soknader")
async def case_list(request: Request, user: Caseworker, services: Services, status: str = "",
                    ordning: str = "", sok: str = "") -> Response:
    schemes = schemes_for(user)
    status = status if status in STATUSES else ""
    ordning = ordning if ordning in schemes else ""
    sok = sok.strip()[:100]
    cases = await services.get("applications", "/service-applications", user,
                               {"status": status, "scheme": ordning, "q": sok})
    return render(request, "cases.html", {
        "title": "Søknader", "cases": cases, "statuses": STATUSES, "schemes": schemes, "all_schemes": SCHEMES,
        "status": status, "ordning": ordning, "sok": sok, "colours": STATUS_COLOURS,
    })


# -- a paper søknad -------------------------------------------------------------------------------------


def _paper_page(request: Request, user: StaffUser, form: FormState, status_code: int = 200) -> Response:
    return render(request, "case_new.html", {
        "title": "Registrer papirsøknad", "form": form, "schemes": schemes_for(user),
        "summary": form.summary(PAPER_FIELDS), "today": date.today().isoformat(),
    }, status_code=status_code)


@router.get("/soknader/ny")
async def new_case(request: Request, user: Caseworker) -> Response:
    return _paper_page(request, user, FormState(values={"received_on": date.today().isoformat()}))


@router.post("/soknader/ny")
async def register_case(request: Request, user: Caseworker, services: Services) -> Response:
    form = await FormState.read(request)
    scheme = form.choice("scheme", schemes_for(user), "Velg hvilken ordning søknaden gjelder.")
    scope_asked = form.number("scope_asked")
    if form.errors:
        return _paper_page(request, user, form, status_code=422)
    body = {
        "scheme": scheme, "national_id": form.value("national_id"), "full_name": form.value("full_name"),
        "birth_date": form.text("birth_date"), "address": form.value("address"), "area": form.value("area"),
        "needs": form.value("needs"), "scope_asked": scope_asked, "received_on": form.text("received_on"),
        "ledsagerbevis_asked": form.value("ledsagerbevis_asked") == "ja",
    }
    try:
        receipt = await services.post("applications", "/service-applications", user, body, idempotency_key=form.key)
    except (InvalidInput, NotAllowed) as error:
        return _paper_page(request, user, form.refused(error), status_code=_status(error))
    return see_other(f"/soknader/{receipt['application_id']}?registrert=1")


# -- one case -------------------------------------------------------------------------------------------


async def _case_page(request: Request, user: StaffUser, services: ServiceClient, case_id: UUID,
                     form: FormState | None = None, status_code: int = 200, as_of: date | None = None,
                     notice: str | None = None) -> Response:
    params = {"as_of": as_of.isoformat()} if as_of else None
    case, timeline, archive = await asyncio.gather(
        services.get("applications", f"/service-applications/{case_id}", user, params),
        services.get("applications", f"/service-applications/{case_id}/timeline", user),
        _archive_status(services, user, case_id))
    if as_of:  # the timeline as it stood too: what had happened by the end of that day
        timeline = [entry for entry in timeline if _day_of(entry["at"]) <= as_of]
    steps = case_steps(case) if not as_of else set()
    today = date.today().isoformat()
    forms = {name: FormState(name=name, values={field: today for field in STEP_DEFAULTS.get(name, ())})
             for name in STEP_FIELDS}
    forms[""] = FormState()  # the vedtak
    form = form or FormState()
    forms[form.name] = form
    shown = [form.name] if form.values or form.message else []  # a form that came back is shown again, so nothing typed is lost
    return render(request, "case.html", {
        "title": f"Søknad fra {case['full_name']}", "case": case, "timeline": timeline, "form": forms[""],
        "forms": forms, "summaries": {name: forms[name].summary(fields) for name, fields in STEP_FIELDS.items()},
        "summary": forms[""].summary(DECISION_FIELDS), "outcomes": STATSFORVALTER_OUTCOMES, "schemes": SCHEMES, "statuses": STATUSES,
        "colours": STATUS_COLOURS, "unit": scope_unit(case["scheme"]), "ledsagerbevis_choices": LEDSAGERBEVIS,
        "can_decide": "" in steps, "steps": steps | set(shown), "appeal_pending": appeal_pending_at(case),
        "as_of": as_of, "today": date.today().isoformat(),
        "notice": notice, "archive": archive, "archive_statuses": ARCHIVE_STATUSES,
        "registered": "registrert" in request.query_params, "decided": "vedtak" in request.query_params,
        "done": STEP_DONE.get(request.query_params.get("utfort", "")),
    }, status_code=status_code)


ARCHIVE_STATUSES = {"levert": "Arkivert", "underveis": "Sendes til arkivet", "må_ses_på": "Må ses på",
                    "ingen": "Ingenting å arkivere ennå", "opprettet": "Venter", "feilet": "Nytt forsøk senere",
                    "stoppet": "Stoppet", "ugyldig": "Ugyldig melding"}


async def _archive_status(services: ServiceClient, user: StaffUser, case_id: UUID) -> dict | None:
    """The case's journalposter and whether each reached the archive; None while the archive is
    unavailable (the case page is shown without it)."""
    try:
        return await services.get("archive", f"/archive/subjects/{case_id}", user)
    except (ServiceUnavailable, NotFound, Forbidden):
        return None


def _day_of(moment: str) -> date:
    return datetime.fromisoformat(moment).astimezone(NORWAY).date()


@router.get("/soknader/{case_id}")
async def case_page(request: Request, case_id: UUID, user: Caseworker, services: Services, per: str = "") -> Response:
    """With `per` (a day), the case as it stood at the end of that day, read-only."""
    try:
        as_of = date.fromisoformat(per) if per else None
    except ValueError:
        as_of = None
    if as_of and as_of > date.today():
        as_of = None
    if as_of:
        try:
            return await _case_page(request, user, services, case_id, as_of=as_of)
        except NotFound:  # not received by then (or not there at all: the page without a day says which)
            return await _case_page(request, user, services, case_id,
                                    notice=f"Saken var ikke mottatt {norwegian_date(as_of)}.")
    return await _case_page(request, user, services, case_id)


@router.get("/soknader/{case_id}/brev/{number}.pdf")
async def letter_pdf(case_id: UUID, number: int, user: Caseworker, services: Services) -> Response:
    """A letter the case sent, as it was sent (the applications service checks its hash)."""
    if not 1 <= number <= 10_000:
        raise PageNotFound()
    try:
        content, media_type, headers = await services.download(
            "applications", f"/service-applications/{case_id}/letters/{number}.pdf", user)
    except (NotAllowed, NotFound):
        raise PageNotFound() from None
    return Response(content, media_type=media_type, headers=headers)


@router.post("/soknader/{case_id}/vedtak")
async def decide(request: Request, case_id: UUID, user: Caseworker, services: Services) -> Response:
    form = await FormState.read(request)
    outcome = form.choice("outcome", {"innvilget": "", "avslag": ""}, "Velg om søknaden innvilges eller avslås.")
    granted = outcome == "innvilget"
    scope = form.number("scope") if granted else None
    if form.errors:
        return await _case_page(request, user, services, case_id, form, status_code=422)
    body = {"granted": granted, "reasons": form.value("reasons")}
    if granted:
        body |= {"scope": scope, "period_from": form.text("period_from"), "period_to": form.text("period_to")}
    try:
        await services.post("applications", f"/service-applications/{case_id}/decisions", user, body,
                            idempotency_key=form.key)
    except (InvalidInput, NotAllowed) as error:
        return await _case_page(request, user, services, case_id, form.refused(error), status_code=_status(error))
    return see_other(f"/soknader/{case_id}?vedtak=1")


def _status(error: InvalidInput | NotAllowed) -> int:
    return 422 if isinstance(error, InvalidInput) else 409


# -- the steps after the vedtak (and kartlegging, foreløpig svar, withdrawal before one) -----------------


def _dropping_none(body: dict) -> dict:
    """Leave out what the person left empty: the service's default applies, or its 422 names the field."""
    return {name: value for name, value in body.items() if value is not None}


def _statsforvalter_body(form: FormState) -> dict:
    outcome = form.choice("outcome", STATSFORVALTER_OUTCOMES, "Velg Statsforvalterens resultat.")
    body = {"outcome": outcome, "reasons": form.value("reasons"), "received_on": form.text("received_on")}
    if outcome == "omgjort":
        granted = form.choice("decision_granted", {"innvilget": "", "avslag": ""},
                              "Velg om Statsforvalterens vedtak innvilger eller avslår.")
        scope = form.number("decision_scope") if granted == "innvilget" else None
        decision = {"granted": granted == "innvilget"}
        if granted == "innvilget":
            decision |= {"scope": scope, "period_from": form.text("decision_period_from"),
                         "period_to": form.text("decision_period_to")}
        body["decision"] = _dropping_none(decision)
    return _dropping_none(body)


WITHDRAW_APPEAL = {"trekkes": True, "opprettholdes": False}

STEPS = {  # form name: (the service's path under the case, the body from the form)
    "kartlegging": ("assessments", lambda form: _dropping_none(
        {"notes": form.value("notes"), "home_visit_on": form.text("home_visit_on")})),
    "svar": ("interim-reply", lambda form: _dropping_none(
        {"reason": form.value("reason"), "expected_decision_by": form.text("expected_decision_by"),
         "sent_on": form.text("sent_on")})),
    "klage": ("appeal", lambda form: _dropping_none(
        {"grounds": form.value("grounds"), "received_on": form.text("received_on")})),
    "oversending": ("appeal/forwarding", lambda form: {"reasons": form.value("reasons")}),
    "sf": ("appeal/statsforvalter-result", _statsforvalter_body),
    "trekk": ("withdrawal", lambda form: {"reason": form.value("reason")}),
    "ledsagerbevis": ("ledsagerbevis", lambda form: _dropping_none(
        {"granted": {"innvilget": True, "avslått": False}.get(form.choice(
            "granted", LEDSAGERBEVIS, "Velg om ledsagerbeviset innvilges eller avslås.")),
         "valid_from": form.text("valid_from"), "valid_to": form.text("valid_to"), "reason": form.value("reason")})),
    "slutt": ("ending", lambda form: _dropping_none(
        {"ended_on": form.text("ended_on"), "reason": form.value("reason"),
         "withdraw_appeal": WITHDRAW_APPEAL.get(form.value("withdraw_appeal"))})),
}


@router.post("/soknader/{case_id}/steg/{step}")
async def case_step(request: Request, case_id: UUID, step: str, user: Caseworker, services: Services) -> Response:
    """One step on the case (kartlegging, foreløpig svar, klage, oversending, the Statsforvalteren's result,
    withdrawal, ending): the case page again with a 422 by its field or a 409 as a message."""
    if step not in STEPS:
        raise PageNotFound()
    path, body_of = STEPS[step]
    form = await FormState.read(request, step)
    body = body_of(form)
    if form.errors:
        return await _case_page(request, user, services, case_id, form, status_code=422)
    try:
        await services.post("applications", f"/service-applications/{case_id}/{path}", user, body,
                            idempotency_key=form.key)
    except (InvalidInput, NotAllowed) as error:
        form.refused(error)
        form.errors = {name.replace("decision.", "decision_"): message for name, message in form.errors.items()}
        return await _case_page(request, user, services, case_id, form, status_code=_status(error))
    return see_other(f"/soknader/{case_id}?utfort={step}")
