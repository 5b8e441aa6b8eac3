"""HTTP errors as problem+json (RFC 9457) with a Norwegian `title` the UI can show."""

from eventsourcing.persistence import RecordConflictError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from brobygger_shared.rules import RuleViolation

PROBLEM_JSON = "application/problem+json"

TITLES = {
    400: "Ugyldig forespørsel",
    401: "Du må logge inn",
    403: "Du har ikke tilgang",
    404: "Fant ikke det du ba om",
    409: "Handlingen er ikke tillatt nå",
    422: "Ugyldige opplysninger",
    500: "Noe gikk galt hos oss",
    503: "Tjenesten er ikke klar",
}


class Problem(Exception):
    """Raise from an endpoint for an error the user should read: a title and a detail in Norwegian."""

    def __init__(self, status: int, detail: str, title: str | None = None, **extra: object) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.title = title or TITLES.get(status, "Feil")
        self.extra = extra


def problem_response(status: int, title: str, detail: str, instance: str, **extra: object) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, "instance": instance, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def _field_name(location: tuple) -> str:
    parts = [str(part) for part in location if part not in ("body", "query", "path", "header")]
    return ".".join(parts) or ".".join(str(part) for part in location)


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def on_problem(request: Request, problem: Problem) -> JSONResponse:
        return problem_response(problem.status, problem.title, problem.detail, request.url.path, **problem.extra)

    @app.exception_handler(RuleViolation)
    async def on_rule_violation(request: Request, violation: RuleViolation) -> JSONResponse:
        return problem_response(409, TITLES[409], str(violation), request.url.path)

    @app.exception_handler(RecordConflictError)
    async def on_conflict(request: Request, conflict: RecordConflictError) -> JSONResponse:
        # Two commands on the same aggregate at once: the second lost the optimistic lock; nothing was saved.
        return problem_response(409, TITLES[409], "Noen andre endret dette samtidig. Hent det på nytt og prøv igjen.",
                                request.url.path)

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = [
            {"field": _field_name(tuple(item["loc"])), "message": item["msg"], "type": item["type"]}
            for item in error.errors()
        ]
        fields = ", ".join(item["field"] for item in errors)
        return problem_response(422, TITLES[422], f"Sjekk feltene: {fields}", request.url.path, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        title = TITLES.get(error.status_code, "Feil")
        return problem_response(error.status_code, title, str(error.detail), request.url.path)


PROBLEM_RESPONSES = {
    422: {"description": "Ugyldige opplysninger: feltene som er feil står i `errors`", "content": {PROBLEM_JSON: {}}},
}
