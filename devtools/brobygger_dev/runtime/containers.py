"""The test stack on containers: Kafka (KRaft) and PostgreSQL started by testcontainers.

`make test STACK=containers` runs the same suite against these instead of the embedded pair, where a
Docker engine is reachable. The services still run as local processes (the `Stack`); only the broker
and the database server come from images. With Apache Kafka the services run with the idempotent
producer on (the `Stack` turns it on for any broker it did not start itself).

Kafka comes from testcontainers' Kafka module in KRaft mode (`with_kraft()`), which drives Confluent's
packaging of Apache Kafka; PostgreSQL from the official image, as in production.
"""

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from brobygger_dev.runtime.stack import Stack

KAFKA_IMAGE = "confluentinc/cp-kafka:7.6.0"
POSTGRES_IMAGE = "postgres:18"
KAFKA_START_TIMEOUT = 120  # seconds; the module's default of 30 is short for a loaded machine


def docker_engine_problem() -> str | None:
    """None where a Docker engine answers (as testcontainers finds it: DOCKER_HOST, the docker
    context, ~/.testcontainers.properties); otherwise why not, in one short line."""
    try:
        from testcontainers.core.docker_client import DockerClient

        DockerClient().client.ping()
    except Exception as error:  # noqa: BLE001 - whatever the cause, there is no engine to use
        first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
        return first_line[:200]
    return None


@contextmanager
def container_stack(var_dir: Path, durable: bool = False) -> Iterator[Stack]:
    """A started `Stack` whose Kafka and PostgreSQL are containers; all of it is gone afterwards.

    `durable=False` (the test stack) runs PostgreSQL without fsync and synchronous commit, as the
    embedded test stack does."""
    from testcontainers.community.kafka import KafkaContainer
    from testcontainers.community.postgres import PostgresContainer

    settings = ["-c", "max_connections=300"]
    if not durable:
        settings += ["-c", "fsync=off", "-c", "synchronous_commit=off"]
    with ExitStack() as cleanup:
        postgres = PostgresContainer(POSTGRES_IMAGE, driver=None).with_command(["postgres", *settings])
        postgres.start()
        cleanup.callback(postgres.stop)
        kafka = KafkaContainer(KAFKA_IMAGE).with_kraft()
        kafka.start(timeout=KAFKA_START_TIMEOUT)
        cleanup.callback(kafka.stop)
        stack = Stack(
            var_dir,
            postgres_url=postgres.get_connection_url(driver=None),
            kafka_bootstrap_servers=kafka.get_bootstrap_server(),
        )
        if not durable:
            stack.report("PostgreSQL (container) runs NOT durable (fsync=off, synchronous_commit=off): "
                         "only for throwaway test data")
        stack.start()
        cleanup.callback(stack.stop)
        yield stack
