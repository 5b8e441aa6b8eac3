"""Tilgangslogg: for the auditor (role revisor), who has looked at a given person across all services,
newest first, and the self-authorisations that opened the person's case. Each service answers its own
access log (`GET /access-log`, revisor only, brobygger_shared.access_log); the gateway's own log and its
self-authorisations table are read here. A service that does not answer is named, the rest shown. To
anyone without the role the page does not exist (404)."""

from datetime import datetime
from uuid import UUID

from fastapi import Request
from fastapi.responses import Response

from brobygger_gateway import self_authorisations
from brobygger_gateway.application import PART_NAMES, ServiceError
from brobygger_gateway.domain import SELF_AUTHORISATION_REASONS, StaffUser
from brobygger_gateway.pages import PageNotFound, User, render, router
from brobygger_shared.access_log import REVISOR

LIMIT = 500


def auditor(user: StaffUser) -> StaffUser:
    if not user.has(REVISOR):
        raise PageNotFound()
    return user


async def _records(request: Request, user: StaffUser, person_id: str) -> tuple[list[dict], list[str]]:
    services = request.app.state.services
    records, unavailable = [], []
    for service in services.urls:
        if service == "gateway":  # its own log is read directly below, not over HTTP (it would be there twice)
            continue
        try:
            answer = await services.get(service, "/access-log", user, params={"person_id": person_id, "limit": LIMIT})
        except ServiceError:
            unavailable.append(PART_NAMES.get(service, service))
            continue
        records.extend(answer["records"])
    own = await request.app.state.runtime.access_log.about(person_id, LIMIT)
    records.extend(record.model_dump(mode="json") for record in own)
    for record in records:
        record["at"] = datetime.fromisoformat(record["at"]) if isinstance(record["at"], str) else record["at"]
    records.sort(key=lambda record: record["at"], reverse=True)
    return records, unavailable


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
        context["records"], context["unavailable"] = await _records(request, user, person_id)
        context["grants"] = [row for row in await self_authorisations.latest(request.app.state.runtime.read_pool)
                             if str(row["case_id"]) == person_id]
    return render(request, "access_log.html", context)
