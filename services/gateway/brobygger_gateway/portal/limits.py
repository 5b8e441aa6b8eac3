"""A limit on how often the portal's public forms may be sent: per session (the signed-in person, or
the session cookie) and per client address, each a number a minute (settings). A sliding window of
the last minute's submissions, kept in the gateway process's memory: with one gateway process it is
exact; with several, each counts its own (a person spread over N processes gets at most N times it).

`form_limit` is a FastAPI dependency for every portal POST route; over the limit it answers 429 with a
page saying when to try again, before the form is read or any service is called.
"""

import time
from collections import defaultdict, deque
from threading import Lock
from typing import Annotated

from fastapi import Depends, Request

from brobygger_gateway import sessions

WINDOW_SECONDS = 60.0


class TooManyRequests(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


class SlidingWindow:
    """At most `limit` hits per key in any `window` seconds. Thread-safe; forgets keys gone quiet."""

    def __init__(self, limit: int, window: float = WINDOW_SECONDS, clock=time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = Lock()

    def hit(self, key: str) -> int:
        """Count a hit for `key`; 0 if allowed, else the seconds until one is (and the hit is not counted)."""
        now = self.clock()
        with self._lock:
            hits = self._hits[key]
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return max(1, int(hits[0] + self.window - now) + 1)
            hits.append(now)
            if len(self._hits) > 10_000:  # keys gone quiet: drop them, so memory stays small
                for quiet in [k for k, v in self._hits.items() if not v or v[-1] <= now - self.window]:
                    del self._hits[quiet]
            return 0


class FormLimits:
    def __init__(self, per_session: int, per_address: int) -> None:
        self.per_session = SlidingWindow(per_session)
        self.per_address = SlidingWindow(per_address)

    def check(self, session_key: str | None, address: str | None) -> None:
        wait = self.per_address.hit(address or "ukjent")
        if not wait and session_key:
            wait = self.per_session.hit(session_key)
        if wait:
            raise TooManyRequests(wait)


def _session_key(request: Request) -> str | None:
    person = request.scope.get("session", {}).get(sessions.PORTAL.signed_in_key)
    if person:
        return "person:" + person["sub"]
    cookie = sessions._cookie(request.scope, sessions.PORTAL.cookie)
    return "cookie:" + cookie if cookie else None


def form_limit(request: Request) -> None:
    limits: FormLimits = request.app.state.portal_limits
    limits.check(_session_key(request), request.client.host if request.client else None)


Limited = Annotated[None, Depends(form_limit)]
