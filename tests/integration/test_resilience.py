"""Nothing is lost and nothing is applied twice when a consumer or the broker dies mid-stream."""

import time

import pytest

from brobygger_dev.testing import eventually
from brobygger_shared.topics import SERVICES
from tests.integration.flows import Writer, metric, projections

pytestmark = pytest.mark.stack


def _all_equal_to_the_source(http, stack) -> bool:
    seen = projections(http, stack)
    source = seen["applications"]
    different = {name: len(ids) for name, ids in seen.items() if ids != source}
    assert not different, f"{len(source)} in the source; differing: {different}"
    return True


def _wait_until_written(writer: Writer, count: int) -> None:
    deadline = time.monotonic() + 60
    while len(writer.submitted) < count and writer.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)


def test_a_consumer_killed_mid_stream_and_restarted_loses_nothing(stack, http):
    writer = Writer(stack, count=150)
    writer.start()
    _wait_until_written(writer, 40)

    stack.kill_service("matching")
    time.sleep(1)
    stack.start_service("matching")
    writer.join()

    assert writer.error is None, writer.error
    eventually(lambda: _all_equal_to_the_source(http, stack), timeout=60)
    assert metric(http, stack, "matching", "brobygger_consumer_dlq_total") == 0


def test_the_broker_killed_and_restarted_empty_loses_nothing_and_applies_nothing_twice(stack, http):
    if stack.tansu is None:
        pytest.skip("restarts the embedded memory-only broker; an external or container broker keeps its data")
    writer = Writer(stack, count=150)
    writer.start()
    _wait_until_written(writer, 40)

    stack.kill_broker()
    time.sleep(2)  # writes go on: the events table is the outbox
    stack.start_broker()
    writer.join()

    assert writer.error is None, writer.error
    eventually(lambda: _all_equal_to_the_source(http, stack), timeout=120)
    for service in SERVICES:
        assert metric(http, stack, service, "brobygger_consumer_dlq_total") == 0, service
    assert metric(http, stack, "applications", "brobygger_relay_republish_total") >= 1
