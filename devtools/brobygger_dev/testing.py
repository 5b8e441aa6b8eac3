"""pytest fixtures for every tier that needs I/O: the embedded stack, started once per session.

Where DATABASE_URL and KAFKA_BOOTSTRAP_SERVERS are set, the stack uses those servers instead of
starting its own; with BROBYGGER_STACK=containers it runs on testcontainers' Kafka and PostgreSQL.
"""

import asyncio
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from uuid import uuid4

import httpx
import pytest
from aiokafka import AIOKafkaConsumer

from brobygger_shared.auth import BARNEVERN, CASEWORKER, issue_token
from brobygger_dev.runtime import backends
from brobygger_dev.runtime.postgres import EmbeddedPostgres
from brobygger_dev.runtime.stack import Stack
from brobygger_shared.settings import DEV_AUTH_PRIVATE_KEY


def pytest_configure(config: pytest.Config) -> None:
    # The kommune's days are Norwegian: a test's date.today() must be the services' (the stack gives them
    # TZ=Europe/Oslo), or from 23:00 UTC on a test and a service disagree about which day it is.
    os.environ["TZ"] = "Europe/Oslo"
    time.tzset()
    # A stack chosen with BROBYGGER_STACK (`make test STACK=containers`) that cannot run here stops
    # the session at once, with one line saying why.
    if problem := backends.unavailable(backends.selected()):
        pytest.exit(problem, returncode=pytest.ExitCode.USAGE_ERROR)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    # Embedded by default, containers with BROBYGGER_STACK=containers; either way not durable: the test
    # stack's data is thrown away, and it alone may run PostgreSQL without fsync (it says so).
    with backends.throwaway_stack(tmp_path_factory.mktemp("var")) as running:
        yield running


@pytest.fixture(scope="session")
def http(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as client:
        yield client


def staff_headers(*roles: str, user: str = "test-saksbehandler") -> dict[str, str]:
    """Authorization for a staff member with these roles, signed as the gateway would."""
    return {"Authorization": f"Bearer {issue_token(DEV_AUTH_PRIVATE_KEY, user, list(roles))}"}


@pytest.fixture(scope="session")
def caseworker() -> dict[str, str]:
    return staff_headers(CASEWORKER, BARNEVERN)


def eventually(check: Callable[[], Any], timeout: float = 30, interval: float = 0.1) -> Any:
    """Wait until `check` returns something truthy without raising; return it, or fail with the last error."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            result = check()
            if result:
                return result
            last = result
        except AssertionError as error:
            last = error
        time.sleep(interval)
    raise AssertionError(f"not true after {timeout} s: {last!r}")


def run(coroutine):
    return asyncio.run(coroutine)


def events_on_kafka(bootstrap_servers: str, topic: str, key: str, count: int, timeout: float = 30) -> list:
    """The records with this key on a topic, in order, once there are at least `count` of them."""
    return asyncio.run(_events_on_kafka(bootstrap_servers, topic, key.encode(), count, timeout))


async def _events_on_kafka(bootstrap_servers: str, topic: str, key: bytes, count: int, timeout: float) -> list:
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap_servers, auto_offset_reset="earliest",
                                group_id=f"test-{uuid4()}", fetch_max_wait_ms=50)
    await consumer.start()
    found = []
    try:
        deadline = time.monotonic() + timeout
        while len(found) < count and time.monotonic() < deadline:
            for records in (await consumer.getmany(timeout_ms=200)).values():
                found += [record for record in records if record.key == key]
        return found
    finally:
        await consumer.stop()


def headers_of(record) -> dict[str, str]:
    return {name: value.decode() for name, value in record.headers}


@pytest.fixture(scope="session")
def scratch_postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedPostgres]:
    """A PostgreSQL server of its own (no Kafka, no services), for read-model tests on the real database."""
    postgres = EmbeddedPostgres(tmp_path_factory.mktemp("scratch-postgres"), durable=False)
    postgres.start()
    try:
        yield postgres
    finally:
        postgres.stop()


@pytest.fixture
def scratch_database(scratch_postgres: EmbeddedPostgres) -> str:
    """The URL of a new, empty database on the scratch server, one per test."""
    name = f"t{uuid4().hex[:12]}"
    scratch_postgres.create_databases([name])
    return scratch_postgres.url(name)


def project(database_url: str, projection: Any, *events: Any) -> None:
    """Creates a read model's tables (a Projection's or a LocalProjection's schema) and applies integration
    events to it in order, one delivery each, as its consumer would: each through the handler of its type,
    in a transaction."""
    import asyncpg

    from brobygger_shared.delivery import Delivered
    from brobygger_shared.messages import MessageMeta

    async def apply() -> None:
        connection = await asyncpg.connect(database_url)
        try:
            await connection.execute(projection.schema)
            for position, event in enumerate(events, start=1):
                meta = MessageMeta(event.event_type, event.event_version, event.event_id, "test", position,
                                   position - 1, event.occurred_at, "test", "test")
                async with connection.transaction():
                    await projection.handlers[type(event)](connection, [Delivered(event, meta)])
        finally:
            await connection.close()

    asyncio.run(apply())


def rows(database_url: str, query: str, *args: Any) -> list[dict]:
    """The rows a query answers, as dicts."""
    import asyncpg

    async def fetch() -> list[dict]:
        connection = await asyncpg.connect(database_url)
        try:
            return [dict(row) for row in await connection.fetch(query, *args)]
        finally:
            await connection.close()

    return asyncio.run(fetch())


@pytest.fixture
def keys_in_memory() -> Iterator[Any]:
    """The process's key vault (crypto-shredding) in memory for one test, the one before put back after."""
    from brobygger_shared.shredding import InMemoryPersonKeys, key_vault, use_key_vault

    before = key_vault()
    yield use_key_vault(InMemoryPersonKeys())
    use_key_vault(before)
