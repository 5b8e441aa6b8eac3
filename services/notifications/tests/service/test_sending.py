"""The sender, in memory, with channels that record what they are handed: an important letter to a person
reserved in KRR (looked up by identity number) becomes a staff task "send i posten", as it does when the
identity number is unknown or no register is connected; a service message still goes; a contract ready
to sign goes by e-mail and, to a mobile number too, by SMS, each recorded sent once."""

import asyncio
from datetime import date
from uuid import uuid4

import pytest

from brobygger_dev.inmemory import delivered, in_memory
from brobygger_notifications.application import NotificationsApplication
from brobygger_notifications.application.policy import policy
from brobygger_notifications.application.reservations import DevReservationRegister, NoReservationRegister
from brobygger_notifications.application.sending import NO_IDENTITY, RESERVED, Sender
from brobygger_notifications.domain import Notification, NotificationStatus, StaffTask
from brobygger_notifications.main import NotificationsSettings
from brobygger_shared.events import applications as a
from brobygger_shared.events import contracts as c
from brobygger_shared.identity import synthetic_identity_number

RESERVED_NUMBER = synthetic_identity_number(date(1990, 11, 17))
FREE_NUMBER = synthetic_identity_number(date(1985, 3, 2))


class Recording:
    """Stands in for the SMTP server and the SMS gateway: keeps what it is handed, answers an id."""

    def __init__(self) -> None:
        self.handed: list[tuple[str, object]] = []

    async def send(self, notification_id, to, message, *_) -> str:
        self.handed.append((to, message))
        return f"<{notification_id}@test>"


@pytest.fixture
def app() -> NotificationsApplication:
    return in_memory(NotificationsApplication, NotificationsSettings())


def sender(app, register=None) -> tuple[Sender, Recording, Recording]:
    smtp, sms = Recording(), Recording()
    register = register or DevReservationRegister.of([RESERVED_NUMBER])
    return Sender(app, NotificationsSettings(), smtp, sms, register), smtp, sms


def asked(app, event) -> list[Notification]:
    made = list(policy(app, delivered(event)))
    app.save(*made)
    return [n for n in made if isinstance(n, Notification)]


def send_all(app, sending: Sender, notifications: list[Notification]) -> dict[str, Notification]:
    for notification in notifications:
        asyncio.run(sending.send(notification.id))
    return {n.template + (f":{n.channel}" if n.channel else ""): app.notification(n.id) for n in notifications}


def søknad(national_id: str | None, email: str = "innbygger@example.org") -> a.ApplicationReceived:
    return a.ApplicationReceived(aggregate_id=uuid4(), scheme="støttekontakt", is_barnevern=False, person_id=uuid4(),
                                 birth_date=date(1990, 11, 17), area="Sentrum", received_on=date(2026, 11, 2),
                                 email=email, national_id=national_id)


def vedtak(case_id) -> a.LetterIssued:
    return a.LetterIssued(aggregate_id=case_id, scheme="støttekontakt", is_barnevern=False, letter_number=1,
                          kind="vedtak", issued_on=date(2026, 11, 20), sha256="0" * 64, document_path="/x.pdf")


@pytest.mark.parametrize(("national_id", "register", "reason"), [
    (RESERVED_NUMBER, None, RESERVED),
    (None, None, NO_IDENTITY),  # a contact registered before the events carried the identity number
    (FREE_NUMBER, NoReservationRegister(), "Reservasjonsregisteret (KRR) er ikke koblet til"),
])
def test_a_vedtak_that_may_not_go_digitally_becomes_a_letter_to_post_while_the_receipt_still_goes(
        app, national_id, register, reason):
    sending, smtp, _ = sender(app, register)
    received = søknad(national_id)
    notifications = asked(app, received) + asked(app, vedtak(received.aggregate_id))

    done = send_all(app, sending, notifications)

    assert done["vedtak"].status == NotificationStatus.STAFF
    assert done["vedtak"].staff_task["task"] == StaffTask.SEND_BY_POST
    assert done["vedtak"].staff_task["reason"].startswith(reason)
    assert done["soknad_mottatt"].status == NotificationStatus.SENT  # a service message, not a letter
    assert [to for to, _ in smtp.handed] == ["innbygger@example.org"]


def test_a_vedtak_to_a_person_not_reserved_goes_by_email(app):
    sending, smtp, _ = sender(app)
    received = søknad(FREE_NUMBER)

    done = send_all(app, sending, asked(app, received) + asked(app, vedtak(received.aggregate_id)))

    assert done["vedtak"].status == NotificationStatus.SENT and len(smtp.handed) == 2


def volunteer(email: str | None, mobile: str | None) -> a.VolunteerApplicationReceived:
    return a.VolunteerApplicationReceived(aggregate_id=uuid4(), volunteer_id=uuid4(), full_name="Kari Nordmann",
                                          birth_date=date(1985, 3, 2), roles=["støttekontakt"], area="Nord",
                                          email=email, mobile=mobile, national_id=FREE_NUMBER)


def ready(volunteer_id) -> c.ContractReadyForSignature:
    return c.ContractReadyForSignature(aggregate_id=uuid4(), contract_id=uuid4(), volunteer_id=volunteer_id,
                                       application_id=uuid4(), scheme="støttekontakt")


def test_a_contract_ready_to_sign_goes_by_email_and_by_sms_each_recorded_sent_once(app):
    sending, smtp, sms = sender(app)
    person = volunteer("kari@example.org", "+4791234567")
    asked(app, person)
    notifications = asked(app, ready(person.volunteer_id))

    done = send_all(app, sending, notifications)

    assert {n.channel for n in notifications} == {"epost", "sms"} and len({n.id for n in notifications}) == 2
    assert done["avtale_til_signering:epost"].sent["channel"] == "epost"
    assert done["avtale_til_signering:sms"].sent["channel"] == "sms"
    [(to, message)] = smtp.handed
    assert to == "kari@example.org" and "oppdragsavtaler/" in message.text
    assert [to for to, _ in sms.handed] == ["+4791234567"]
    assert "oppdragsavtaler/" in sms.handed[0][1]


@pytest.mark.parametrize(("email", "mobile", "sent", "skipped"), [
    ("kari@example.org", None, "epost", "sms"),
    (None, "+4791234567", "sms", "epost"),
])
def test_a_contract_ready_to_sign_goes_by_the_one_channel_the_person_gave(app, email, mobile, sent, skipped):
    sending, _, _ = sender(app)
    person = volunteer(email, mobile)
    asked(app, person)

    done = send_all(app, sending, asked(app, ready(person.volunteer_id)))

    assert done[f"avtale_til_signering:{sent}"].status == NotificationStatus.SENT
    assert done[f"avtale_til_signering:{skipped}"].status == NotificationStatus.SKIPPED


def test_the_dev_register_takes_synthetic_identity_numbers_from_the_setting_and_a_file(tmp_path):
    listed = tmp_path / "krr.txt"
    listed.write_text(f"# reserved in dev\n{FREE_NUMBER}  # Kari\n\n")

    register = DevReservationRegister.from_settings(f" {RESERVED_NUMBER} ,", str(listed))

    assert register.reserved_numbers == {RESERVED_NUMBER, FREE_NUMBER}
    with pytest.raises(ValueError, match="synthetic"):
        DevReservationRegister.of(["01019010046"])  # a valid fødselsnummer, not a synthetic one


def test_the_dev_register_is_refused_in_production():
    with pytest.raises(ValueError, match="KRR_DEV_RESERVED"):
        NotificationsSettings(environment="production", auth_public_key="the kommune's own",
                              auth_role_keys={"arkiv": "the kommune's own"}, krr_dev_reserved=RESERVED_NUMBER)
