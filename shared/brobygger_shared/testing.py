"""pytest fixtures for every tier that needs I/O: the embedded stack, started once per session.

Where DATABASE_URL and KAFKA_BOOTSTRAP_SERVERS are set, the stack uses those servers instead of
starting its own.
"""

import asyncio
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from brobygger_shared.auth import BARNEVERN, CASEWORKER, issue_token
from brobygger_shared.runtime.stack import Stack
from brobygger_shared.settings import DEV_AUTH_SECRET


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = Stack.from_environment(tmp_path_factory.mktemp("var"))
    running.start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def http(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as client:
        yield client


def staff_headers(*roles: str, user: str = "test-saksbehandler") -> dict[str, str]:
    """Authorization for a staff member with these roles, signed as the gateway would."""
    return {"Authorization": f"Bearer {issue_token(DEV_AUTH_SECRET, user, list(roles))}"}


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
