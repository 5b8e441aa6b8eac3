"""TimesheetRejected v2 names the oppdragstaker; v1, which did not, is read with none."""

from uuid import uuid4

from brobygger_shared.events.base import registry
from brobygger_shared.events.payroll import TimesheetRejected


def test_version_1_is_read_as_the_current_version_naming_no_oppdragstaker():
    contract = uuid4()
    event = registry.decode("TimesheetRejected", 1, {
        "event_id": str(uuid4()), "aggregate_id": str(uuid4()), "occurred_at": "2026-04-03T10:00:00+00:00",
        "contract_id": str(contract), "period": "2026-03", "reason": "Feil dato."})
    assert isinstance(event, TimesheetRejected)
    assert (event.contract_id, event.period, event.reason, event.volunteer_id) == (contract, "2026-03", "Feil dato.", None)


def test_version_2_round_trips_the_oppdragstaker():
    volunteer = uuid4()
    event = TimesheetRejected(aggregate_id=uuid4(), contract_id=uuid4(), volunteer_id=volunteer, period="2026-03",
                              reason="Feil dato.")
    assert TimesheetRejected.event_version == 2
    assert registry.decode("TimesheetRejected", 2, event.to_json()).volunteer_id == volunteer
