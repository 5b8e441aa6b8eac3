"""The time the service works by. In production the system clock; in dev and tests (SETTABLE_CLOCK) it
can be set, so that a reminder due on the 2nd of a month can be tested on any day."""

import asyncio
from datetime import UTC, datetime


class Clock:
    def __init__(self) -> None:
        self._set_at: tuple[datetime, float] | None = None  # the time set, and the monotonic moment it was set
        self.changed = asyncio.Event()

    def now(self) -> datetime:
        if self._set_at is None:
            return datetime.now(UTC)
        at, since = self._set_at
        return at + (datetime.now(UTC) - datetime.fromtimestamp(since, UTC))

    def set(self, at: datetime) -> None:
        """From now on, the time runs on from `at`."""
        self._set_at = (at if at.tzinfo else at.replace(tzinfo=UTC), datetime.now(UTC).timestamp())
        self.changed.set()

    def reset(self) -> None:
        self._set_at = None
        self.changed.set()
