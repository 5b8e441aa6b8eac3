"""Liveness (/healthz) and readiness (/readyz: database and broker), and /metrics."""

import asyncio

import asyncpg
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

router = APIRouter(tags=["drift"])


@router.get("/healthz", summary="The process is alive")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="The database and the broker answer", responses={503: {"description": "Not ready"}})
async def readyz(request: Request) -> JSONResponse:
    runtime = request.app.state.runtime
    checks = {"database": await _database_ok(runtime.settings.database_url), "broker": await _broker_ok(runtime)}
    checks["relay"] = runtime.relay is None or runtime.relay.ready.is_set()
    status = 200 if all(checks.values()) else 503
    return JSONResponse({"status": "ok" if status == 200 else "unavailable", "checks": checks}, status_code=status)


@router.get("/metrics", summary="Prometheus metrics")
async def prometheus_metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


async def _database_ok(database_url: str) -> bool:
    try:
        connection = await asyncio.wait_for(asyncpg.connect(database_url), timeout=2)
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    try:
        return await connection.fetchval("SELECT 1") == 1
    finally:
        await connection.close()


async def _broker_ok(runtime) -> bool:
    try:
        return bool(await runtime.broker.ping(timeout=2))
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        return False
