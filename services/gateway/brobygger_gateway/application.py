"""The gateway's one use of the services: calls over HTTP, each with a short-lived token it signs for
the signed-in person, and the correlation id of the request. It never imports a service.

A service's answer becomes a value or one of the errors below, which the pages show in words:
`InvalidInput` (422, each message by the field it names), `NotAllowed` (409, the reason),
`NotFound` (404, and 403 too: a barnevern case a person may not see does not exist for them), and
`ServiceUnavailable` (no answer, a timeout or a 5xx: which part is down).
"""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import orjson

from brobygger_gateway.domain import Person, StaffUser
from brobygger_gateway.purpose import current_purpose
from brobygger_shared.auth import issue_token
from brobygger_shared.logging import get_logger
from brobygger_shared.tracing import current_trace

log = get_logger(__name__)

# The parts of Brobygger as staff know them, for "… er ikke tilgjengelig".
PART_NAMES = {
    "applications": "Søknader og oppdragstakere",
    "matching": "Matching",
    "contracts": "Kontrakter",
    "payroll": "Timelister og lønn",
    "notifications": "Varsler",
    "archive": "Arkiv",
}


class ServiceError(Exception):
    pass


class ServiceUnavailable(ServiceError):
    def __init__(self, service: str) -> None:
        super().__init__(service)
        self.service = service
        self.part = PART_NAMES.get(service, service)


class NotFound(ServiceError):
    pass


class Forbidden(ServiceError):
    pass


class NotAllowed(ServiceError):
    """409: the command is not allowed in the thing's present state; `detail` says why, in bokmål."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class InvalidInput(ServiceError):
    """422: `errors` maps each field the service named (its machine name) to its bokmål message."""

    def __init__(self, detail: str, errors: dict[str, str]) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors


class ServiceClient:
    def __init__(self, urls: dict[str, str], signing_key: str, token_seconds: int, timeout: float,
                 document_timeout: float | None = None) -> None:
        self.urls = urls
        # A document is rendered again and checked against its recorded hash on every read: it may take
        # longer than an ordinary answer, most of all on a busy machine.
        self.document_timeout = httpx.Timeout(max(document_timeout or timeout, timeout), connect=min(timeout, 3))
        self.signing_key = signing_key
        self.token_lifetime = timedelta(seconds=token_seconds)
        self.http = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 3)),
            limits=httpx.Limits(max_connections=50, max_keepalive_connections=20),
        )

    async def close(self) -> None:
        await self.http.aclose()

    def _headers(self, user: StaffUser | Person | None, idempotency_key: str | None) -> dict[str, str]:
        headers = {"X-Correlation-Id": current_trace().correlation_id}
        if purpose := current_purpose():  # the page asking, for the services' access records
            headers["X-Purpose"] = purpose
        if user is not None:  # None: a call anyone may make (the oppdragstaker's signing link)
            # A person in the portal: role innbygger, their identity number as `pid` (brobygger_shared.auth).
            # Staff: the cases they opened by self-authorisation, while each grant runs (claim `cases`).
            cases = user.granted_cases(datetime.now(UTC)) if isinstance(user, StaffUser) else None
            token = issue_token(self.signing_key, user.user_id, sorted(user.roles), user.name,
                                valid_for=self.token_lifetime, pid=user.pid if isinstance(user, Person) else None,
                                cases=cases, own_cases=list(user.own_cases) if isinstance(user, Person) else None)
            headers["Authorization"] = f"Bearer {token}"
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        return headers

    async def get(self, service: str, path: str, user: StaffUser | Person | None, params: dict | None = None) -> Any:
        return _answer(service, await self._call("GET", service, path, user, params=params))

    async def post(self, service: str, path: str, user: StaffUser | Person | None, body: dict | None = None,
                   idempotency_key: str | None = None) -> Any:
        return _answer(service, await self._call("POST", service, path, user, json=body or {},
                                                 idempotency_key=idempotency_key))

    async def put(self, service: str, path: str, user: StaffUser | Person, body: dict | None = None,
                  idempotency_key: str | None = None) -> Any:
        return _answer(service, await self._call("PUT", service, path, user, json=body or {},
                                                 idempotency_key=idempotency_key))

    async def download(self, service: str, path: str, user: StaffUser | Person) -> tuple[bytes, str, dict[str, str]]:
        """A file (a PDF, an export): its bytes, media type and the headers worth passing on."""
        response = await self._call("GET", service, path, user, timeout=self.document_timeout)
        if response.status_code >= 300:
            _answer(service, response)
        kept = {name: value for name, value in response.headers.items()
                if name.lower() in ("content-disposition", "x-content-sha256") or name.lower().startswith("x-lines-")}
        return response.content, response.headers.get("content-type", "application/octet-stream"), kept

    async def _call(self, method: str, service: str, path: str, user: StaffUser | Person | None, *,
                    params: dict | None = None, json: dict | None = None,
                    idempotency_key: str | None = None,
                    timeout: httpx.Timeout | None = None) -> httpx.Response:
        base = self.urls.get(service)
        if not base:
            raise ServiceUnavailable(service)
        params = {name: value for name, value in (params or {}).items() if value not in (None, "")}
        try:
            return await self.http.request(method, f"{base}{path}", params=params, json=json,
                                           headers=self._headers(user, idempotency_key),
                                           timeout=timeout or httpx.USE_CLIENT_DEFAULT)
        except httpx.HTTPError as error:
            log.warning("gateway.service_unreachable", service=service, error_type=type(error).__name__)
            raise ServiceUnavailable(service) from None


def _answer(service: str, response: httpx.Response) -> Any:
    status = response.status_code
    if status < 300:
        return orjson.loads(response.content) if response.content else None  # lists of thousands: orjson
    problem = _problem(response)
    detail = str(problem.get("detail") or problem.get("title") or "")
    if status == 422:
        errors: dict[str, str] = {}
        for item in problem.get("errors") or []:
            if isinstance(item, dict) and item.get("field") is not None:
                errors.setdefault(str(item["field"]), str(item.get("message") or detail))
        raise InvalidInput(detail, errors)
    if status == 409:
        raise NotAllowed(detail)
    if status == 404:
        raise NotFound(detail)
    if status == 403:
        raise Forbidden(detail)
    # 401 (the gateway's own token refused), 413, 5xx: nothing the person can fix; the part is unavailable.
    log.warning("gateway.service_error", service=service, status=status)
    raise ServiceUnavailable(service)


def _problem(response: httpx.Response) -> dict:
    try:
        body = orjson.loads(response.content)
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
