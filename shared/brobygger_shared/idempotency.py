"""Idempotency-Key for every command: a repeat with the same key gets the first answer back.

The first successful (2xx) answer to a POST/PUT/PATCH/DELETE that carried the header is kept in the
service's own database with a fingerprint of the request. The same key with the same request replays
that answer (nothing runs twice); the same key with a different request is refused (422). Failed
answers are not kept: a retry with a fresh token or a corrected body runs again. A key, and the answer
kept with it (which may show a person's data), is forgotten after a setting's hours (24 by default): each
command deletes every expired one.
"""

import hashlib
from datetime import timedelta

import asyncpg
from fastapi import FastAPI, Request
from starlette.responses import Response

from brobygger_shared.problems import problem_response

SCHEMA = """
CREATE TABLE IF NOT EXISTS idempotency_keys (
    key text PRIMARY KEY,
    fingerprint text NOT NULL,
    status integer NOT NULL,
    content_type text,
    body bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idempotency_keys_created_at ON idempotency_keys (created_at);
"""

COMMAND_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
MAX_KEY_LENGTH = 200


async def setup(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as connection:
        await connection.execute(SCHEMA)


def install_idempotency(app: FastAPI) -> None:
    @app.middleware("http")
    async def replay_repeated_commands(request: Request, call_next):
        key = request.headers.get("idempotency-key")
        if not key or request.method not in COMMAND_METHODS:
            return await call_next(request)
        if len(key) > MAX_KEY_LENGTH:
            return problem_response(
                422, "Ugyldige opplysninger", f"Idempotency-Key kan ha høyst {MAX_KEY_LENGTH} tegn.", request.url.path,
                errors=[{"field": "Idempotency-Key", "message": f"høyst {MAX_KEY_LENGTH} tegn"}],
            )
        body = await request.body()
        caller = request.headers.get("authorization", "")
        fingerprint = hashlib.sha256(b"\0".join([request.method.encode(), request.url.path.encode(),
                                                 caller.encode(), body])).hexdigest()
        runtime = request.app.state.runtime
        pool: asyncpg.Pool = runtime.read_pool
        kept_for = timedelta(hours=runtime.settings.idempotency_key_hours)
        # Every expired answer goes, not only this key's: a kept answer may name a person (docs/privacy.md).
        await pool.execute("DELETE FROM idempotency_keys WHERE created_at < now() - $1::interval", kept_for)
        stored = await pool.fetchrow("SELECT * FROM idempotency_keys WHERE key = $1", key)
        if stored is not None:
            if stored["fingerprint"] != fingerprint:
                return problem_response(
                    422, "Ugyldige opplysninger",
                    "Idempotency-Key er allerede brukt for en annen forespørsel.", request.url.path,
                    errors=[{"field": "Idempotency-Key", "message": "brukt for en annen forespørsel"}],
                )
            return Response(stored["body"], status_code=stored["status"], media_type=stored["content_type"],
                            headers={"idempotent-replay": "true"})
        response = await call_next(request)
        content = b"".join([chunk async for chunk in response.body_iterator])
        if 200 <= response.status_code < 300:
            await pool.execute(
                "INSERT INTO idempotency_keys (key, fingerprint, status, content_type, body)"
                " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key) DO NOTHING",
                key, fingerprint, response.status_code, response.media_type or response.headers.get("content-type"),
                content,
            )
        return Response(content, status_code=response.status_code, headers=dict(response.headers))
