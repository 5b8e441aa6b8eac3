"""Matching: the waiting list (granted cases without an oppdragstaker, longest waiting first), one
case's candidates ranked with each one's explanation and the excluded ones with their reasons, a
proposal, the whole list's suggestion (staff pick the proposals to make), each side's answer in
principle, the first meeting (planned, then confirmed by both), and the follow-up of a match made
(the contacts held, and those due).

The matching service decides and explains; barnevern cases are left out of its lists for people
without the barnevern role, and a match it shows by id is filtered here by its scheme."""

import asyncio
from datetime import date
from uuid import UUID

from fastapi import Request
from fastapi.responses import Response

from brobygger_gateway.application import InvalidInput, NotAllowed, NotFound, ServiceClient
from brobygger_gateway.domain import StaffUser
from brobygger_gateway.pages import (
    Caseworker, PageNotFound, Services, failure_status, may_see, render, router, see_other,
)
from brobygger_gateway.pages.cases import SCHEMES
from brobygger_gateway.pages.forms import FormState

PARTIES = {"bruker": "Brukeren (eller familien)", "oppdragstaker": "Oppdragstakeren"}
MATCH_STATUSES = {"foreslått": "Venter på svar", "første_møte": "Første møte", "matchet": "Matchet",
                  "avslått": "Avslått", "utløpt": "Utløpt"}
MATCH_COLOURS = {"foreslått": "warning", "første_møte": "info", "matchet": "success", "avslått": "danger",
                 "utløpt": "neutral"}
OUTCOMES = {"fortsetter": "Oppdraget fortsetter", "endres": "Oppdraget endres", "bør_avsluttes": "Oppdraget bør avsluttes"}
MEETING_FIELDS = ["meeting_on", "place", "kommune_attendee"]
FOLLOW_UP_FIELDS = ["held_on", "held_by", "note", "outcome"]
UNITS = {"timer_per_uke": "timer per uke", "døgn_per_måned": "døgn per måned"}
DECLINE_FIELDS = ["party", "reason"]


async def _case_names(services: ServiceClient, user: StaffUser, application_ids) -> dict[str, str]:
    """The citizens' names by case id, of these cases only, as applications lets this person see them (its
    list by id, 100 at a time, all at once)."""
    ids = sorted({str(application_id) for application_id in application_ids})
    parts = await asyncio.gather(*(services.get("applications", "/service-applications", user, {"id": ids[i:i + 100]})
                                   for i in range(0, len(ids), 100)))
    return {str(row["application_id"]): row["full_name"] for part in parts for row in part}


async def _volunteer_names(services: ServiceClient, user: StaffUser) -> dict[str, str]:
    candidates = await services.get("matching", "/candidates", user, {"stage": "godkjent"})
    return {str(row["volunteer_id"]): row["full_name"] for row in candidates}


async def _open_matches(services: ServiceClient, user: StaffUser, status: str = "foreslått") -> list[dict]:
    """Proposals waiting for an answer (or for their first meeting), as matching lists them for this
    person's roles; each one's own answers so far (who has said yes) from the proposal itself."""
    rows = await services.get("matching", "/matches", user, {"status": status})
    matches = await asyncio.gather(*(services.get("matching", f"/matches/{row['match_id']}", user)
                                     for row in rows[:100]), return_exceptions=True)
    return [match for match in matches if isinstance(match, dict) and match["status"] == status]


@router.get("/matching")
async def waiting_list(request: Request, user: Caseworker, services: Services) -> Response:
    waiting, volunteers, proposals, meetings = await asyncio.gather(
        services.get("matching", "/waiting-list", user), _volunteer_names(services, user),
        _open_matches(services, user), _open_matches(services, user, "første_møte"))
    cases = await _case_names(services, user, [row["application_id"] for row in [*waiting, *proposals, *meetings]])
    waiting = [row for row in waiting if str(row["application_id"]) in cases]  # as applications lets them see
    return render(request, "matching.html", {
        "title": "Matching", "waiting": waiting, "cases": cases, "volunteers": volunteers, "proposals": proposals,
        "meetings": meetings,
        "schemes": SCHEMES, "units": UNITS, "proposed": request.query_params.get("foreslatt", ""),
    })


# -- the whole list at once ----------------------------------------------------------------------------


@router.post("/matching/forslag-for-listen")
async def suggest(request: Request, user: Caseworker, services: Services) -> Response:
    suggestion = await services.post("matching", "/waiting-list/suggestions", user)
    cases = await _case_names(services, user, [row["application_id"]
                                               for row in [*suggestion["suggestions"], *suggestion["left_out"]]])
    rows = [row for row in suggestion["suggestions"] if str(row["application_id"]) in cases]
    return render(request, "matching_suggestions.html", {
        "title": "Forslag for hele ventelisten", "suggestions": rows, "cases": cases,
        "left_out": [row for row in suggestion["left_out"] if str(row["application_id"]) in cases],
        "form": FormState(), "results": [],
    })


@router.post("/matching/foresla-valgte")
async def propose_chosen(request: Request, user: Caseworker, services: Services) -> Response:
    form = await request.form()
    chosen = [str(value) for value in form.getlist("valgt")][:200]
    pairs = []
    for value in chosen:
        try:
            application_id, volunteer_id = (UUID(part) for part in value.split(":"))
        except ValueError:
            continue
        pairs.append((application_id, volunteer_id))
    if not pairs:
        return see_other("/matching?foreslatt=0")

    async def one(application_id: UUID, volunteer_id: UUID) -> str | None:
        try:
            await services.post("matching", "/matches", user, {"application_id": str(application_id),
                                                                "volunteer_id": str(volunteer_id)})
            return None
        except (InvalidInput, NotAllowed) as error:
            return error.detail
        except NotFound:
            return "Fant ikke saken."

    failures = await asyncio.gather(*(one(*pair) for pair in pairs))
    if not any(failures):
        return see_other(f"/matching?foreslatt={len(pairs)}")
    cases, volunteers = await asyncio.gather(_case_names(services, user, [a for a, _ in pairs]),
                                             _volunteer_names(services, user))
    results = [{"case": cases.get(str(a), "Ukjent sak"), "volunteer": volunteers.get(str(v), ""), "failure": failure}
               for (a, v), failure in zip(pairs, failures)]
    return render(request, "matching_suggestions.html", {
        "title": "Forslag for hele ventelisten", "suggestions": [], "cases": cases, "left_out": [],
        "form": FormState(), "results": results,
    }, status_code=409)


# -- one case: the candidates ranked -------------------------------------------------------------------


async def _case_page(request: Request, user: StaffUser, services: ServiceClient, application_id: UUID,
                     form: FormState | None = None, status_code: int = 200) -> Response:
    case = await services.get("applications", f"/service-applications/{application_id}", user)
    message = ""
    try:
        ranked = await services.get("matching", f"/waiting-list/{application_id}/candidates", user)
    except NotAllowed as error:
        ranked, message = [], error.detail
    form = form or FormState()
    return render(request, "matching_case.html", {
        "title": f"Kandidater for {case['full_name']}", "case": case, "message": message,
        "eligible": [row for row in ranked if row["eligible"]],
        "excluded": [row for row in ranked if not row["eligible"]],
        "schemes": SCHEMES, "form": form, "summary": form.summary([]),
    }, status_code=status_code)


@router.get("/matching/sak/{application_id}")
async def case_candidates(request: Request, application_id: UUID, user: Caseworker, services: Services) -> Response:
    return await _case_page(request, user, services, application_id)


@router.post("/matching/sak/{application_id}/forslag")
async def propose(request: Request, application_id: UUID, user: Caseworker, services: Services) -> Response:
    form = await FormState.read(request)
    try:
        volunteer_id = UUID(form.value("volunteer_id"))
    except ValueError:
        raise PageNotFound() from None
    try:
        match = await services.post("matching", "/matches", user, {"application_id": str(application_id),
                                                                    "volunteer_id": str(volunteer_id)},
                                    idempotency_key=form.key)
    except (InvalidInput, NotAllowed) as error:
        return await _case_page(request, user, services, application_id, form.refused(error),
                                status_code=failure_status(error))
    return see_other(f"/matching/forslag/{match['match_id']}?utfort=forslag")


# -- one proposal: the answers -------------------------------------------------------------------------

DONE = {"forslag": "Forslaget er sendt.", "ja": "Svaret er registrert.", "nei": "Avslaget er registrert.",
        "mote": "Det første møtet er planlagt.", "bekreftet": "Bekreftelsen er registrert.",
        "oppfolging": "Oppfølgingen er registrert.", "gruppe": "Gruppeoppdraget er registrert."}
GROUP_SCHEMES = ("støttekontakt", "støttekontakt_barnevern")


async def _match_page(request: Request, user: StaffUser, services: ServiceClient, match_id: UUID,
                      form: FormState | None = None, status_code: int = 200, meeting: FormState | None = None,
                      follow_up: FormState | None = None, group: FormState | None = None) -> Response:
    match = await services.get("matching", f"/matches/{match_id}", user)
    if not may_see(user, match["scheme"]):
        raise PageNotFound()
    group_open = match["status"] == "matchet" and match["scheme"] in GROUP_SCHEMES
    case, candidates, contracts = await asyncio.gather(
        services.get("applications", f"/service-applications/{match['application_id']}", user),
        services.get("matching", "/candidates", user, {"stage": "godkjent"}),
        _contracts_of(services, user, match) if match["status"] == "matchet" else _nothing())
    waiting = (await services.get("matching", "/waiting-list", user)
               if group_open and not match.get("group_members") else [])
    joinable = [row for row in waiting if row["scheme"] in GROUP_SCHEMES
                and str(row["application_id"]) != str(match["application_id"])]
    names = await _case_names(services, user, [*match.get("group_members", []),
                                               *(row["application_id"] for row in joinable)]) if group_open else {}
    volunteer = next((row["full_name"] for row in candidates if str(row["volunteer_id"]) == str(match["volunteer_id"])),
                     "Oppdragstakeren")
    form = form or FormState(name="avslag")
    meeting = meeting or FormState(name="mote", values={"kommune_attendee": user.name, **_planned(match)})
    follow_up = follow_up or FormState(name="oppfolging", values={"held_by": user.name,
                                                                   "held_on": date.today().isoformat()})
    return render(request, "matching_match.html", {
        "title": f"Forslag: {volunteer} for {case['full_name']}", "match": match, "case": case, "volunteer": volunteer,
        "parties": PARTIES, "statuses": MATCH_STATUSES, "colours": MATCH_COLOURS, "schemes": SCHEMES,
        "waiting_for": [party for party in PARTIES if party not in match["accepted_by"]],
        "form": form, "summary": [*form.summary(DECLINE_FIELDS), *meeting.summary(MEETING_FIELDS),
                                  *follow_up.summary(FOLLOW_UP_FIELDS),
                                  *(group.summary(["members", "partner"]) if group else [])],
        "meeting": meeting, "follow_up": follow_up, "outcomes": OUTCOMES, "contracts": contracts,
        "not_confirmed": [party for party in PARTIES if party not in match.get("confirmed_by", [])],
        "today": date.today(), "group_open": group_open, "group": group or FormState(name="gruppe"),
        "joinable": [(str(row["application_id"]), names.get(str(row["application_id"]), "Saken")) for row in joinable],
        "members": [names.get(str(member), "Saken") for member in match.get("group_members", [])],
        "done": DONE.get(request.query_params.get("utfort", ""), ""),
    }, status_code=status_code)


def _planned(match: dict) -> dict:
    meeting = match.get("first_meeting")
    return {"meeting_on": str(meeting["meeting_on"]), "place": meeting["place"],
            "kommune_attendee": meeting["kommune_attendee"]} if meeting else {}


async def _nothing() -> list:
    return []


async def _contracts_of(services: ServiceClient, user: StaffUser, match: dict) -> list[dict]:
    rows = await services.get("contracts", "/contracts", user)
    return [row for row in rows if str(row["application_id"]) == str(match["application_id"])
            and str(row["volunteer_id"]) == str(match["volunteer_id"])]


@router.get("/matching/forslag/{match_id}")
async def match_page(request: Request, match_id: UUID, user: Caseworker, services: Services) -> Response:
    return await _match_page(request, user, services, match_id)


@router.post("/matching/forslag/{match_id}/ja")
async def accept(request: Request, match_id: UUID, user: Caseworker, services: Services) -> Response:
    form = await FormState.read(request, name="ja")
    party = form.choice("party", PARTIES, "Velg hvem som har takket ja.")
    if form.errors:
        return await _match_page(request, user, services, match_id, form, status_code=422)
    await _visible_match(services, user, match_id)
    try:
        await services.post("matching", f"/matches/{match_id}/acceptance", user, {"party": party},
                            idempotency_key=form.key)
    except (InvalidInput, NotAllowed) as error:
        return await _match_page(request, user, services, match_id, form.refused(error),
                                 status_code=failure_status(error))
    return see_other(f"/matching/forslag/{match_id}?utfort=ja")


@router.post("/matching/forslag/{match_id}/nei")
async def decline(request: Request, match_id: UUID, user: Caseworker, services: Services) -> Response:
    form = await FormState.read(request, name="avslag")
    party = form.choice("party", PARTIES, "Velg hvem som takket nei.")
    if not form.value("reason"):
        form.errors["reason"] = "Skriv hvorfor forslaget ble avslått."
    if form.errors:
        return await _match_page(request, user, services, match_id, form, status_code=422)
    await _visible_match(services, user, match_id)
    try:
        await services.post("matching", f"/matches/{match_id}/decline", user,
                            {"party": party, "reason": form.value("reason")}, idempotency_key=form.key)
    except (InvalidInput, NotAllowed) as error:
        return await _match_page(request, user, services, match_id, form.refused(error),
                                 status_code=failure_status(error))
    return see_other(f"/matching/forslag/{match_id}?utfort=nei")


async def _visible_match(services: ServiceClient, user: StaffUser, match_id: UUID) -> None:
    match = await services.get("matching", f"/matches/{match_id}", user)
    if not may_see(user, match["scheme"]):
        raise PageNotFound()


@router.post("/matching/forslag/{match_id}/forste-mote")
async def plan_first_meeting(request: Request, match_id: UUID, user: Caseworker, services: Services) -> Response:
    form = await FormState.read(request, name="mote")
    for name, message in (("meeting_on", "Velg datoen for møtet."), ("place", "Skriv hvor møtet holdes."),
                          ("kommune_attendee", "Skriv hvem fra kommunen som deltar.")):
        if not form.value(name):
            form.errors[name] = message
    if form.errors:
        return await _match_page(request, user, services, match_id, status_code=422, meeting=form)
    await _visible_match(services, user, match_id)
    try:
        await services.put("matching", f"/matches/{match_id}/first-meeting", user,
                           {name: form.value(name) for name in MEETING_FIELDS}, idempotency_key=form.key)
    except (InvalidInput, NotAllowed) as error:
        return await _match_page(request, user, services, match_id, status_code=failure_status(error),
                                 meeting=form.refused(error))
    return see_other(f"/matching/forslag/{match_id}?utfort=mote")


@router.post("/matching/forslag/{match_id}/bekreft")
async def confirm(request: Request, match_id: UUID, user: Caseworker, services: Services) -> Response:
    form = await FormState.read(request, name="bekreft")
    party = form.choice("party", PARTIES, "Velg hvem som bekrefter.")
    if form.errors:
        return await _match_page(request, user, services, match_id, form, status_code=422)
    await _visible_match(services, user, match_id)
    try:
        await services.post("matching", f"/matches/{match_id}/confirmation", user, {"party": party},
                            idempotency_key=form.key)
    except (InvalidInput, NotAllowed) as error:
        return await _match_page(request, user, services, match_id, form.refused(error),
                                 status_code=failure_status(error))
    return see_other(f"/matching/forslag/{match_id}?utfort=bekreftet")


@router.post("/matching/forslag/{match_id}/oppfolging")
async def record_follow_up(request: Request, match_id: UUID, user: Caseworker, services: Services) -> Response:
    form = await FormState.read(request, name="oppfolging")
    outcome = form.choice("outcome", OUTCOMES, "Velg om oppdraget fortsetter, endres eller bør avsluttes.")
    for name, message in (("held_on", "Velg datoen oppfølgingen ble holdt."),
                          ("held_by", "Skriv hvem som holdt oppfølgingen.")):
        if not form.value(name):
            form.errors[name] = message
    if form.errors:
        return await _match_page(request, user, services, match_id, status_code=422, follow_up=form)
    await _visible_match(services, user, match_id)
    try:
        await services.post("matching", f"/matches/{match_id}/follow-ups", user, {
            "held_on": form.value("held_on"), "held_by": form.value("held_by"), "note": form.value("note"),
            "outcome": outcome}, idempotency_key=form.key)
    except (InvalidInput, NotAllowed) as error:
        return await _match_page(request, user, services, match_id, status_code=failure_status(error),
                                 follow_up=form.refused(error))
    return see_other(f"/matching/forslag/{match_id}?utfort=oppfolging")


@router.get("/matching/oppfolging")
async def follow_ups_due(request: Request, user: Caseworker, services: Services) -> Response:
    """The matches whose follow-up is due today or overdue, overdue first."""
    due = await services.get("matching", "/follow-ups/due", user)
    cases = await _case_names(services, user, [row["application_id"] for row in due])
    due = [row for row in due if str(row["application_id"]) in cases]
    return render(request, "matching_follow_ups.html", {
        "title": "Oppfølging som skal holdes", "due": due, "cases": cases, "schemes": SCHEMES, "outcomes": OUTCOMES,
    })


@router.post("/matching/forslag/{match_id}/gruppe")
async def form_group(request: Request, match_id: UUID, user: Caseworker, services: Services) -> Response:
    form = await FormState.read(request, name="gruppe")
    members = [name.removeprefix("medlem-") for name, value in form.values.items()
               if name.startswith("medlem-") and value == "ja"]
    if not members:
        form.errors["members"] = "Velg minst én bruker til i gruppen."
        return await _match_page(request, user, services, match_id, status_code=422, group=form)
    await _visible_match(services, user, match_id)
    try:
        await services.put("matching", f"/matches/{match_id}/group", user,
                           {"members": members, "partner": form.text("partner")}, idempotency_key=form.key)
    except (InvalidInput, NotAllowed) as error:
        return await _match_page(request, user, services, match_id, status_code=failure_status(error),
                                 group=form.refused(error))
    return see_other(f"/matching/forslag/{match_id}?utfort=gruppe")
