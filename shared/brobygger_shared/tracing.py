"""Correlation and causation ids: bound per request and per message, stored with every domain event.

The correlation id follows one piece of work across services; the causation id names what directly
caused an event (the HTTP request, or the integration event a handler consumed).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from uuid import uuid4

import structlog


@dataclass(frozen=True)
class Trace:
    correlation_id: str
    causation_id: str

    @classmethod
    def new(cls) -> "Trace":
        correlation_id = str(uuid4())
        return cls(correlation_id=correlation_id, causation_id=correlation_id)


_current: ContextVar[Trace | None] = ContextVar("brobygger_trace", default=None)


def current_trace() -> Trace:
    return _current.get() or Trace.new()


@contextmanager
def traced(trace: Trace) -> Iterator[Trace]:
    token = _current.set(trace)
    with structlog.contextvars.bound_contextvars(correlation_id=trace.correlation_id):
        try:
            yield trace
        finally:
            _current.reset(token)
