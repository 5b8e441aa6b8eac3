"""The self-service portal: pages for citizens and oppdragstakere, signed in through ID-porten. A
separate part of the gateway from the staff pages: its own routers (all under /portal), templates
(web/templates/portal/), session cookie (`sessions.PORTAL`) and page errors. A person here is a
`Person` (their identity number from ID-porten's `pid`); the services get them as role `innbygger`
with that number as the token's `pid`, and answer only about their own.

`router` holds the portal's common pages (front page, sign-in); each area adds its own router to
`ROUTERS` (see `main`). Every POST is CSRF-protected (the app's `Csrf` middleware protects every path a
portal route accepts a POST on) and rate-limited (`limits.form_limit`).
"""

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from brobygger_gateway import sessions
from brobygger_gateway.application import Forbidden, NotFound, ServiceClient, ServiceUnavailable
from brobygger_gateway.domain import Person
from brobygger_gateway.pages import csrf_token, templates
from brobygger_gateway.portal.limits import TooManyRequests

PERSON_KEY = sessions.PORTAL.signed_in_key
PREFIX = sessions.PORTAL_PREFIX


class PortalSignInRequired(Exception):
    pass


class PortalNotFound(Exception):
    pass


def signed_in_person(request: Request) -> Person | None:
    if not request.url.path.startswith(PREFIX):
        return None
    data = request.scope.get("session", {}).get(PERSON_KEY)
    return Person.from_dict(data) if data else None


def begin(request: Request, person: Person) -> None:
    """Sign-in: a new portal session (new id) for this person; what the old one held is dropped."""
    request.scope["session"].clear()
    request.scope["session"][PERSON_KEY] = person.to_dict()
    request.scope[sessions.SCOPE_KEY].begin = True


def current_person(request: Request) -> Person:
    person = signed_in_person(request)
    if person is None:
        raise PortalSignInRequired()
    return person


SignedInPerson = Annotated[Person, Depends(current_person)]


def service_client(request: Request) -> ServiceClient:
    return request.app.state.services


Services = Annotated[ServiceClient, Depends(service_client)]


# What a signed-in person can do here: each area adds its pages (path, menu word, front-page heading, text).
MENU: list[tuple[str, str, str, str]] = []


def render(request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200) -> HTMLResponse:
    context = {"person": signed_in_person(request), "csrf_token": csrf_token(request), "portal_menu": MENU,
               **(context or {})}
    return templates.TemplateResponse(request, f"portal/{name}", context, status_code=status_code)


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


router = APIRouter(prefix=PREFIX, include_in_schema=False)

# Every portal router, for `main` to include and for CSRF's list of POST paths.
ROUTERS: list[APIRouter] = [router]


def install(app: FastAPI) -> None:
    """The portal's page errors, in the portal's layout: a page under /portal never shows a staff page.
    Call after `pages.install`; the staff handlers still answer every other path."""

    @app.exception_handler(PortalSignInRequired)
    async def sign_in(request: Request, _: PortalSignInRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        expired = "&utlopt=1" if sessions.session_expired(request) else ""
        return RedirectResponse(f"{PREFIX}/logg-inn?neste={quote(target, safe='')}{expired}", status_code=303)

    async def not_found(request: Request, _: Exception) -> Response:
        return render(request, "not_found.html", status_code=404)

    app.add_exception_handler(PortalNotFound, not_found)

    @app.exception_handler(TooManyRequests)
    async def too_many(request: Request, error: TooManyRequests) -> Response:
        response = render(request, "too_many.html", {"retry_after": error.retry_after}, status_code=429)
        response.headers["Retry-After"] = str(error.retry_after)
        return response

    # A thing of another person's does not exist for this one: 403 and 404 from a service both read as 404,
    # and so does an address that names no thing at all (a malformed id or month in the path).
    for error_type, portal_page in ((NotFound, not_found), (Forbidden, not_found), (RequestValidationError, not_found),
                                    (ServiceUnavailable, _unavailable)):
        staff_handler = app.exception_handlers.get(error_type)

        async def handler(request: Request, error: Exception, portal_page=portal_page,
                          staff_handler=staff_handler) -> Response:
            if request.url.path.startswith(PREFIX) or staff_handler is None:
                return await portal_page(request, error)
            return await staff_handler(request, error)

        app.add_exception_handler(error_type, handler)


async def _unavailable(request: Request, error: Exception) -> Response:
    return render(request, "unavailable.html", {"part": getattr(error, "part", "")}, status_code=503)


from brobygger_gateway.portal import citizen, home, oppdrag, seen_by, signin, volunteer  # noqa: E402, F401 - they add their routes
