"""A second start of the whole system keeps PostgreSQL's data; the broker (memory only) comes back
empty, the relays republish, and every projection is whole again."""

import pytest

from brobygger_dev.testing import eventually
from tests.integration.flows import projections, submit

pytestmark = pytest.mark.stack


def test_after_a_full_restart_every_projection_is_whole_and_new_work_flows(stack, http):
    submit(http, stack)
    before = eventually(lambda: _equal(http, stack))

    stack.stop()
    stack.start()

    after = eventually(lambda: _equal(http, stack), timeout=120)
    assert after == before
    new = submit(http, stack)
    eventually(lambda: new["volunteer_id"] in _equal(http, stack))


def _equal(http, stack) -> list[str]:
    seen = projections(http, stack)
    source = seen["applications"]
    assert all(ids == source for ids in seen.values()), {name: len(ids) for name, ids in seen.items()}
    return source
