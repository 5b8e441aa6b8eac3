"""The notifications domain: a notification's life, backoff, reminders decided once, and rendering."""

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from brobygger_notifications.application.messages import render
from brobygger_notifications.application.policy import STAFF, messages_for
from brobygger_notifications.domain import (
    KINDS, ActiveContract, Audience, Backoff, Notification, NotificationStatus, StaffTask, timesheet_reminders,
)
from brobygger_notifications.domain.notification import AlreadyDone
from brobygger_shared.events import applications as a
from brobygger_shared.events import contracts as c
from brobygger_shared.events import matching as m

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def requested() -> Notification:
    return Notification(id=uuid4(), recipient_id=uuid4(), template="vedtak", caused_by=uuid4(), requested_at=NOW)


def test_sent_once_with_the_providers_id_and_never_again():
    notification = requested()
    notification.record_sent("epost", "<id@x>", NOW)
    assert notification.status == NotificationStatus.SENT and notification.sent["provider_id"] == "<id@x>"
    with pytest.raises(AlreadyDone):
        notification.record_sent("epost", "<id@x>", NOW)
    with pytest.raises(AlreadyDone):
        notification.record_failure("late", NOW, Backoff())


def test_failures_back_off_doubling_and_the_last_becomes_a_staff_task():
    notification = requested()
    backoff = Backoff(attempts=4, first=timedelta(seconds=30), longest=timedelta(seconds=90))
    due = []
    for _ in range(3):
        notification.record_failure("SMTP: ConnectionRefusedError", NOW, backoff)
        due.append(notification.next_attempt_at - NOW)
    assert due == [timedelta(seconds=30), timedelta(seconds=60), timedelta(seconds=90)]
    assert not notification.due(NOW) and notification.due(NOW + timedelta(seconds=90))
    notification.record_failure("SMTP: ConnectionRefusedError", NOW, backoff)
    assert notification.status == NotificationStatus.STAFF
    assert notification.staff_task["task"] == StaffTask.LOOK_INTO_FAILURE and not notification.due(NOW)


def test_a_first_requested_event_without_the_later_fields_still_replays():
    notification = Notification(id=uuid4(), recipient_id=uuid4(), template="soknad_mottatt_oppdragstaker",
                                caused_by=uuid4())
    event = notification.collect_events()[0]
    for name in ("subject_id", "details", "requested_at"):
        vars(event).pop(name)
    replayed = event.mutate(None)
    assert replayed.subject_id == replayed.recipient_id and replayed.details == {} and replayed.due(NOW)


CONTRACT = ActiveContract(uuid4(), uuid4(), date(2026, 1, 1), date(2026, 12, 31))


@pytest.mark.parametrize("today, due", [
    (date(2026, 11, 1), False), (date(2026, 11, 2), True), (date(2026, 11, 5), True), (date(2026, 11, 6), False),
])
def test_a_timesheet_reminder_is_due_in_the_days_before_the_deadline(today, due):
    reminders = timesheet_reminders(today, deadline_day=5, days_before=3, contracts=[CONTRACT], submitted=set())
    assert bool(reminders) == due
    if due:
        assert reminders[0].period == "2026-10" and reminders[0].person == CONTRACT.volunteer_id


def test_a_reminder_has_the_same_id_on_every_day_of_its_window_and_none_once_submitted():
    ids = {timesheet_reminders(date(2026, 11, day), 5, 3, [CONTRACT], set())[0].notification_id
           for day in (2, 3, 4, 5)}
    assert len(ids) == 1
    assert timesheet_reminders(date(2026, 11, 3), 5, 3, [CONTRACT], {(CONTRACT.contract_id, "2026-10")}) == []


def test_no_reminder_for_a_contract_not_active_last_month():
    later = ActiveContract(uuid4(), uuid4(), date(2026, 11, 1), date(2027, 6, 30))
    ended = ActiveContract(uuid4(), uuid4(), date(2026, 1, 1), date(2026, 12, 31), ends_on=date(2026, 9, 30))
    assert timesheet_reminders(date(2026, 11, 3), 5, 3, [later, ended], set()) == []


def _case_event(cls, **fields):
    return cls(aggregate_id=uuid4(), scheme="støttekontakt", is_barnevern=False, **fields)


def test_events_ask_for_the_messages_of_their_kind():
    letter = _case_event(a.LetterIssued, letter_number=1, kind="vedtak", issued_on=date(2026, 11, 2),
                         sha256="0" * 64, document_path="/x.pdf")
    assert [kind for kind, *_ in messages_for(letter)] == ["vedtak"]
    assert messages_for(letter)[0][1] == letter.aggregate_id  # to the citizen of the case
    match = m.MatchDeclined(aggregate_id=uuid4(), application_id=uuid4(), volunteer_id=uuid4(), scheme="besøkshjem",
                            declined_by="bruker", reason="x", declined_on=date(2026, 11, 2))
    assert messages_for(match) == [("forslag_besvart", STAFF, {"outcome": "avslått"})]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_renders_in_bokmål_and_no_message_to_a_citizen_names_the_case(kind):
    details = {"at": "2026-12-01T10:00:00+01:00", "address": "Rådhuset, rom 3", "expires_on": "2026-12-01", "due_on": "2026-12-01", "period": "2026-10", "deadline": "2026-11-05",
               "outcome": "matchet", "contract_id": str(uuid4()), "reason": "Timene 12. mars mangler.",
               "interim_replies": 1, "proposals": 2, "renewals": 0, "day": "2026-12-01"}
    message = render(kind, details, "Eksempel kommune", "12 34 56 78", "https://portal.example.org/",
                     "https://staff.example.org/")
    assert message.subject and message.text.strip() and "<p>" in message.html and message.sms
    assert len(message.sms) <= 160 * 2
    if KINDS[kind].audience == Audience.CITIZEN:
        assert message.subject == "Ny melding fra Eksempel kommune"
        assert "Du har en ny melding fra Eksempel kommune. Logg inn for å lese den" in message.text
        for word in ("vedtak", "søknad", "klage", "støttekontakt", "avlastning", "barnevern", "besøkshjem"):
            assert word not in (message.subject + message.text + message.sms).lower()


def test_a_contract_ready_to_sign_asks_for_an_email_and_an_sms_leading_to_the_portal_behind_sign_in():
    ready = c.ContractReadyForSignature(aggregate_id=uuid4(), contract_id=uuid4(), volunteer_id=uuid4(),
                                        application_id=uuid4(), scheme="besøkshjem")
    [(kind, recipient, details)] = messages_for(ready)
    assert (kind, recipient, details) == ("avtale_til_signering", ready.volunteer_id,
                                          {"contract_id": str(ready.contract_id)})
    assert KINDS[kind].sms_too and not KINDS[kind].important

    message = render(kind, details, "Eksempel kommune", "", "https://portal.example.org", "https://s/")
    link = f"https://portal.example.org/oppdragsavtaler/{ready.contract_id}"
    assert message.subject == "Du har en oppdragsavtale å signere – Eksempel kommune"
    assert link in message.text and f'href="{link}"' in message.html and link in message.sms
    assert "ID-porten" in message.text and "/signering/" not in message.text + message.html + message.sms
    for word in ("besøkshjem", "barnevern", "støttekontakt", "avlastning"):
        assert word not in (message.subject + message.text + message.sms).lower()


def test_html_is_escaped_and_text_is_not():
    message = render("godkjent_oppdragstaker", {}, "Kommune <&>", "", "https://p/", "https://s/")
    assert "Kommune &lt;&amp;&gt;" in message.html and "Kommune <&>" in message.text


def test_an_interview_invitation_names_the_time_in_norwegian_time_and_the_place():
    invitation = a.InterviewScheduled(aggregate_id=uuid4(), volunteer_id=uuid4(),
                                      at=datetime(2026, 12, 1, 9, 0, tzinfo=UTC), address="Rådhuset, rom 3")
    [(kind, recipient, details)] = messages_for(invitation)
    assert (kind, recipient) == ("intervju_oppdragstaker", invitation.volunteer_id)
    message = render(kind, details, "Eksempel kommune", "", "https://p/", "https://s/")
    assert "intervju tirsdag 1. desember 2026 kl. 10.00, Rådhuset, rom 3." in message.text
    assert "tirsdag 1. desember 2026 kl. 10.00" in message.sms


def test_an_unanswered_proposal_is_reminded_in_the_days_before_it_lapses_once_per_proposal():
    from brobygger_notifications.domain import OpenProposal, lapsing_proposals

    proposal = OpenProposal(uuid4(), uuid4(), date(2026, 12, 10))
    assert lapsing_proposals(date(2026, 12, 7), 2, [proposal]) == []
    reminders = [lapsing_proposals(date(2026, 12, day), 2, [proposal]) for day in (8, 9, 10)]
    assert len({reminder[0].notification_id for reminder in reminders}) == 1
    assert lapsing_proposals(date(2026, 12, 11), 2, [proposal]) == []


def test_the_daily_digest_goes_once_a_day_from_its_hour_and_only_when_something_is_overdue():
    from brobygger_notifications.domain import Overdue, daily_digest

    overdue = Overdue(interim_replies=2, proposals=0, renewals=1)
    assert daily_digest(date(2026, 12, 1), 6, 7, overdue, STAFF) is None
    assert daily_digest(date(2026, 12, 1), 9, 7, Overdue(), STAFF) is None
    morning, evening = (daily_digest(date(2026, 12, 1), hour, 7, overdue, STAFF) for hour in (7, 20))
    assert morning.notification_id == evening.notification_id
    assert daily_digest(date(2026, 12, 2), 7, 7, overdue, STAFF).notification_id != morning.notification_id
    message = render("daglig_oversikt", morning.details, "Eksempel kommune", "", "https://p/", "https://s/")
    assert "- 2 søknader uten vedtak eller foreløpig svar" in message.text
    assert "- 1 politiattest som skal fornyes" in message.text and "forslag" not in message.text
