"""HTTP errors as problem+json (RFC 9457) with a Norwegian `title` the UI can show."""

from eventsourcing.persistence import OperationalError, RecordConflictError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from brobygger_shared.logging import get_logger
from brobygger_shared.rules import InvalidValue, RuleViolation
from brobygger_shared.validation_messages import field_label, in_norwegian

log = get_logger(__name__)

PROBLEM_JSON = "application/problem+json"

TITLES = {
    400: "Ugyldig forespørsel",
    401: "Du må logge inn",
    403: "Du har ikke tilgang",
    404: "Fant ikke det du ba om",
    409: "Handlingen er ikke tillatt nå",
    413: "For mye data",
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


# FastAPI's own answer when a body cannot be read at all (bytes that are not UTF-8 JSON).
_UNREADABLE_BODY = "There was an error parsing the body"


def invalid_input(instance: str, errors: list[dict]) -> JSONResponse:
    """The 422 every service gives for bad input: each wrong field named in words in `detail` and in
    each message, by its machine name in `errors[].field` (for the UI)."""
    labels = list(dict.fromkeys(field_label(item["field"]) for item in errors))
    detail = ("Sjekk feltet: " if len(labels) == 1 else "Sjekk feltene: ") + ", ".join(labels) + "."
    return problem_response(422, TITLES[422], detail, instance, errors=errors)


def _field_error(field: str, message: str, kind: str) -> dict:
    label = field_label(field)
    return {"field": field, "message": f"{label[:1].upper()}{label[1:]}: {message}", "type": kind}


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

    @app.exception_handler(OperationalError)
    async def on_database_unavailable(request: Request, error: OperationalError) -> JSONResponse:
        # The database refused or timed out (a write waited too long for the events table's lock).
        log.warning("http.database_unavailable", path=request.url.path, error_type=type(error).__name__)
        return problem_response(503, TITLES[503], "Tjenesten er opptatt akkurat nå. Prøv igjen om litt.",
                                request.url.path)

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = [_field_error(_field_name(tuple(item["loc"])), in_norwegian(item), item["type"])
                  for item in error.errors()]
        return invalid_input(request.url.path, errors)

    @app.exception_handler(InvalidValue)
    async def on_invalid_value(request: Request, error: InvalidValue) -> JSONResponse:
        return invalid_input(request.url.path, [_field_error(error.field, error.message, "value_error")])

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        if error.status_code == 400 and error.detail == _UNREADABLE_BODY:
            # A body that is not JSON at all is as invalid as a malformed one: answer alike.
            return invalid_input(request.url.path, [
                _field_error("body", "Innholdet kan ikke leses som JSON i UTF-8.", "json_invalid")])
        title = TITLES.get(error.status_code, "Feil")
        return problem_response(error.status_code, title, str(error.detail), request.url.path)

    @app.exception_handler(Exception)
    async def on_unexpected(request: Request, error: Exception) -> JSONResponse:
        # The traceback goes to the log (no request data in it); the caller gets problem+json, not text.
        log.exception("http.unhandled_error", path=request.url.path, error_type=type(error).__name__)
        return problem_response(500, TITLES[500], "Prøv igjen senere. Feilen er logget.", request.url.path)


class FieldError(BaseModel):
    field: str
    message: str
    type: str | None = None


class ProblemDocument(BaseModel):
    """problem+json (RFC 9457) as every service answers an error."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str
    errors: list[FieldError] | None = None


def _problem(description: str) -> dict:
    return {"description": description, "content": {PROBLEM_JSON: {"schema": ProblemDocument.model_json_schema()}}}


PROBLEM_RESPONSES = {422: _problem("Ugyldige opplysninger: feltene som er feil står i `errors`")}

# Every operation of every service may answer these (documented once, on the app).
COMMON_RESPONSES = {
    413: _problem("For stor forespørsel: grensen er innstillingen MAX_REQUEST_BYTES"),
    503: _problem("Databasen er ikke tilgjengelig eller opptatt akkurat nå; prøv igjen"),
    **PROBLEM_RESPONSES,
}


def document_every_problem(app: FastAPI) -> None:
    """Every error answer in the OpenAPI document gets the problem+json schema, whichever route or
    dependency declared it (a 401 from a role check, a route's own 404 or 409), so that clients and
    the fuzzing suite can check the body of every answer, not only of the 2xx ones."""
    build = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = build()
            for operation in (op for path in schema.get("paths", {}).values() for op in path.values()):
                for status, answer in operation.get("responses", {}).items():
                    if status[:1] in ("4", "5") and not answer.get("content"):
                        answer["content"] = _problem(answer.get("description", ""))["content"]
        return app.openapi_schema

    app.openapi = openapi
