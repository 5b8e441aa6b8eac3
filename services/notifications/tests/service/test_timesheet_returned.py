"""A timesheet payroll returns for correction asks for an e-mail to the oppdragstaker it names, with the
reason; a returned timesheet published before payroll named the oppdragstaker asks for nothing."""

from datetime import date
from uuid import uuid4

import pytest

from brobygger_dev.inmemory import delivered, on_the_wire
from brobygger_notifications.application import NotificationsApplication
from brobygger_notifications.application.policy import policy
from brobygger_notifications.domain import Kind, Notification
from brobygger_notifications.main import NotificationsSettings
from brobygger_payroll import publishing as payroll_publishing
from brobygger_payroll.domain.timesheets import Timesheet
from brobygger_shared.events.payroll import TimesheetRejected
from brobygger_shared.events.base import registry
from brobygger_dev.inmemory import in_memory


@pytest.fixture
def notifications() -> NotificationsApplication:
    return in_memory(NotificationsApplication, NotificationsSettings())


def test_a_returned_timesheet_asks_for_a_message_to_its_oppdragstaker_with_the_reason(notifications):
    contract, volunteer = uuid4(), uuid4()
    sheet = Timesheet(id=uuid4(), contract_id=contract, volunteer_id=volunteer, period="2026-03", entries=[], flags=[],
                      submitted_on=date(2026, 4, 2))
    sheet.return_for_correction("Timene 12. mars mangler.", "sara", date(2026, 4, 3))
    returned = sheet.collect_events()[-1]
    [event] = [on_the_wire(payroll_publishing.to_integration_event(returned))]
    assert isinstance(event, TimesheetRejected) and event.volunteer_id == volunteer

    [notification] = [a for a in policy(notifications, delivered(event)) if isinstance(a, Notification)]
    assert notification.recipient_id == volunteer
    assert notification.template == Kind.TIMESHEET_RETURNED
    assert notification.details == {"period": "2026-03", "reason": "Timene 12. mars mangler."}


def test_a_returned_timesheet_of_version_1_names_no_one_and_asks_for_nothing(notifications):
    v1 = registry.decode("TimesheetRejected", 1, {
        "event_id": str(uuid4()), "aggregate_id": str(uuid4()), "occurred_at": "2026-04-03T10:00:00+00:00",
        "contract_id": str(uuid4()), "period": "2026-03", "reason": "Feil dato."})
    assert v1.volunteer_id is None
    assert list(policy(notifications, delivered(v1))) == []
