"""Tilgangslogg: for the auditor (role revisor), who has looked at a given person across all services,
newest first, and the self-authorisations that opened the person's case. Each service answers its own
access log (`GET /access-log`, revisor only, brobygger_shared.access_log), gathered with the gateway's own
(access_records.py); the self-authorisations table is read here. A service that does not answer is named, the rest shown. To
anyone without the role the page does not exist (404)."""

from uuid import UUID

from fastapi import Request
from fastapi.responses import Response

from brobygger_gateway import self_authorisations
from brobygger_gateway.access_records import gathered
from brobygger_gateway.application import PART_NAMES
from brobygger_gateway.domain import SELF_AUTHORISATION_REASONS, StaffUser
from brobygger_gateway.pages import PageNotFound, User, render, router
from brobygger_shared.access_log import REVISOR

LIMIT = 500


def auditor(user: StaffUser) -> StaffUser:
    if not user.has(REVISOR):
        raise PageNotFound()
    return user


@router.get("/tilgangslogg")
async def access_log_page(request: Request, user: User, person: str = "") -> Response:
    auditor(user)
    person = person.strip()[:36]
    context = {"title": "Tilgangslogg", "person": person, "records": None, "grants": [], "unavailable": [],
               "error": None, "parts": PART_NAMES, "reasons": SELF_AUTHORISATION_REASONS}
    if person:
        try:
            person_id = str(UUID(person))
        except ValueError:
            context["error"] = "Skriv id-en til saken, søknaden, oppdragstakeren eller avtalen."
            return render(request, "access_log.html", context, status_code=422)
        context["records"], context["unavailable"] = await gathered(request, request.app.state.services, user,
                                                                      person_id, LIMIT)
        context["grants"] = [row for row in await self_authorisations.latest(request.app.state.runtime.read_pool)
                             if str(row["case_id"]) == person_id]
    return render(request, "access_log.html", context)
