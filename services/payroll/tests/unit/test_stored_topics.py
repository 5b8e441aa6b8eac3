"""The aggregates' events keep the topics they were first stored under (`brobygger_payroll.domain:…`,
from before the domain was a package), so the stored log still resolves and queries by topic match."""

import pytest
from eventsourcing.utils import get_topic, resolve_topic

from brobygger_payroll.domain.payees import Payee
from brobygger_payroll.domain.rates import RateBook
from brobygger_payroll.domain.runs import PayrollRun
from brobygger_payroll.domain.timesheets import Timesheet

STORED = {
    "brobygger_payroll.domain:Timesheet.Submitted": Timesheet.Submitted,
    "brobygger_payroll.domain:Timesheet.Resubmitted": Timesheet.Resubmitted,
    "brobygger_payroll.domain:Timesheet.Approved": Timesheet.Approved,
    "brobygger_payroll.domain:Timesheet.Returned": Timesheet.Returned,
    "brobygger_payroll.domain:RateBook.Opened": RateBook.Opened,
    "brobygger_payroll.domain:RateBook.RateChanged": RateBook.RateChanged,
    "brobygger_payroll.domain:PayrollRun.Completed": PayrollRun.Completed,
    "brobygger_payroll.domain:Payee.Registered": Payee.Registered,
    "brobygger_payroll.domain:Payee.EmployeeNumberAssigned": Payee.EmployeeNumberAssigned,
}


@pytest.mark.parametrize("topic", sorted(STORED))
def test_a_stored_topic_resolves_to_its_event_and_new_events_are_stored_under_it(topic):
    assert resolve_topic(topic) is STORED[topic]
    assert get_topic(STORED[topic]) == topic


@pytest.mark.parametrize("aggregate", [Timesheet, RateBook, PayrollRun, Payee])
def test_the_aggregates_keep_their_stored_topic(aggregate):
    assert get_topic(aggregate) == f"brobygger_payroll.domain:{aggregate.__name__}"
