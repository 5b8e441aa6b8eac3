"""The first thing every request meets: a size limit on its body and no control characters in its
query string or path. Pure ASGI, so an oversized body is refused before any of it is parsed.

The body is read into memory up to the limit (a setting, a few hundred kB: no form or command of
Brobygger needs more) and handed on as one piece; a larger one is answered 413 without reading the rest.
"""

import re
from urllib.parse import parse_qsl, unquote

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from brobygger_shared.problems import PROBLEM_JSON, TITLES

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class RequestLimits:
    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        bad_parameter = _parameter_with_control_characters(scope)
        if bad_parameter is not None:
            await _answer(send, scope, 422, "Sjekk feltene: " + bad_parameter, errors=[{
                "field": bad_parameter, "message": "Inneholder kontrolltegn som ikke er tillatt.",
                "type": "control_character"}])
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_body_bytes:
            await self._too_large(scope, send)
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_body_bytes:
                await self._too_large(scope, send)
                return
        await self.app(scope, _replay(bytes(body), receive), send)

    async def _too_large(self, scope: Scope, send: Send) -> None:
        limit_kb = self.max_body_bytes // 1024
        await _answer(send, scope, 413, f"Forespørselen er større enn grensen på {limit_kb} kB.")


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: wait for the disconnect, as the server would

    return replayed


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _parameter_with_control_characters(scope: Scope) -> str | None:
    """The name of the first query parameter (or "path") that holds a control character."""
    if _CONTROL_CHARACTERS.search(scope.get("path", "")):
        return "path"
    query = scope.get("query_string", b"").decode("latin-1")
    if "%" not in query and not _CONTROL_CHARACTERS.search(query):
        return None
    for name, value in parse_qsl(query, keep_blank_values=True, errors="replace"):
        if _CONTROL_CHARACTERS.search(name) or _CONTROL_CHARACTERS.search(value):
            return _CONTROL_CHARACTERS.sub("?", unquote(name))
    return None


async def _answer(send: Send, scope: Scope, status: int, detail: str, **extra: object) -> None:
    body = orjson.dumps({"type": "about:blank", "title": TITLES[status], "status": status, "detail": detail,
                         "instance": scope.get("path", ""), **extra})
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
