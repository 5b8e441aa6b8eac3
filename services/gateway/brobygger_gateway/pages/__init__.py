"""The staff web UI: server-rendered pages (Jinja2, Designsystemet's CSS, htmx 2), one module per
area. Every page calls the services through `ServiceClient` as the signed-in person; the services
decide and check roles again. Bokmål for everything a person sees.

`router` holds every page; `install` adds the page errors (sign-in needed, a part unavailable, not
found, no access) as pages, not problem+json.
"""

from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote
from uuid import uuid4

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from brobygger_gateway import sessions
from brobygger_gateway.application import Forbidden, NotFound, ServiceClient, ServiceUnavailable
from brobygger_gateway.domain import StaffUser
from brobygger_shared import words
from brobygger_shared.calendar import MONTH_NAMES, norwegian_date

WEB = Path(__file__).resolve().parent.parent / "web"
templates = Jinja2Templates(directory=WEB / "templates")


class SignInRequired(Exception):
    pass


class NoAccess(Exception):
    """The person's roles do not allow this page."""


class PageNotFound(Exception):
    pass


def current_user(request: Request) -> StaffUser:
    user = sessions.signed_in_user(request)
    if user is None:
        raise SignInRequired()
    return user


User = Annotated[StaffUser, Depends(current_user)]


def caseworker(user: User) -> StaffUser:
    if not user.handles_cases:
        raise NoAccess()
    return user


Caseworker = Annotated[StaffUser, Depends(caseworker)]


def payroll_officer(user: User) -> StaffUser:
    if not user.handles_payroll:
        raise NoAccess()
    return user


PayrollOfficer = Annotated[StaffUser, Depends(payroll_officer)]

BARNEVERN_SCHEMES = {"støttekontakt_barnevern", "besøkshjem"}


def may_see(user: StaffUser, scheme: str | None) -> bool:
    """A barnevern scheme's cases, matches, contracts and timesheets only for the barnevern role. Every
    service filters by the caller's roles itself; the pages check again where they show a thing by id."""
    return user.sees_barnevern or str(scheme) not in BARNEVERN_SCHEMES


def service_client(request: Request) -> ServiceClient:
    return request.app.state.services


Services = Annotated[ServiceClient, Depends(service_client)]


def csrf_token(request: Request) -> str:
    make = request.scope.get("csrftoken")
    return make() if make else ""


def render(request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200) -> HTMLResponse:
    context = {"user": sessions.signed_in_user(request), "csrf_token": csrf_token(request), **(context or {})}
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def see_other(url: str) -> RedirectResponse:
    """After a form: go to the page that shows the result (POST, redirect, GET)."""
    return RedirectResponse(url, status_code=303)


def norwegian_datetime(value: Any) -> str:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    return f"{norwegian_date(value.date())} kl. {value:%H:%M}"


def _norwegian_date(value: Any) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    return norwegian_date(value)


def kroner(ore: Any) -> str:
    """Øre as Norwegian kroner, as the letters write them; empty for no amount."""
    return "" if ore in (None, "") else words.kroner(int(ore))


def number(value: Any) -> str:
    """2.5 as "2,5", 3.0 as "3"."""
    if value in (None, ""):
        return ""
    try:
        return f"{float(value):.2f}".rstrip("0").rstrip(".").replace(".", ",")
    except (TypeError, ValueError):
        return str(value)


def period_name(period: Any) -> str:
    """"2026-11" as "november 2026"."""
    try:
        year, month = str(period).split("-")
        return f"{MONTH_NAMES[int(month) - 1]} {year}"
    except (ValueError, IndexError):
        return str(period or "")


def failure_status(error: Exception) -> int:
    """The status a page that shows a service's refusal answers with: 422 for input, 409 for a state."""
    from brobygger_gateway.application import InvalidInput
    return 422 if isinstance(error, InvalidInput) else 409


templates.env.globals["new_key"] = lambda: str(uuid4())
templates.env.filters["kroner"] = kroner
templates.env.filters["tall"] = number
templates.env.filters["periode"] = period_name
templates.env.filters["dato"] = _norwegian_date
templates.env.filters["tidspunkt"] = norwegian_datetime
templates.env.filters["ord"] = lambda value: str(value).replace("_", " ") if value is not None else ""


def install(app: FastAPI) -> None:
    @app.exception_handler(SignInRequired)
    async def sign_in(request: Request, _: SignInRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        expired = "&utlopt=1" if sessions.session_expired(request) else ""
        return RedirectResponse(f"/logg-inn?neste={quote(target, safe='')}{expired}", status_code=303)

    @app.exception_handler(ServiceUnavailable)
    async def unavailable(request: Request, error: ServiceUnavailable) -> Response:
        return render(request, "unavailable.html", {"part": error.part}, status_code=503)

    @app.exception_handler(NoAccess)
    async def no_access(request: Request, _: NoAccess) -> Response:
        return render(request, "no_access.html", status_code=403)

    # A barnevern case a person may not see does not exist for them: 403 from a service reads as 404.
    @app.exception_handler(NotFound)
    @app.exception_handler(Forbidden)
    @app.exception_handler(PageNotFound)
    async def not_found(request: Request, _: Exception) -> Response:
        return render(request, "not_found.html", status_code=404)


router = APIRouter(include_in_schema=False)
