"""One at a time across processes and replicas: a PostgreSQL session advisory lock held for as long as
some work runs (a scheduler, a sender). Whoever does not get the lock waits and tries again; if the
holder dies, its connection closes, PostgreSQL releases the lock and a waiting one takes over.
"""

import asyncio
import zlib
from collections.abc import Awaitable, Callable

import asyncpg

from brobygger_shared.logging import get_logger

log = get_logger(__name__)


def lock_key(name: str) -> int:
    """A stable 32-bit key for a lock's name (the same in every process and version)."""
    return zlib.crc32(name.encode())


async def run_exclusively(database_url: str, name: str, work: Callable[[], Awaitable[None]],
                          retry_seconds: float = 2.0) -> None:
    """Wait for the lock named `name`, then run `work` while holding it. If the lock's connection is
    lost, the work is cancelled (another may hold the lock by then) and this returns with the error."""
    connection = await asyncpg.connect(database_url)
    try:
        while not await connection.fetchval("SELECT pg_try_advisory_lock($1)", lock_key(name)):
            await asyncio.sleep(retry_seconds)
        log.info("exclusive.acquired", lock=name)
        lost = asyncio.get_running_loop().create_future()
        connection.add_termination_listener(lambda _: lost.done() or lost.set_result(None))
        task = asyncio.create_task(work())
        done, _ = await asyncio.wait({task, lost}, return_when=asyncio.FIRST_COMPLETED)
        if task not in done:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            raise ConnectionError(f"lost the connection holding the lock {name}")
        await task
    finally:
        await connection.close()
