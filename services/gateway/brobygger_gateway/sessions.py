"""Server-side web sessions: the cookie holds only an opaque random id; what the session knows (who
signed in, the sign-in's state and nonce while it runs) is kept in the gateway's own database, keyed by
a hash of the id, so neither the cookie nor a copy of the table can be replayed.

A session ends after `SESSION_IDLE_MINUTES` without use, `SESSION_ABSOLUTE_HOURS` after sign-in, or at
sign-out. Sign-in starts a new session (a new id), so an id planted before sign-in is worth nothing.

Staff and the portal (citizens and oppdragstakere, signed in through ID-porten) have separate sessions:
each its own cookie (the portal's only for paths under /portal), its own key for who signed in, and
its own salt in the id's hash, so a portal session id is worth nothing as a staff cookie and the other
way round. A `Realm` says which; the staff realm never sees a path under /portal.

The middleware puts the session's data in `scope["session"]` (where authlib and Starlette's
`request.session` look for it) and a `SessionControl` in `scope["brobygger.session"]`, through which a
page begins (sign-in) or ends (sign-out) a session.
"""

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie

import asyncpg
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from brobygger_gateway.domain import SessionTimes, StaffUser

COOKIE = "brobygger_okt"
SCOPE_KEY = "brobygger.session"
USER_KEY = "user"

# What is not a page has no session: the JSON feed, health, metrics, the API documents, static files.
SESSIONLESS = ("/static/", "/activity", "/access-log", "/healthz", "/readyz", "/metrics", "/docs", "/redoc", "/openapi.json",
               "/asyncapi.json")

PORTAL_PREFIX = "/portal"


@dataclass(frozen=True)
class Realm:
    """One kind of session: its cookie, the paths it covers, and the session key naming who signed in."""

    name: str
    cookie: str
    signed_in_key: str
    cookie_path: str = "/"

    def covers(self, path: str) -> bool:
        if path.startswith(SESSIONLESS):
            return False
        in_portal = path == PORTAL_PREFIX or path.startswith(PORTAL_PREFIX + "/")
        return in_portal if self.cookie_path == PORTAL_PREFIX else not in_portal


STAFF = Realm("staff", COOKIE, USER_KEY)
PORTAL = Realm("portal", "brobygger_portal", "person", cookie_path=PORTAL_PREFIX)

SCHEMA = """
CREATE TABLE IF NOT EXISTS web_sessions (
    id_hash bytea PRIMARY KEY,
    data jsonb NOT NULL,
    created_at timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS web_sessions_last_seen ON web_sessions (last_seen_at);
"""


def _hash(session_id: str, realm: str = "staff") -> bytes:
    # The realm salts the hash: an id begun in one realm finds no session in the other.
    salted = session_id if realm == "staff" else f"{realm}:{session_id}"
    return hashlib.sha256(salted.encode()).digest()


@dataclass
class Stored:
    data: dict
    times: SessionTimes


class SessionStore:
    def __init__(self, pool: asyncpg.Pool, idle: timedelta, absolute: timedelta, realm: str = "staff") -> None:
        self.pool = pool
        self.idle = idle
        self.absolute = absolute
        self.realm = realm

    def _hash(self, session_id: str) -> bytes:
        return _hash(session_id, self.realm)

    async def setup(self) -> None:
        async with self.pool.acquire() as connection:
            await connection.execute(SCHEMA)

    async def load(self, session_id: str) -> Stored | None:
        row = await self.pool.fetchrow(
            "SELECT data, created_at, last_seen_at FROM web_sessions WHERE id_hash = $1", self._hash(session_id))
        if row is None:
            return None
        return Stored(json.loads(row["data"]), SessionTimes(row["created_at"], row["last_seen_at"], self.idle,
                                                           self.absolute))

    async def create(self, data: dict, now: datetime) -> str:
        session_id = secrets.token_urlsafe(32)
        await self.pool.execute("INSERT INTO web_sessions VALUES ($1, $2::jsonb, $3, $3)",
                                self._hash(session_id), json.dumps(data), now)
        return session_id

    async def save(self, session_id: str, data: dict, now: datetime) -> None:
        await self.pool.execute("UPDATE web_sessions SET data = $2::jsonb, last_seen_at = $3 WHERE id_hash = $1",
                                self._hash(session_id), json.dumps(data), now)

    async def touch(self, session_id: str, now: datetime) -> None:
        await self.pool.execute("UPDATE web_sessions SET last_seen_at = $2 WHERE id_hash = $1", self._hash(session_id), now)

    async def delete(self, session_id: str) -> None:
        await self.pool.execute("DELETE FROM web_sessions WHERE id_hash = $1", self._hash(session_id))

    async def delete_expired(self, now: datetime) -> None:
        await self.pool.execute("DELETE FROM web_sessions WHERE last_seen_at <= $1 OR created_at <= $2",
                                now - self.idle, now - self.absolute)


class SessionControl:
    """What a page asks of the session middleware for this response."""

    def __init__(self, expired: bool) -> None:
        self.expired = expired  # the cookie named a session that had run out
        self.begin = False
        self.end = False


def signed_in_user(request: Request) -> StaffUser | None:
    data = request.scope.get("session", {}).get(USER_KEY)
    return StaffUser.from_dict(data) if data else None


def begin(request: Request, user: StaffUser) -> None:
    """Sign-in: a new session (new id) for this person; what the old one held is dropped."""
    request.scope["session"].clear()
    request.scope["session"][USER_KEY] = user.to_dict()
    request.scope[SCOPE_KEY].begin = True


def end(request: Request) -> None:
    request.scope["session"].clear()
    request.scope[SCOPE_KEY].end = True


def session_expired(request: Request) -> bool:
    control = request.scope.get(SCOPE_KEY)
    return bool(control and control.expired)


class ServerSessions:
    def __init__(self, app: ASGIApp, secure: bool, realm: Realm = STAFF) -> None:
        self.app = app
        self.secure = secure
        self.realm = realm

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.realm.covers(scope["path"]):
            await self.app(scope, receive, send)
            return
        store: SessionStore = scope["app"].state.portal_sessions if self.realm is PORTAL else scope["app"].state.sessions
        now = datetime.now(UTC)
        session_id = _cookie(scope, self.realm.cookie)
        stored = await store.load(session_id) if session_id else None
        expired = False
        if stored is not None and stored.times.expired(now):
            await store.delete(session_id)
            expired = self.realm.signed_in_key in stored.data
            stored = None
        data = dict(stored.data) if stored else {}
        before = json.dumps(data, sort_keys=True)
        control = SessionControl(expired)
        scope["session"] = data
        scope[SCOPE_KEY] = control

        async def send_with_session(message: Message) -> None:
            if message["type"] == "http.response.start":
                cookie = await self._settle(store, control, session_id if stored else None, stored, data, before, now)
                if cookie is not None:
                    message.setdefault("headers", [])
                    message["headers"] = [*message["headers"], (b"set-cookie", cookie.encode("latin-1"))]
            await send(message)

        await self.app(scope, receive, send_with_session)

    async def _settle(self, store: SessionStore, control: SessionControl, session_id: str | None,
                      stored: Stored | None, data: dict, before: str, now: datetime) -> str | None:
        """Save what changed; the Set-Cookie header to send, if any."""
        if control.end:
            if session_id:
                await store.delete(session_id)
            return self._cookie("", clear=True)
        if control.begin:
            if session_id:
                await store.delete(session_id)
            await store.delete_expired(now)
            return self._cookie(await store.create(data, now))
        changed = json.dumps(data, sort_keys=True) != before
        if session_id and stored:
            if changed:
                await store.save(session_id, data, now)
            elif stored.times.worth_touching(now):
                await store.touch(session_id, now)
            return None
        if data:
            return self._cookie(await store.create(data, now))
        if control.expired:
            return self._cookie("", clear=True)
        return None

    def _cookie(self, value: str, clear: bool = False) -> str:
        attributes = [f"{self.realm.cookie}={value}", f"Path={self.realm.cookie_path}", "HttpOnly", "SameSite=Lax"]
        if self.secure:
            attributes.append("Secure")
        if clear:
            attributes.append("Max-Age=0")
        return "; ".join(attributes)


def _cookie(scope: Scope, name: str = COOKIE) -> str | None:
    for header, value in scope.get("headers", []):
        if header == b"cookie":
            cookie = SimpleCookie()
            try:
                cookie.load(value.decode("latin-1"))
            except Exception:  # noqa: BLE001 - an unreadable cookie header is no session
                return None
            if name in cookie and cookie[name].value:
                return cookie[name].value[:200]
    return None
