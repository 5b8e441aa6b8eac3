"""Why a service is asked for a person's data: the page the staff member (or the person in the portal)
is on, sent to every service as `X-Purpose` (brobygger_shared.access_log writes it into each access
record). A page reached from a work queue carries it in `?fra=` (e.g. `fra=arbeidsliste`), added here.

ASCII only (an HTTP header): the path is percent-encoded, the queue name cut to letters, digits and `-_`.
"""

import re
from contextvars import ContextVar
from urllib.parse import parse_qs, quote

from starlette.types import ASGIApp, Receive, Scope, Send

_purpose: ContextVar[str | None] = ContextVar("brobygger_purpose", default=None)
QUEUE = re.compile(r"[^A-Za-z0-9_-]")


def current_purpose() -> str | None:
    return _purpose.get()


def purpose_of(path: str, query_string: bytes) -> str:
    purpose = f"side {quote(path, safe='/')}"
    came_from = parse_qs(query_string.decode("latin-1")).get("fra", [""])[0]
    if came_from:
        purpose += f" fra {QUEUE.sub('', came_from)[:40]}"
    return purpose[:200]


class SendPurpose:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = _purpose.set(purpose_of(scope["path"], scope.get("query_string", b"")))
        try:
            await self.app(scope, receive, send)
        finally:
            _purpose.reset(token)
