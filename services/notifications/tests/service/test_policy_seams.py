"""Notifications across its seams, in memory: the events applications and matching publish of their use
cases (made by their own Applications, read off the wire) ask for the messages the policy says, to the
person the events name, once per event; contact details are kept; a message sent is published."""

from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest

from brobygger_applications import application as applications_application
from brobygger_applications import publishing as applications_publishing
from brobygger_applications.application import ApplicationsApplication, NewServiceApplication, NewVolunteerApplication
from brobygger_applications.domain import NewDecision
from brobygger_applications.main import ApplicationsSettings
from brobygger_matching import publishing as matching_publishing
from brobygger_matching.application import MatchingApplication
from brobygger_matching.domain import Candidate, Party, WaitingCase
from brobygger_matching.main import MatchingSettings
from brobygger_notifications import publishing
from brobygger_notifications.application import NotificationsApplication
from brobygger_notifications.application.policy import STAFF, policy
from brobygger_notifications.domain import Contact, Kind, Notification
from brobygger_notifications.main import NotificationsSettings
from brobygger_shared.events.contracts import MunicipalEmailRecorded
from brobygger_shared.events.notifications import NotificationSent
from brobygger_shared.identity import synthetic_identity_number
from brobygger_dev.inmemory import delivered, in_memory, published

CHILD_BORN = date(2014, 6, 9)
KARI_BORN = date(1990, 5, 1)
INTERVIEW_AT = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)


@pytest.fixture
def notifications() -> NotificationsApplication:
    return in_memory(NotificationsApplication, NotificationsSettings())


def applications_events(monkeypatch):
    """A case decided and appealed, and an oppdragstaker invited, approved, flagged for renewal and (another)
    rejected, as applications publishes them."""
    monkeypatch.setattr(applications_application, "render_letter", lambda case, kind, *_: f"{case.id}{kind}".encode())
    app = in_memory(ApplicationsApplication, ApplicationsSettings())
    case, _ = app.receive_service_application(NewServiceApplication(
        national_id=synthetic_identity_number(CHILD_BORN), full_name="Ola Testesen", birth_date=CHILD_BORN,
        address="Testveien 1", area="Nord", scheme="støttekontakt", needs="Fotball.", interests=[],
        wished_activities=[], helper_wishes={}, carers=[], scope_asked=4, email="ola@example.org"), date(2026, 1, 5))
    app.send_interim_reply(case.id, "Mange saker.", date(2026, 3, 1), date(2026, 2, 1), "Sara", date(2026, 2, 1))
    app.decide(case.id, NewDecision(False), "Ikke behov.", "sara", "Sara", date(2026, 2, 10))
    app.register_appeal(case.id, "Uenig.", date(2026, 2, 20), date(2026, 2, 20))

    def volunteer(name: str):
        person, _ = app.receive_volunteer_application(NewVolunteerApplication(
            national_id=synthetic_identity_number(KARI_BORN), full_name=name, birth_date=KARI_BORN,
            roles=["støttekontakt"], area="Nord", interests=[], languages=[], has_driving_licence=False, has_car=False,
            has_spare_bedroom=False, commitment_acknowledged=True, mobile="+4798765432"), date(2026, 1, 5))
        return person

    kari, per = volunteer("Kari Nordmann"), volunteer("Per Hansen")
    app.schedule_interview(kari.id, INTERVIEW_AT, "Rådhuset")
    app.complete_interview(kari.id, date(2026, 1, 12), "", "egnet", "sara")
    app.register_police_certificate(kari.id, "ordinær", date(2026, 1, 20), False, date(2026, 1, 22))
    app.sign_declaration(kari.id, date(2026, 1, 22))
    app.approve(kari.id, date(2026, 1, 23), "sara")
    app.flag_renewals([kari.id], date(2026, 7, 20))
    app.reject(per.id, "Passer ikke.", date(2026, 2, 1), "sara")
    return case, kari, per, published(app, applications_publishing.to_integration_event)


def matching_events():
    """One proposal matched, another declined, as matching publishes them."""
    app = in_memory(MatchingApplication, MatchingSettings())
    kari = Candidate(volunteer_id=UUID(int=1), full_name="Kari", roles=frozenset({"støttekontakt"}),
                     interests=frozenset(), languages=frozenset(), gender=None, birth_date=KARI_BORN, area="Nord",
                     has_car=False, has_spare_bedroom=False, certificate_kind="ordinær", certificate_valid=True,
                     assignments=0)
    today = date(2026, 3, 2)
    matches = []
    for n in (1, 2):
        case = WaitingCase(application_id=UUID(int=1000 + n), scheme="støttekontakt", area="Nord",
                           interests=frozenset(), birth_date=CHILD_BORN, waiting_since=date(2026, 2, 1), scope=4.0,
                           scope_unit="timer_per_uke", period_from=date(2026, 4, 1), period_to=date(2026, 12, 31))
        matches.append(app.propose(case, kari.volunteer_id, [kari], "sara", today))
    app.accept(matches[0].id, Party.USER, today)
    app.accept(matches[0].id, Party.VOLUNTEER, today)
    app.plan_first_meeting(matches[0].id, today, "Biblioteket", "Sara", today)
    app.confirm(matches[0].id, Party.USER, today)
    app.confirm(matches[0].id, Party.VOLUNTEER, today)
    app.decline(matches[1].id, Party.VOLUNTEER, "Har ikke tid.", today)
    return kari.volunteer_id, today, published(app, matching_publishing.to_integration_event)


def consumed(notifications: NotificationsApplication, events) -> list:
    """Deliver each event to the policy, as the consumer does, and save what it asks for."""
    made = []
    for event in events:
        for aggregate in policy(notifications, delivered(event)):
            notifications.save(aggregate)
            made.append(aggregate)
    return made


def asked(made: list) -> list[tuple]:
    return [(n.template, n.recipient_id, n.details) for n in made if isinstance(n, Notification)]


def test_the_events_of_a_case_and_of_an_oppdragstaker_ask_for_their_messages_to_the_person_they_name(
        notifications, monkeypatch):
    case, kari, per, events = applications_events(monkeypatch)

    made = consumed(notifications, events)

    assert asked(made) == [
        (Kind.APPLICATION_RECEIVED, case.id, {}),
        (Kind.INTERIM_REPLY, case.id, {}),
        (Kind.DECISION, case.id, {}),
        (Kind.APPEAL_RECEIVED, case.id, {}),
        (Kind.VOLUNTEER_APPLICATION_RECEIVED, kari.volunteer_id, {}),
        (Kind.VOLUNTEER_APPLICATION_RECEIVED, per.volunteer_id, {}),
        (Kind.INTERVIEW_INVITATION, kari.volunteer_id, {"at": INTERVIEW_AT.isoformat(), "address": "Rådhuset"}),
        (Kind.VOLUNTEER_APPROVED, kari.volunteer_id, {}),
        (Kind.CERTIFICATE_RENEWAL_DUE, kari.volunteer_id, {"due_on": "2026-07-20"}),
        (Kind.VOLUNTEER_REJECTED, per.volunteer_id, {}),
    ]
    contacts = {c.subject_id: (c.email, c.mobile) for c in made if isinstance(c, Contact)}
    assert contacts == {case.id: ("ola@example.org", None), kari.volunteer_id: (None, "+4798765432"),
                        per.volunteer_id: (None, "+4798765432")}
    assert notifications.contact(case.id).email == "ola@example.org"


def test_a_proposal_asks_the_oppdragstaker_and_its_answer_tells_the_staff(notifications):
    volunteer_id, today, events = matching_events()

    assert asked(consumed(notifications, events)) == [
        (Kind.PROPOSAL, volunteer_id, {"expires_on": (today + timedelta(days=14)).isoformat()}),
        (Kind.PROPOSAL, volunteer_id, {"expires_on": (today + timedelta(days=14)).isoformat()}),
        (Kind.PROPOSAL_ANSWERED, STAFF, {"outcome": "matchet"}),
        (Kind.PROPOSAL_ANSWERED, STAFF, {"outcome": "avslått"}),
    ]


def test_an_event_delivered_again_asks_for_the_same_notification_which_cannot_be_saved_twice(notifications):
    [proposed, *_] = matching_events()[2]
    message = delivered(proposed)
    [first] = policy(notifications, message)
    [again] = policy(notifications, message)

    assert first.id == again.id
    assert notifications.save_once(first) and not notifications.save_once(again)


def test_a_message_sent_is_published_with_its_recipient_kind_and_channel_and_nothing_else_is(notifications):
    volunteer_id, _, events = matching_events()
    [proposal, *_] = consumed(notifications, events)
    at = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    proposal.record_sent("sms", "provider-1", at)
    notifications.save(proposal)

    [sent] = published(notifications, publishing.to_integration_event)
    assert isinstance(sent, NotificationSent)
    assert (sent.aggregate_id, sent.recipient_id, sent.kind, sent.channel, sent.sent_at) == (
        proposal.id, volunteer_id, Kind.PROPOSAL, "sms", at)


def test_the_municipal_email_recorded_for_an_oppdragstaker_replaces_the_address_they_gave(notifications, monkeypatch):
    _, kari, per, events = applications_events(monkeypatch)
    consumed(notifications, events)  # Kari gave a mobile and no e-mail
    recorded = [MunicipalEmailRecorded(aggregate_id=UUID(int=50), volunteer_id=volunteer.volunteer_id,
                                       email=f"{name}@eksempel.kommune.no", recorded_on=date(2026, 2, 1))
                for volunteer, name in ((kari, "kari.nordmann"), (per, "per.hansen"))]
    recorded.append(MunicipalEmailRecorded(aggregate_id=UUID(int=51), volunteer_id=UUID(int=404),
                                           email="ny@eksempel.kommune.no", recorded_on=date(2026, 2, 1)))

    consumed(notifications, recorded)

    contact = notifications.repository.get(Contact.create_id(kari.volunteer_id))
    assert (contact.email, contact.mobile) == ("kari.nordmann@eksempel.kommune.no", "+4798765432")
    assert notifications.repository.get(Contact.create_id(UUID(int=404))).email == "ny@eksempel.kommune.no"
