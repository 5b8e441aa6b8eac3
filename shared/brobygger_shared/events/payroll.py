"""Integration events published by the payroll service (topic brobygger.payroll.events)."""

from datetime import date
from uuid import UUID

from brobygger_shared.events.base import IntegrationEvent, integration_event


@integration_event
class TimesheetSubmitted(IntegrationEvent):
    event_type = "TimesheetSubmitted"

    contract_id: UUID
    volunteer_id: UUID
    period: str
    entries: int
    hours: float
    dogn: int
    flags: list[str] = []
    correction: bool = False


@integration_event
class TimesheetApproved(IntegrationEvent):
    event_type = "TimesheetApproved"

    contract_id: UUID
    volunteer_id: UUID
    period: str
    approved_on: date


@integration_event
class TimesheetRejected(IntegrationEvent):
    """Returned to the oppdragstaker for correction, with the reason."""

    event_type = "TimesheetRejected"

    contract_id: UUID
    period: str
    reason: str


@integration_event
class RateChanged(IntegrationEvent):
    event_type = "RateChanged"

    code: str
    unit: str
    value: str  # a decimal, exact
    valid_from: date
    source: str


@integration_event
class PayrollRunCompleted(IntegrationEvent):
    event_type = "PayrollRunCompleted"

    period: str
    lines: int
    total_ore: int
    corrections: int
