"""Need-to-know in notifications, in memory: the messages a barnevern case's events ask for are marked as
the barnevern case's (listed only for the barnevern role), an ordinary case's and an oppdragstaker's are not."""

from datetime import date

import pytest

from brobygger_applications import application as applications_application
from brobygger_applications import publishing as applications_publishing
from brobygger_applications.application import ApplicationsApplication, NewServiceApplication
from brobygger_applications.domain import NewDecision
from brobygger_applications.main import ApplicationsSettings
from brobygger_notifications.application import NotificationsApplication
from brobygger_notifications.domain import Notification
from brobygger_notifications.main import NotificationsSettings
from brobygger_shared.identity import synthetic_identity_number
from brobygger_dev.inmemory import in_memory, published

from .test_policy_seams import consumed

CHILD_BORN = date(2014, 6, 9)


@pytest.fixture
def notifications() -> NotificationsApplication:
    return in_memory(NotificationsApplication, NotificationsSettings())


def test_a_barnevern_cases_messages_are_marked_as_its_and_an_ordinary_cases_are_not(notifications, monkeypatch):
    monkeypatch.setattr(applications_application, "render_letter", lambda case, kind, *_: f"{case.id}{kind}".encode())
    app = in_memory(ApplicationsApplication, ApplicationsSettings())
    cases = {}
    for scheme in ("besøkshjem", "støttekontakt"):
        case, _ = app.receive_service_application(NewServiceApplication(
            national_id=synthetic_identity_number(CHILD_BORN), full_name="Ola Testesen", birth_date=CHILD_BORN,
            address="Testveien 1", area="Nord", scheme=scheme, needs="Avlastning.", interests=[],
            wished_activities=[], helper_wishes={}, carers=[], scope_asked=2, email="ola@example.org"),
            date(2026, 1, 5))
        app.decide(case.id, NewDecision(False), "Ikke behov.", "sara", "Sara", date(2026, 2, 10))
        cases[scheme] = case.id

    made = [n for n in consumed(notifications, published(app, applications_publishing.to_integration_event))
            if isinstance(n, Notification)]

    barnevern = {n.template for n in made if n.recipient_id == cases["besøkshjem"]}
    ordinary = {n.template for n in made if n.recipient_id == cases["støttekontakt"]}
    assert barnevern == ordinary == {"soknad_mottatt", "vedtak"}
    assert all(n.is_barnevern for n in made if n.recipient_id == cases["besøkshjem"])
    assert not any(n.is_barnevern for n in made if n.recipient_id == cases["støttekontakt"])
    assert all(notifications.repository.get(n.id).is_barnevern for n in made if n.recipient_id == cases["besøkshjem"])
