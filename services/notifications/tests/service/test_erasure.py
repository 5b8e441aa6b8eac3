"""Erasure in notifications: the contact details and the identity number kept for KRR, what a message
says and a failure's reason are sealed in notifications' own events under the person's key, so the stored
events never hold them in the clear and, once the key is deleted, read as nothing or "slettet".
(PersonErased on the outbox read model: tests/integration.)"""

from datetime import UTC, date, datetime
from uuid import uuid4

from brobygger_dev.inmemory import in_memory
from brobygger_notifications.application import NotificationsApplication
from brobygger_notifications.domain import Contact, Notification
from brobygger_notifications.domain.notification import Backoff
from brobygger_notifications.main import NotificationsSettings
from brobygger_shared.identity import synthetic_identity_number
from brobygger_shared.shredding import erase_keys

AT = datetime(2026, 11, 27, 9, tzinfo=UTC)
NATIONAL_ID = synthetic_identity_number(date(1990, 5, 1))


def test_contact_details_and_what_a_message_says_are_sealed_and_read_as_erased_after_the_key_is_gone(keys_in_memory):
    app = in_memory(NotificationsApplication, NotificationsSettings())
    volunteer = uuid4()
    contact = Contact(subject_id=volunteer, email="kari.nordmann@eksempel.no", mobile="+4791234567",
                      national_id=NATIONAL_ID)
    contact.use_municipal_email("kari.nordmann@kommune.no")
    note = Notification(id=uuid4(), recipient_id=volunteer, template="intervju", caused_by=uuid4(),
                        details={"sted": "Kari Nordmanns kontor"}, requested_at=AT)
    note.record_failure("550 kari.nordmann@kommune.no: no such user", AT, Backoff(attempts=1))
    app.save(contact, note)

    stored = b"".join(n.state for n in app.recorder.select_notifications(start=1, limit=100))
    assert b"nordmann" not in stored.lower() and NATIONAL_ID.encode() not in stored and b"91234567" not in stored
    assert app.contact(volunteer).email == "kari.nordmann@kommune.no"  # opened while the key is there

    erase_keys([volunteer])
    erased = app.contact(volunteer)
    assert (erased.email, erased.mobile, erased.national_id, erased.reachable) == (None, None, None, False)
    read = app.notification(note.id)
    assert read.details == {} and read.staff_task["reason"] == "slettet"
