"""Planning one partition's batch: what to apply, what to skip, where the mark goes, when to rewind."""

from datetime import date
from uuid import uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

from brobygger_shared.delivery import Incoming, decode_incoming, plan_batch
from brobygger_shared.events import IntegrationEvent, registry
from brobygger_shared.events.applications import VolunteerApplicationReceived
from brobygger_shared.messages import Envelope

TOPIC = "brobygger.applications.events"


class NotYetKnown(IntegrationEvent):
    """A type a newer producer publishes; deliberately not registered."""

    event_type = "NotYetKnown"


def received() -> VolunteerApplicationReceived:
    return VolunteerApplicationReceived(
        aggregate_id=uuid4(), volunteer_id=uuid4(), full_name="Test Testesen", birth_date=date(1990, 1, 1),
        roles=["støttekontakt"], area="Sentrum",
    )


def message(position: int, previous: int, event: IntegrationEvent | None = None, value: bytes | None = None) -> Incoming:
    envelope = Envelope(event or received(), "applications", position, previous, correlation_id="c", causation_id="c")
    return decode_incoming(
        registry, TOPIC, 0, position + 100, envelope.key, envelope.value if value is None else value, envelope.headers
    )


def without_headers(offset: int) -> Incoming:
    return decode_incoming(registry, TOPIC, 0, offset, None, b"{}", ())


def applied_positions(plan) -> list[int]:
    return [delivered.meta.source_position for delivered in plan.apply]


def test_a_valid_message_decodes_to_its_event_and_position():
    event = received()
    incoming = message(7, 6, event)

    assert incoming.event == event
    assert incoming.position == 7
    assert incoming.error is None and not incoming.unknown


def test_a_chain_from_mark_0_is_applied_in_order_and_the_mark_ends_at_the_last():
    batch = [message(1, 0), message(2, 1), message(3, 2)]

    plan = plan_batch(0, batch)

    assert [delivered.event for delivered in plan.apply] == [incoming.event for incoming in batch]
    assert applied_positions(plan) == [1, 2, 3]
    assert plan.mark == 3
    assert plan.duplicates == 0 and not plan.rewind and plan.advances


def test_messages_at_or_below_the_mark_are_counted_as_duplicates_and_not_applied():
    plan = plan_batch(2, [message(1, 0), message(2, 1), message(3, 2)])

    assert plan.duplicates == 2
    assert applied_positions(plan) == [3]
    assert plan.mark == 3


def test_a_batch_of_only_duplicates_leaves_the_mark_and_does_not_advance():
    plan = plan_batch(5, [message(4, 3), message(5, 4)])

    assert plan.duplicates == 2
    assert plan.apply == [] and plan.mark == 5 and not plan.advances


def test_a_message_referring_to_an_unapplied_predecessor_asks_for_a_rewind_and_stops_the_plan():
    plan = plan_batch(0, [message(1, 0), message(4, 3), message(5, 4)])

    assert plan.rewind
    assert applied_positions(plan) == [1]
    assert plan.mark == 1


def test_a_gap_right_after_the_mark_asks_for_a_rewind_before_applying_anything():
    plan = plan_batch(10, [message(12, 11)])

    assert plan.rewind
    assert plan.apply == [] and plan.mark == 10


def test_an_unknown_event_type_is_set_aside_and_moves_the_mark_past_it():
    unknown = message(2, 1, NotYetKnown(aggregate_id=uuid4()))
    assert unknown.unknown and unknown.event is None

    plan = plan_batch(0, [message(1, 0), unknown, message(3, 2)])

    assert plan.unknown == [unknown]
    assert applied_positions(plan) == [1, 3]
    assert plan.mark == 3


def test_a_batch_of_only_unknown_types_still_advances():
    plan = plan_batch(0, [message(1, 0, NotYetKnown(aggregate_id=uuid4()))])

    assert plan.advances and plan.mark == 1


def test_a_message_without_headers_has_an_error_and_no_position_and_the_plan_ignores_it():
    headerless = without_headers(offset=50)
    assert headerless.error and headerless.position is None

    plan = plan_batch(0, [message(1, 0), headerless, message(2, 1)])

    assert applied_positions(plan) == [1, 2]
    assert plan.duplicates == 0 and plan.unknown == [] and not plan.rewind
    assert plan.mark == 2


def test_a_message_with_an_unreadable_body_but_known_position_is_passed_over_so_the_partition_moves_on():
    broken = message(2, 1, value=b"not json")
    assert broken.error and broken.position == 2

    plan = plan_batch(1, [broken, message(3, 2)])

    assert plan.unknown == [broken]
    assert applied_positions(plan) == [3]
    assert plan.mark == 3


@settings(database=None, max_examples=50)
@given(
    mark=st.integers(min_value=0, max_value=8),
    first=st.integers(min_value=1, max_value=5),
    length=st.integers(min_value=0, max_value=8),
)
def test_replaying_a_contiguous_chain_applies_exactly_what_lies_above_the_mark(mark, first, length):
    # A partition re-read from any point at or before the mark: the chain first, first+1, ... is gapless.
    batch = [message(position, position - 1) for position in range(first, first + length)]

    plan = plan_batch(mark, batch)

    above = [position for position in range(first, first + length) if position > mark]
    if above and above[0] - 1 > mark:  # the chain starts beyond the mark: a gap, so rewind
        assert plan.rewind and plan.apply == [] and plan.mark == mark
    else:
        assert applied_positions(plan) == above
        assert plan.duplicates == length - len(above)
        assert plan.mark == (above[-1] if above else mark)
        assert not plan.rewind


def test_after_a_reread_a_gap_is_passed_over_and_the_republished_copies_are_applied_in_order():
    # The broker lost positions 3..4: the log after its restart holds a resend that refers to them
    # (5 after 4), then the relay's republish from position 1.
    log = [message(5, 4), message(1, 0), message(2, 1), message(3, 2), message(4, 3), message(5, 4)]

    first_look = plan_batch(2, log)
    after_reread = plan_batch(2, log, pass_over_gaps=True)

    assert first_look.rewind and not first_look.apply
    assert after_reread.gaps == 1
    assert not after_reread.rewind
    assert applied_positions(after_reread) == [3, 4, 5]
    assert after_reread.mark == 5
