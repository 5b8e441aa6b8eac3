"""The broker restarted empty while nothing is being written: every relay notices on its own and
republishes, however few events its service has, so each topic again holds every integration event
its service's events table maps to.

Nothing is written after the restart on purpose: a new write would let a relay notice the loss from
the offset the broker hands back, and hide a relay that never looks by itself.
"""

import asyncio
import importlib
import time
from datetime import date

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition

from brobygger_dev.runtime.stack import Stack, database_name, with_database
from brobygger_shared.settings import ServiceSettings
from brobygger_dev.testing import eventually
from brobygger_shared.topics import SERVICES, events_topic
from tests.integration.flows import get, signed_contract, staff_post

pytestmark = pytest.mark.stack

# Every service with an events table, hence a relay (the gateway has neither), and its Application.
APPLICATIONS = {
    "applications": "brobygger_applications.application:ApplicationsApplication",
    "matching": "brobygger_matching.application:MatchingApplication",
    "contracts": "brobygger_contracts.application:ContractsApplication",
    "payroll": "brobygger_payroll.application:PayrollApplication",
    "notifications": "brobygger_notifications.application:NotificationsApplication",
    "archive": "brobygger_archive.application:ArchiveApplication",
}
REPUBLISH_TIMEOUT = 60


def test_after_the_broker_restarts_empty_every_topic_again_holds_every_event_of_its_service(stack, http):
    if stack.tansu is None:
        pytest.skip("restarts the embedded memory-only broker; an external or container broker keeps its data")
    assert set(APPLICATIONS) == set(SERVICES) - {"gateway"}
    _write_in_every_publishing_service(http, stack)
    expected = {service: published_positions(stack, service) for service in APPLICATIONS}
    for service in ("applications", "matching", "contracts", "payroll"):
        assert expected[service], f"the flow wrote nothing {service} publishes"
    before = asyncio.run(_wait_until_topics_hold(stack, expected, timeout=30))
    assert all(seconds is not None for seconds in before.values()), f"not even published once: {before}"

    stack.kill_broker()
    stack.start_broker()  # empty, with the topics created again

    after = asyncio.run(_wait_until_topics_hold(stack, expected, timeout=REPUBLISH_TIMEOUT))
    counts = {service: len(positions) for service, positions in expected.items()}
    print(f"\nevents per topic: {counts}; seconds until republished: {after}")
    missing = [service for service, seconds in after.items() if seconds is None]
    assert not missing, f"not republished within {REPUBLISH_TIMEOUT} s: {missing} (events per topic: {counts})"


def _write_in_every_publishing_service(http, stack: Stack) -> None:
    """A handful of events each: applications (volunteer, case), matching (proposed, matched),
    contracts (signed) and payroll (a timesheet submitted)."""
    contract = signed_contract(http, stack)
    contract_id = contract["contract_id"]
    eventually(lambda: any(c["contract_id"] == contract_id for c in get(http, stack, "payroll", "/contracts")))
    today = date.today()
    staff_post(http, stack, "payroll", "/timesheets", {
        "contract_id": contract_id, "period": f"{today:%Y-%m}",
        "entries": [{"day": today.isoformat(), "hours": "2", "activity": "fotball"}]}, expect=201)


def published_positions(stack: Stack, service: str) -> set[int]:
    """The positions in the service's events table whose events its relay publishes, found with the
    service's own Application and mapping, read straight from its database."""
    module_name, class_name = APPLICATIONS[service].split(":")
    application_class = getattr(importlib.import_module(module_name), class_name)
    to_integration_event = importlib.import_module(f"brobygger_{service}.publishing").to_integration_event
    settings = ServiceSettings(service_name=service,
                               database_url=with_database(stack.postgres_url, database_name(service)),
                               key_vault_url=stack.key_vault_url)
    app = application_class(settings)
    try:
        positions: set[int] = set()
        start = 1
        while notifications := app.recorder.select_notifications(start=start, limit=500):
            positions |= {n.id for n in notifications if to_integration_event(app.mapper.to_domain_event(n))}
            start = notifications[-1].id + 1
        return positions
    finally:
        app.close()


async def _wait_until_topics_hold(stack: Stack, expected: dict[str, set[int]],
                                  timeout: float) -> dict[str, float | None]:
    """Seconds until each service's topic held every expected position (None: not within timeout)."""
    started = time.monotonic()
    results = await asyncio.gather(*(
        _wait_until_topic_holds(stack.kafka_bootstrap_servers, events_topic(service), positions, started, timeout)
        for service, positions in expected.items()
    ))
    return dict(zip(expected, results))


async def _wait_until_topic_holds(bootstrap_servers: str, topic: str, positions: set[int], started: float,
                                  timeout: float) -> float | None:
    # No consumer group: no group join to wait for, and nothing stored on the broker.
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers, enable_auto_commit=False,
                                auto_offset_reset="earliest", fetch_max_wait_ms=50)
    await consumer.start()
    try:
        partitions = await _partitions(consumer, topic)
        while not partitions and time.monotonic() < started + timeout:
            await asyncio.sleep(0.2)
            partitions = await _partitions(consumer, topic)
        consumer.assign([TopicPartition(topic, partition) for partition in partitions or ()])
        seen: set[int] = set()
        while True:
            if positions <= seen:
                return round(time.monotonic() - started, 1)
            if time.monotonic() >= started + timeout:
                return None
            for records in (await consumer.getmany(timeout_ms=200)).values():
                seen |= {int(dict(record.headers)["source_position"]) for record in records}
    finally:
        await consumer.stop()


async def _partitions(consumer: AIOKafkaConsumer, topic: str) -> set[int] | None:
    await consumer.topics()  # a metadata refresh
    return consumer.partitions_for_topic(topic)
