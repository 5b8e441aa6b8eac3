"""Publishing integration events straight to the topics, framed as a relay frames them."""

import asyncio
from collections import defaultdict

from aiokafka import AIOKafkaProducer

from brobygger_shared.events.base import IntegrationEvent
from brobygger_shared.messages import Envelope
from brobygger_shared.topics import events_topic


def publish(bootstrap_servers: str, events: list[tuple[str, IntegrationEvent]]) -> None:
    """Each (service, event) on brobygger.<service>.events, in order, positions counting per service."""
    asyncio.run(_publish(bootstrap_servers, events))


async def _publish(bootstrap_servers: str, events: list[tuple[str, IntegrationEvent]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap_servers, acks="all", enable_idempotence=False)
    await producer.start()
    positions: dict[str, int] = defaultdict(int)
    try:
        for service, event in events:
            positions[service] += 1
            envelope = Envelope(event, service, positions[service], positions[service] - 1, "analytics-test", "")
            await producer.send_and_wait(events_topic(service), envelope.value, key=envelope.key,
                                         headers=envelope.headers)
    finally:
        await producer.stop()


def publish_raw(bootstrap_servers: str, service: str, value: bytes, headers: list[tuple[str, bytes]],
                key: bytes = b"raw") -> None:
    """One message exactly as given: an old version's body, or one that does not decode."""

    async def send() -> None:
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap_servers, acks="all", enable_idempotence=False)
        await producer.start()
        try:
            await producer.send_and_wait(events_topic(service), value, key=key, headers=headers)
        finally:
            await producer.stop()

    asyncio.run(send())
