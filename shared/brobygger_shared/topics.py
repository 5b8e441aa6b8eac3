"""Topic names and creating topics with their fixed partition count before anything touches them.

Tansu auto-creates an unknown topic with 4 partitions when anyone (even a subscriber) touches it,
so topics are created up front, by the runtime and again by each relay after the broker lost data.
"""

import zlib

from aiokafka.admin import AIOKafkaAdminClient, NewTopic

SERVICES = ("applications", "matching", "contracts", "payroll", "notifications", "archive", "gateway")


def events_topic(service: str) -> str:
    return f"brobygger.{service}.events"


def dlq_topic(topic: str) -> str:
    return f"{topic}.dlq"


def all_topics() -> list[str]:
    topics = [events_topic(service) for service in SERVICES]
    return topics + [dlq_topic(topic) for topic in topics]


def partition_for(key: bytes, partitions: int) -> int:
    """The partition for a key: the same for the same key and partition count, on any broker.

    The relay picks the partition itself (rather than leaving it to the client) because it must know
    it before sending, to chain each message to the previous one on its partition.
    """
    return zlib.crc32(key) % partitions


async def ensure_topics(bootstrap_servers: str, topics: list[str], partitions: int) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [NewTopic(topic, partitions, 1) for topic in topics if topic not in existing]
        if missing:
            # "already exists" (error 36) is fine: another process was first.
            await admin.create_topics(missing)
    finally:
        await admin.close()
