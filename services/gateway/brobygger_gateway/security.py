"""What every page is held to in the browser: a Content-Security-Policy with no inline script (and no
inline style), frames denied, and a CSRF token on every state-changing form.

CSRF is asgi-csrf's double-submit token: a signed `csrftoken` cookie and the same token in the form's
`csrftoken` field (or the `x-csrftoken` header for htmx). asgi-csrf checks only requests that carry a
cookie, unless the path is in `always_protect`: `MutatingPaths` answers that for every path a page
route accepts a POST on, so a new form is protected the moment its route exists.
"""

import re
from collections.abc import Iterable

from asgi_csrf import asgi_csrf_decorator
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",  # Designsystemet's icons are data: URIs in its CSS
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
])

# The API page (/docs) comes with a policy of its own from the kernel (brobygger_shared.api_docs: its
# assets from this server only, plus the inline start-up script Swagger UI needs); it is kept as is.
NO_CSP = ("/docs",)


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with_csp = not scope["path"].startswith(NO_CSP)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                replaced = (b"x-frame-options", b"content-security-policy") if with_csp else (b"x-frame-options",)
                headers = [(name, value) for name, value in message.get("headers", [])
                           if name.lower() not in replaced]
                headers += [(b"x-frame-options", b"DENY"), (b"x-content-type-options", b"nosniff"),
                            (b"referrer-policy", b"same-origin")]
                if with_csp:
                    headers.append((b"content-security-policy", CSP.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class MutatingPaths:
    """`path in MutatingPaths(routes)`: is this a path one of these routes accepts a POST (or another
    state-changing method) on? Built from the routes themselves, so none can be forgotten."""

    def __init__(self, routes: Iterable[BaseRoute]) -> None:
        self.patterns: list[re.Pattern] = [
            route.path_regex for route in routes
            if isinstance(route, Route) and (route.methods or set()) - {"GET", "HEAD", "OPTIONS"}
        ]

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and any(pattern.match(path) for pattern in self.patterns)

    def __len__(self) -> int:
        return len(self.patterns)


async def _refused(scope: Scope, send: Send, message_id) -> None:
    in_portal = scope.get("path", "").startswith("/portal")  # a citizen is never sent to a staff page
    back = "<a href=\"/portal\">Til forsiden</a>" if in_portal else "<a href=\"/\">Til arbeidslisten</a>"
    body = ("<!doctype html><html lang=\"nb\"><head><meta charset=\"utf-8\"><title>Skjemaet ble avvist"
            "</title></head><body><main><h1>Skjemaet ble avvist</h1><p>Skjemaet manglet sikkerhetskoden "
            "(CSRF) eller koden var feil. Gå tilbake, last siden på nytt og send skjemaet igjen.</p>"
            "<p>" + back + "</p></main></body></html>").encode()
    await send({"type": "http.response.start", "status": 403,
                "headers": [(b"content-type", b"text/html; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class Csrf:
    """asgi-csrf as Starlette middleware."""

    def __init__(self, app: ASGIApp, secret: str, always_protect: MutatingPaths, secure: bool) -> None:
        self.wrapped = asgi_csrf_decorator(
            signing_secret=secret, always_protect=always_protect, cookie_secure=secure, cookie_samesite="Lax",
            send_csrf_failed=_refused,
        )(app)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.wrapped(scope, receive, send)
