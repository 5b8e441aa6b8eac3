"""Which stack the tests run on, chosen by BROBYGGER_STACK (`make test STACK=...`):

- `embedded` (the default): the embedded PostgreSQL and Tansu, or the servers named by DATABASE_URL
  and KAFKA_BOOTSTRAP_SERVERS where those are set;
- `containers`: Kafka (KRaft) and PostgreSQL from testcontainers, where a Docker engine is reachable.

Either way it is a throwaway test stack: PostgreSQL runs without fsync and synchronous commit, and
says so.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from brobygger_dev.runtime.stack import Stack

VARIABLE = "BROBYGGER_STACK"
EMBEDDED = "embedded"
CONTAINERS = "containers"


def selected() -> str:
    return os.environ.get(VARIABLE, "").strip() or EMBEDDED


def unavailable(backend: str) -> str | None:
    """None where the backend can run here; otherwise one line saying why not."""
    if backend == EMBEDDED:
        return None
    if backend == CONTAINERS:
        from brobygger_dev.runtime.containers import docker_engine_problem

        problem = docker_engine_problem()
        return problem and (f"STACK={CONTAINERS} needs a Docker engine and none is reachable ({problem}); "
                            f"`make test` runs on the embedded stack")
    return f"unknown STACK={backend!r}: choose {EMBEDDED} (the default) or {CONTAINERS}"


@contextmanager
def throwaway_stack(var_dir: Path, backend: str | None = None) -> Iterator[Stack]:
    """A started, not durable stack on the chosen backend; stopped (and its containers gone) afterwards."""
    backend = backend or selected()
    if problem := unavailable(backend):
        raise RuntimeError(problem)
    if backend == CONTAINERS:
        from brobygger_dev.runtime.containers import container_stack

        with container_stack(var_dir, durable=False) as running:
            yield running
        return
    running = Stack.from_environment(var_dir, durable=False)
    running.start()
    try:
        yield running
    finally:
        running.stop()
