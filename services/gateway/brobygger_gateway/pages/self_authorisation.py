"""Selvautorisering: a caseworker opens a case their roles do not allow, in an emergency, with a reason
from a short list and an explanation; the case opens to them (and only to them) for
SELF_AUTHORISATION_MINUTES, and every such opening is listed for the leader (role leder) at
/selvautorisering/rapport. To anyone else the report does not exist (404)."""

from datetime import UTC, datetime, timedelta
from uuid import UUID

from fastapi import Request
from fastapi.responses import Response

from brobygger_gateway import self_authorisations
from brobygger_gateway.domain import LEADER, SELF_AUTHORISATION_REASONS
from brobygger_gateway.pages import Caseworker, PageNotFound, User, render, router, see_other
from brobygger_gateway.pages.forms import FormState
from brobygger_gateway.sessions import USER_KEY

FIELDS = ["case_id", "reason", "explanation"]


def _page(request: Request, form: FormState, status_code: int = 200) -> Response:
    minutes = request.app.state.self_authorisation_minutes
    return render(request, "self_authorisation.html", {
        "title": "Selvautorisering", "form": form, "reasons": SELF_AUTHORISATION_REASONS,
        "summary": form.summary(FIELDS), "hours": minutes / 60,
    }, status_code=status_code)


@router.get("/selvautorisering")
async def self_authorisation_form(request: Request, user: Caseworker, sak: str = "") -> Response:
    return _page(request, FormState(values={"case_id": sak[:36]}))


@router.post("/selvautorisering")
async def self_authorise(request: Request, user: Caseworker) -> Response:
    form = await FormState.read(request)
    try:
        case_id = UUID(form.value("case_id"))
    except ValueError:
        case_id = None
        form.errors["case_id"] = "Skriv sakens id, slik den står i adressen til saken."
    reason = form.choice("reason", SELF_AUTHORISATION_REASONS, "Velg hvorfor du må åpne saken.")
    explanation = form.value("explanation")
    if len(explanation) < 10:
        form.errors["explanation"] = "Forklar kort hva som har skjedd (minst 10 tegn)."
    elif len(explanation) > 2000:
        form.errors["explanation"] = "Forklaringen kan ha høyst 2000 tegn."
    if form.errors or case_id is None or reason is None:
        return _page(request, form, status_code=422)
    now = datetime.now(UTC)
    until = now + timedelta(minutes=request.app.state.self_authorisation_minutes)
    await self_authorisations.record(request.app.state.runtime.read_pool, user.user_id, sorted(user.roles),
                                     case_id, reason, explanation, now, until)
    request.scope["session"][USER_KEY] = user.with_grant(str(case_id), until, now).to_dict()
    return see_other(f"/soknader/{case_id}")


@router.get("/selvautorisering/rapport")
async def self_authorisation_report(request: Request, user: User) -> Response:
    if not user.has(LEADER):
        raise PageNotFound()
    rows = await self_authorisations.latest(request.app.state.runtime.read_pool)
    now = datetime.now(UTC)
    return render(request, "self_authorisation_report.html", {
        "title": "Selvautoriseringer", "rows": rows, "reasons": SELF_AUTHORISATION_REASONS, "now": now,
    })
