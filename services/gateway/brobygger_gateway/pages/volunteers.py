"""Oppdragstakere: would-be oppdragstakere by stage, and a person's page with the approval steps still
open: interview, politiattest (and the decision on its remarks), taushetserklæring, approval, refusal.
The applications service decides every step (in any order) and says why when one is not allowed."""

import asyncio
from datetime import date
from uuid import UUID

from fastapi import Request
from fastapi.responses import Response

from brobygger_gateway.application import InvalidInput, NotAllowed, ServiceClient
from brobygger_gateway.domain import StaffUser
from brobygger_gateway.pages import Caseworker, PageNotFound, Services, render, router, see_other
from brobygger_gateway.pages.forms import FormState

STAGES = {
    "venter_på_intervju": "Venter på intervju",
    "venter_på_politiattest": "Venter på politiattest",
    "venter_på_taushetserklæring": "Venter på taushetserklæring",
    "klar_for_godkjenning": "Klar for godkjenning",
    "godkjent": "Godkjent",
    "avslått": "Avslått",
}
OPEN_STAGES = ["venter_på_intervju", "venter_på_politiattest", "venter_på_taushetserklæring", "klar_for_godkjenning"]
STAGE_COLOURS = {"klar_for_godkjenning": "warning", "godkjent": "success", "avslått": "danger"}
ASSESSMENTS = {"egnet": "Egnet", "ikke_egnet": "Ikke egnet", "usikker": "Usikker"}
CERTIFICATE_KINDS = {"ordinær": "Ordinær politiattest", "barneomsorgsattest": "Barneomsorgsattest"}
YES_NO = {"ja": "Ja", "nei": "Nei"}

# Each step: its form's fields (the service's names), its path at the service, and what it sends.
STEPS = {
    "intervju": ["held_on", "assessment", "notes"],
    "politiattest": ["kind", "issued_on", "has_remarks"],
    "merknader": ["accepted", "reason"],
    "taushetserklaering": ["signed_on"],
    "godkjenning": [],
    "avslag": ["reasons"],
}
DONE = {
    "intervju": "Intervjuet er registrert.",
    "politiattest": "Politiattesten er registrert.",
    "merknader": "Vurderingen av merknadene er registrert.",
    "taushetserklaering": "Taushetserklæringen er registrert.",
    "godkjenning": "Oppdragstakeren er godkjent.",
    "avslag": "Søknaden er avslått.",
}


@router.get("/oppdragstakere")
async def volunteer_list(request: Request, user: Caseworker, services: Services, fase: str = "") -> Response:
    fase = fase if fase in STAGES else ""
    rows = await services.get("applications", "/volunteer-applications", user, {"stage": fase})
    return render(request, "volunteers.html", {
        "title": "Oppdragstakere", "volunteers": rows, "stages": STAGES, "fase": fase, "colours": STAGE_COLOURS,
    })


def open_steps(volunteer: dict) -> list[str]:
    """The steps a caseworker may take now, in the order they are usually taken."""
    if volunteer["stage"] in ("godkjent", "avslått"):
        return []
    certificate = volunteer.get("certificate")
    steps = []
    if not volunteer.get("interview") or volunteer["stage"] == "venter_på_intervju":
        steps.append("intervju")
    if not certificate:
        steps.append("politiattest")
    elif certificate.get("has_remarks") and certificate.get("remarks_decision") is None:
        steps.append("merknader")
    if not volunteer.get("declaration_signed_on"):
        steps.append("taushetserklaering")
    if volunteer["stage"] == "klar_for_godkjenning":
        steps.append("godkjenning")
    steps.append("avslag")
    return steps


async def _person_page(request: Request, user: StaffUser, services: ServiceClient, application_id: UUID,
                       form: FormState | None = None, status_code: int = 200) -> Response:
    volunteer, timeline = await asyncio.gather(
        services.get("applications", f"/volunteer-applications/{application_id}", user),
        services.get("applications", f"/volunteer-applications/{application_id}/timeline", user))
    today = date.today().isoformat()
    forms = {step: FormState(name=step) for step in STEPS}
    forms["intervju"].values = {"held_on": today}
    forms["politiattest"].values = {"kind": volunteer["required_certificate_kind"]}
    forms["taushetserklaering"].values = {"signed_on": today}
    if form is not None:
        forms[form.name] = form
    done = request.query_params.get("utfort", "")
    return render(request, "volunteer.html", {
        "title": volunteer["full_name"], "volunteer": volunteer, "timeline": timeline, "forms": forms,
        "steps": open_steps(volunteer), "stages": STAGES, "colours": STAGE_COLOURS, "assessments": ASSESSMENTS,
        "kinds": CERTIFICATE_KINDS, "yes_no": YES_NO, "done": DONE.get(done, ""), "today": today,
        "summary": form.summary(STEPS[form.name]) if form is not None else [], "failed": form,
    }, status_code=status_code)


@router.get("/oppdragstakere/{application_id}")
async def person_page(request: Request, application_id: UUID, user: Caseworker, services: Services) -> Response:
    return await _person_page(request, user, services, application_id)


def _body(step: str, form: FormState) -> tuple[str, dict]:
    match step:
        case "intervju":
            form.choice("assessment", ASSESSMENTS, "Velg vurderingen etter intervjuet.")
            return "/interview", {"held_on": form.text("held_on"), "assessment": form.value("assessment"),
                                  "notes": form.value("notes")}
        case "politiattest":
            form.choice("kind", CERTIFICATE_KINDS, "Velg hvilken attest som ble lagt fram.")
            form.choice("has_remarks", YES_NO, "Svar på om attesten har merknader.")
            return "/police-certificate", {"kind": form.value("kind"), "issued_on": form.text("issued_on"),
                                           "has_remarks": form.value("has_remarks") == "ja"}
        case "merknader":
            form.choice("accepted", YES_NO, "Svar på om merknadene godtas.")
            return "/police-certificate/remarks-decision", {"accepted": form.value("accepted") == "ja",
                                                            "reason": form.value("reason")}
        case "taushetserklaering":
            return "/confidentiality-declaration", {"signed_on": form.text("signed_on")}
        case "godkjenning":
            return "/approval", {}
        case _:
            return "/rejection", {"reasons": form.value("reasons")}


@router.post("/oppdragstakere/{application_id}/{step}")
async def take_step(request: Request, application_id: UUID, step: str, user: Caseworker,
                    services: Services) -> Response:
    if step not in STEPS:
        raise PageNotFound()
    form = await FormState.read(request, name=step)
    path, body = _body(step, form)
    if form.errors:
        return await _person_page(request, user, services, application_id, form, status_code=422)
    try:
        await services.post("applications", f"/volunteer-applications/{application_id}{path}", user, body,
                            idempotency_key=form.key)
    except (InvalidInput, NotAllowed) as error:
        return await _person_page(request, user, services, application_id, form.refused(error),
                                  status_code=422 if isinstance(error, InvalidInput) else 409)
    return see_other(f"/oppdragstakere/{application_id}?utfort={step}")
