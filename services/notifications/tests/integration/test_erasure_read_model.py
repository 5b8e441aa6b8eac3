"""PersonErased in notifications' outbox read model, on real PostgreSQL: a failure's reason (it may quote
the address refused) goes for the erased recipient only; the same erasure again changes nothing more. The
sealing of contact details and message texts is tested in memory in tests/service/test_erasure.py."""

from datetime import date
from uuid import uuid4

import pytest

from brobygger_dev.testing import project, rows
from brobygger_notifications.projections import outbox, reminders
from brobygger_shared.events import applications as a


@pytest.mark.stack
def test_person_erased_blanks_a_failures_reason_in_the_outbox_and_a_replay_shows_slettet(scratch_database):
    volunteer, other = uuid4(), uuid4()
    project(scratch_database, outbox)
    for notification_id, recipient in ((uuid4(), volunteer), (uuid4(), other)):
        rows(scratch_database, "INSERT INTO notification_outbox (notification_id, position, recipient_id, kind,"
             " caused_by, requested_at, status, reason, changed_at) VALUES ($1, 1, $2, 'intervju', $1, now(),"
             " 'til_ansatte', '550 kari.nordmann@kommune.no: no such user', now()) RETURNING 1",
             notification_id, recipient)
    erasure = a.PersonErased(aggregate_id=volunteer, volunteer_ids=[volunteer], erased_on=date(2026, 11, 27))
    project(scratch_database, reminders, erasure)
    project(scratch_database, reminders, erasure)  # a replay of the topic: the same again
    reasons = {row["recipient_id"]: row["reason"] for row in rows(
        scratch_database, "SELECT recipient_id, reason FROM notification_outbox")}
    assert reasons == {volunteer: "slettet", other: "550 kari.nordmann@kommune.no: no such user"}
