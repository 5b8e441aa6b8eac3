"""Liveness (/healthz) and readiness (/readyz: database, broker, relay and writes), and /metrics.

Writes count as stuck when a command has been running longer than a setting, or when the events
table's write lock cannot be had within a second or two (something holds it): either way the
service takes no new writes, and a load balancer should stop sending it any.
"""

import asyncio
import time
from itertools import count

import asyncpg
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.types import ASGIApp, Receive, Scope, Send

from brobygger_shared.eventstore import events_table

router = APIRouter(tags=["drift"])


@router.get("/healthz", summary="The process is alive")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="The database and the broker answer", responses={503: {"description": "Not ready"}})
async def readyz(request: Request) -> JSONResponse:
    runtime = request.app.state.runtime
    database, writes = await _database_checks(runtime)
    checks = {"database": database, "broker": await _broker_ok(runtime)}
    checks["relay"] = runtime.relay is None or runtime.relay.ready.is_set()
    in_flight: CommandsInFlight = request.app.state.commands_in_flight
    checks["writes"] = writes and in_flight.oldest_seconds() <= runtime.settings.stuck_write_seconds
    status = 200 if all(checks.values()) else 503
    return JSONResponse({"status": "ok" if status == 200 else "unavailable", "checks": checks}, status_code=status)


@router.get("/metrics", summary="Prometheus metrics")
async def prometheus_metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


async def _database_checks(runtime) -> tuple[bool, bool]:
    """Whether the database answers, and whether a write could take the events table's lock now."""
    try:
        connection = await asyncio.wait_for(asyncpg.connect(runtime.settings.database_url), timeout=2)
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False, False
    try:
        if await connection.fetchval("SELECT 1") != 1:
            return False, False
        application = runtime.components.application
        if application is None:
            return True, True
        async with connection.transaction():
            # The lock every insert of the event store takes (EXCLUSIVE, so reads go on); held for
            # no time at all here, but not to be had while a write is stuck holding it.
            await connection.execute("SET LOCAL lock_timeout = '2s'")
            await connection.execute(f"LOCK TABLE {events_table(application)} IN EXCLUSIVE MODE")
        return True, True
    except asyncpg.PostgresError:
        return True, False
    finally:
        await connection.close()


async def _broker_ok(runtime) -> bool:
    try:
        return bool(await runtime.broker.ping(timeout=2))
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        return False


class CommandsInFlight:
    """When each command still running began."""

    def __init__(self) -> None:
        self.started: dict[int, float] = {}
        self._ids = count()

    def begin(self) -> int:
        command = next(self._ids)
        self.started[command] = time.monotonic()
        return command

    def end(self, command: int) -> None:
        del self.started[command]

    def oldest_seconds(self) -> float:
        return time.monotonic() - min(self.started.values()) if self.started else 0.0


class WatchCommands:
    """Pure ASGI middleware: keeps `CommandsInFlight` up to date."""

    COMMAND_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

    def __init__(self, app: ASGIApp, in_flight: CommandsInFlight) -> None:
        self.app = app
        self.in_flight = in_flight

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in self.COMMAND_METHODS:
            await self.app(scope, receive, send)
            return
        command = self.in_flight.begin()
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight.end(command)
