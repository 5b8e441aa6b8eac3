"""The relay's idle check for a broker that lost data, against a fake read-back client (no I/O):
any published position the broker cannot show is a loss, but a slow answer is asked again first."""

import asyncio
from types import SimpleNamespace

import pytest
from aiokafka import TopicPartition
from aiokafka.errors import OffsetOutOfRangeError

from brobygger_shared import relay as relay_module
from brobygger_shared.relay import BrokerLostData, Relay, RelayState
from brobygger_shared.settings import ServiceSettings

TOPIC = "brobygger.test.events"
# Published: partition 0 up to offset 4 (position 11), partition 2 only offset 0 (position 7).
STATE = RelayState(position=11, last_position={0: 11, 2: 7}, next_offset={0: 5, 2: 1})
HELD = {(0, 4): 11, (2, 0): 7}


class FakeBroker:
    """What the broker holds, as (partition, offset) -> source position, and how it answers."""

    def __init__(self, held: dict[tuple[int, int], int], topics: tuple[str, ...] = (TOPIC,)) -> None:
        self.held = dict(held)
        self.topics = set(topics)
        self.slow: set[int] = set()  # partitions whose fetches get no answer in time
        self.out_of_range = False
        self.clients: list[FakeClient] = []


class FakeClient:
    def __init__(self, broker: FakeBroker) -> None:
        self.broker = broker
        self.positions: dict[TopicPartition, int] = {}
        self.timeouts: list[int] = []
        self.stopped = False

    async def topics(self) -> set[str]:
        return set(self.broker.topics)

    def assign(self, partitions: list[TopicPartition]) -> None:
        self.positions = {partition: -1 for partition in partitions}

    def seek(self, partition: TopicPartition, offset: int) -> None:
        self.positions[partition] = offset

    async def getmany(self, timeout_ms: int) -> dict:
        self.timeouts.append(timeout_ms)
        if self.broker.out_of_range:
            raise OffsetOutOfRangeError(dict(self.positions))
        shown = {}
        for partition, offset in self.positions.items():
            position = self.broker.held.get((partition.partition, offset))
            if position is not None and partition.partition not in self.broker.slow:
                shown[partition] = [SimpleNamespace(offset=offset, headers=[("source_position", str(position).encode())])]
                self.positions[partition] = offset + 1
        if not shown:
            await asyncio.sleep(timeout_ms / 1000)
        return shown

    async def stop(self) -> None:
        self.stopped = True


@pytest.fixture(autouse=True)
def short_read_backs(monkeypatch):
    monkeypatch.setattr(relay_module, "READ_BACK_TIMEOUTS", (0.01, 0.02, 0.04))


def relay_on(broker: FakeBroker) -> Relay:
    relay = Relay(None, lambda event: None, ServiceSettings(service_name="test"))  # type: ignore[arg-type]

    async def start_offsets_client() -> None:
        relay._offsets_client = FakeClient(broker)
        broker.clients.append(relay._offsets_client)

    relay._start_offsets_client = start_offsets_client  # type: ignore[method-assign]
    return relay


def check(relay: Relay, state: RelayState = STATE) -> None:
    asyncio.run(relay._check_broker(state))


def test_a_broker_that_shows_every_last_message_passes_with_one_client_kept():
    broker = FakeBroker(HELD)
    relay = relay_on(broker)

    for _ in range(5):
        check(relay)

    assert len(broker.clients) == 1 and not broker.clients[0].stopped


def test_a_broker_that_restarted_empty_is_a_loss_after_the_bounded_read_backs_each_on_a_new_client():
    broker = FakeBroker({})
    relay = relay_on(broker)

    check(relay)
    check(relay)
    with pytest.raises(BrokerLostData, match=r"partitions \[0, 2\]"):
        check(relay)

    assert len(broker.clients) == 3
    assert [round(client.timeouts[0], -1) for client in broker.clients] == [10, 20, 40]  # a longer wait each time


def test_a_single_event_partition_the_broker_cannot_show_is_a_loss_too():
    broker = FakeBroker({(0, 4): 11})  # partition 2's one event is gone
    relay = relay_on(broker)

    with pytest.raises(BrokerLostData, match=r"partitions \[2\]"):
        for _ in range(3):
            check(relay)


def test_a_slow_answer_that_comes_before_the_bound_is_no_loss_and_starts_the_count_again():
    broker = FakeBroker(HELD)
    relay = relay_on(broker)

    broker.slow = {2}
    check(relay)
    check(relay)
    broker.slow = set()
    check(relay)  # shown on the last attempt
    broker.slow = {2}
    check(relay)
    check(relay)  # two misses in a row again: still below the bound

    assert relay._unconfirmed == {2: (1, 2)}


def test_a_partition_published_to_since_its_last_miss_counts_again_from_one():
    broker = FakeBroker(HELD | {(2, 1): 12})
    relay = relay_on(broker)
    broker.slow = {2}
    check(relay)
    check(relay)

    published_since = RelayState(position=12, last_position={0: 11, 2: 12}, next_offset={0: 5, 2: 2})
    check(relay, published_since)

    assert relay._unconfirmed == {2: (2, 1)}


def test_a_topic_that_is_gone_is_a_loss_at_once():
    relay = relay_on(FakeBroker(HELD, topics=()))

    with pytest.raises(BrokerLostData, match="gone"):
        check(relay)


def test_another_message_at_the_last_published_offset_is_a_loss_at_once():
    relay = relay_on(FakeBroker({(0, 4): 11, (2, 0): 3}))

    with pytest.raises(BrokerLostData, match="another message"):
        check(relay)


def test_an_offset_the_broker_calls_out_of_range_is_a_loss_at_once():
    broker = FakeBroker(HELD)
    broker.out_of_range = True

    with pytest.raises(BrokerLostData):
        check(relay_on(broker))


def test_nothing_published_yet_asks_the_broker_nothing():
    broker = FakeBroker({}, topics=())
    relay = relay_on(broker)

    check(relay, RelayState(position=30))

    assert broker.clients == []
