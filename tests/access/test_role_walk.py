"""Every operation of every service's OpenAPI document, called with each role's token and with none, against
the role table in docs/access.md: a role the table lists gets past the checks (not 401 or 403), any other
is refused (403), and no token is 401. An operation missing from the table, or a row whose operation is
gone, fails the suite, so a new endpoint cannot ship without a rule.

Service tier: each service's FastAPI app is built in this process and called without its lifespan, so no
PostgreSQL, broker or use case is reached. The read connection answers every query with nothing and the
application object refuses every call: whatever happens after the role checks (a 404, a 422, a 500 from
the missing application) only shows that the checks let the caller through."""

import importlib
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient

from brobygger_shared.auth import issue_token
from brobygger_shared.settings import DEV_AUTH_PRIVATE_KEY, ServiceSettings
from brobygger_shared.topics import SERVICES

TABLE = Path(__file__).resolve().parents[2] / "docs" / "access.md"
ROLES = ("saksbehandler", "barnevern", "lønn", "leder", "revisor", "arkiv", "oppdragstaker", "innbygger")
# Kinds of operation that answer without a token: health, readiness, metrics and the API documents (open),
# the oppdragstaker's personal signing link (link: the link is the credential), a dev and test clock
# (dev: 404 outside dev and tests).
WITHOUT_TOKEN = {"open", "link", "dev"}
ROW = re.compile(r"^\| (\w+) \| `(GET|POST|PUT|PATCH|DELETE) (\S+)` \| ([^|]+) \| (\w+) \|$")
SOME_ID = "00000000-0000-4000-8000-000000000001"
SOME_PID = "01810112345"  # synthetic: month + 80


def table() -> dict[tuple[str, str, str], tuple[frozenset[str], str]]:
    rules = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if match := ROW.match(line.strip()):
            service, method, path, roles, kind = match.groups()
            allowed = frozenset(role.strip() for role in roles.split(",")) - {"—"}
            assert allowed <= set(ROLES), f"unknown role in docs/access.md: {line}"
            assert (service, method, path) not in rules, f"twice in docs/access.md: {line}"
            rules[(service, method, path)] = (allowed, kind)
    return rules


RULES = table()


class _Nothing:
    """Every query finds nothing."""

    async def fetch(self, *args, **kwargs):
        return []

    async def fetchrow(self, *args, **kwargs):
        return None

    async def fetchval(self, *args, **kwargs):
        return None

    async def execute(self, *args, **kwargs):
        return ""

    def transaction(self):
        raise RuntimeError("the role walk writes nothing")


class _Acquired:
    async def __aenter__(self):
        return _Nothing()

    async def __aexit__(self, *exc):
        return False


class _Pool:
    def acquire(self):
        return _Acquired()


class _NoApplication:
    def __getattr__(self, name):
        raise RuntimeError("the role walk reaches no use case")


def _app(service: str):
    module = importlib.import_module(f"brobygger_{service}.main")
    settings = next(value for value in vars(module).values() if isinstance(value, type)
                    and issubclass(value, ServiceSettings) and value is not ServiceSettings)()
    app = module.app
    app.state.runtime = SimpleNamespace(settings=settings, read_pool=_Pool(), broker=None)
    app.state.application = _NoApplication()
    return app


def _operations(app) -> list[tuple[str, str]]:
    return [(method.upper(), path) for path, operations in app.openapi()["paths"].items()
            for method in operations if method in ("get", "post", "put", "patch", "delete")]


def _token(role: str) -> dict[str, str]:
    token = issue_token(DEV_AUTH_PRIVATE_KEY, SOME_ID, [role], "Rolle", pid=SOME_PID if role == "innbygger" else None)
    return {"authorization": f"Bearer {token}"}


@pytest.mark.parametrize("service", SERVICES)
def test_every_operation_answers_each_role_as_the_table_says(service):
    app = _app(service)
    client = TestClient(app, raise_server_exceptions=False)
    operations = _operations(app)

    without_rule = [f"{method} {path}" for method, path in operations if (service, method, path) not in RULES]
    assert without_rule == [], f"operations of {service} without a row in docs/access.md"
    gone = [f"{method} {path}" for (svc, method, path) in RULES if svc == service and (method, path) not in operations]
    assert gone == [], f"rows in docs/access.md for operations {service} no longer has"

    wrong = []
    for method, path in operations:
        allowed, kind = RULES[(service, method, path)]
        url = re.sub(r"\{[^}]+\}", SOME_ID, path)
        anonymous = client.request(method, url, json={}).status_code
        if kind in WITHOUT_TOKEN:
            if anonymous in (401, 403):
                wrong.append(f"{method} {path} without a token: {anonymous}, the table says {kind}")
            continue
        if kind != "token":
            wrong.append(f"{method} {path}: unknown kind {kind}")
            continue
        if anonymous != 401:
            wrong.append(f"{method} {path} without a token: {anonymous}, not 401")
        for role in ROLES:
            answer = client.request(method, url, json={}, headers=_token(role)).status_code
            if role in allowed and answer in (401, 403):
                wrong.append(f"{method} {path} as {role}: {answer}, the table lets {role} in")
            elif role not in allowed and answer != 403:
                wrong.append(f"{method} {path} as {role}: {answer}, the table refuses {role} (403)")
    assert wrong == []
