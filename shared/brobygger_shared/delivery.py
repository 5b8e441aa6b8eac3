"""What a consumer sees of one Kafka message, and the plan for one partition's batch.

Planning is pure: given the highest position already applied on a partition (the mark) and the
batch, it says what to apply, what to skip as a duplicate or unknown type, where the new mark is,
and whether a gap means the partition must be re-read from the start.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from brobygger_shared.events.base import EventRegistry, IntegrationEvent, UnknownEventType, UnsupportedEventVersion
from brobygger_shared.messages import MessageMeta, UndecodableMessage, decode_event


@dataclass(frozen=True)
class Delivered:
    """A decoded integration event and its message metadata, as handlers receive it."""

    event: IntegrationEvent
    meta: MessageMeta


@dataclass(frozen=True)
class Incoming:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: tuple
    meta: MessageMeta | None = None
    event: IntegrationEvent | None = None
    error: str | None = None  # why it could not be decoded: it goes to the DLQ
    unknown: bool = False  # a type or version this build does not know: skipped and counted

    @property
    def position(self) -> int | None:
        return self.meta.source_position if self.meta else None


def decode_incoming(registry: EventRegistry, topic: str, partition: int, offset: int,
                    key: bytes | None, value: bytes | None, headers: tuple) -> Incoming:
    raw = dict(topic=topic, partition=partition, offset=offset, key=key, value=value, headers=tuple(headers or ()))
    try:
        meta = MessageMeta.from_headers(headers)
    except UndecodableMessage as error:
        return Incoming(**raw, error=str(error))
    try:
        event = decode_event(registry, meta, value or b"")
    except (UnknownEventType, UnsupportedEventVersion):
        return Incoming(**raw, meta=meta, unknown=True)
    except UndecodableMessage as error:
        return Incoming(**raw, meta=meta, error=str(error))
    return Incoming(**raw, meta=meta, event=event)


@dataclass
class Plan:
    apply: list[Delivered] = field(default_factory=list)
    mark: int = 0
    duplicates: int = 0
    unknown: list[Incoming] = field(default_factory=list)
    rewind: bool = False  # a message refers to one this consumer never applied: re-read from the start
    gaps: int = 0  # such messages passed over because the partition was already re-read

    @property
    def advances(self) -> bool:
        return bool(self.apply) or bool(self.unknown)


def plan_batch(mark: int, batch: Sequence[Incoming], pass_over_gaps: bool = False) -> Plan:
    """Decide what to do with a partition's messages given the highest position applied.

    A gap (a message whose previous position was never applied) first means "re-read from the
    start": the missing message may be earlier in the log (the consumer resumed at a stale offset).
    If the partition was re-read and the gap is still there, the missing message is not earlier: the
    broker lost it, and the relay republishes everything after such a loss. The gap message is then
    passed over without moving the mark, and its republished copy is applied in order later.

    Messages without a position (undecodable headers) are not planned: the consumer dead-letters them.
    A message whose body could not be decoded, but whose position is known, is passed over like an
    unknown type once it has been dead-lettered, so that the partition moves on.
    """
    plan = Plan(mark=mark)
    for incoming in batch:
        position = incoming.position
        if position is None:
            continue
        if position <= plan.mark:
            plan.duplicates += 1
            continue
        if incoming.meta.previous_position > plan.mark:
            if pass_over_gaps:
                plan.gaps += 1
                continue
            plan.rewind = True
            break
        if incoming.event is None:
            plan.unknown.append(incoming)
        else:
            plan.apply.append(Delivered(incoming.event, incoming.meta))
        plan.mark = position
    return plan
