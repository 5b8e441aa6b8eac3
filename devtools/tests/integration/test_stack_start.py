"""A stack that fails to start leaves nothing running behind it."""

import pytest

from brobygger_dev.runtime.stack import Stack

pytestmark = pytest.mark.stack


def test_a_stack_whose_service_cannot_start_stops_what_it_had_started(tmp_path):
    stack = Stack(tmp_path, services=("nonexistent",), durable=False, report=lambda message: None)

    with pytest.raises(RuntimeError, match="exited"):
        stack.start()

    assert stack.services["nonexistent"].process.poll() is not None
    assert stack.tansu.exited() is not None
    assert stack.postgres.exited() is not None
