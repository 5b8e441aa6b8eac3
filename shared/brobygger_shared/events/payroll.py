"""Integration events published by the payroll service (topic brobygger.payroll.events).

Version 2 of PayrollRunCompleted carries the run's pay lines (`pay_lines`), each naming the contract,
the user's case, the oppdragstaker, the scheme, the period it was earned in, what it pays for, the
quantity, rate and amount: enough to count cost per user, scheme and month, back pay and corrections
included. Version 1 carried the totals only and is read with no pay lines.

Version 2 of TimesheetRejected names the oppdragstaker (`volunteer_id`), so the reason can reach them;
version 1 named only the contract and the period, and is read with no oppdragstaker (None).
"""

from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from brobygger_shared.events.base import IntegrationEvent, integration_event, registry
from brobygger_shared.events.terms import Scheme


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
    # A group contract's sessions name the users present: each session's hours counted against each present
    # user's case (the oppdragstaker is paid for `hours` once). Empty for a one-user contract, whose hours are
    # all its own case's. A new optional field, so version 1 still reads (as empty).
    hours_by_case: list["CaseHours"] = []


class CaseHours(BaseModel):
    """Hours delivered to one user's case in a timesheet (as `hours`, a float like it)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    application_id: UUID
    hours: float


TimesheetSubmitted.model_rebuild()


@integration_event
class TimesheetApproved(IntegrationEvent):
    event_type = "TimesheetApproved"

    contract_id: UUID
    volunteer_id: UUID
    period: str
    approved_on: date


@integration_event
class TimesheetRejected(IntegrationEvent):
    """Returned to the oppdragstaker for correction, with the reason (free text from staff: for the
    oppdragstaker, never for a subject line or an SMS)."""

    event_type = "TimesheetRejected"
    event_version = 2

    contract_id: UUID
    volunteer_id: UUID | None  # the oppdragstaker; None only when read from version 1, which did not name them
    period: str
    reason: str


@registry.upcaster("TimesheetRejected", from_version=1)
def _rejected_without_oppdragstaker(v1: dict[str, Any]) -> dict[str, Any]:
    """Version 1 named the contract and the period only: the oppdragstaker is not known from it."""
    return {**v1, "volunteer_id": None}


@integration_event
class RateChanged(IntegrationEvent):
    event_type = "RateChanged"

    code: str
    unit: str
    value: str  # a decimal, exact
    valid_from: date
    source: str


class PayLineKind(StrEnum):
    ORDINARY = "ordinær"  # pay for the run's own period
    BACK_PAY = "etterbetaling"  # a correction of an earlier period that pays more (or the same)
    CLAWBACK = "trekk"  # a correction of an earlier period that takes back what was paid


class PublishedPayLine(BaseModel):
    """One line of a payroll run: a quantity at a rate, and the amount in øre (quantity × rate, rounded
    half up once). `component` is what it pays for, as payroll names it: timelønn,
    arbeidsgodtgjøring_døgn, utgiftsdekning_måned, utgiftsdekning_døgn, kjøregodtgjørelse_skattefri,
    kjøregodtgjørelse_skattepliktig, feriepenger. A correction names the period it corrects in
    `earned_in`; a change of rate pays the rate difference (`rate_value`) on the quantity."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    contract_id: UUID
    application_id: UUID | None  # the user's case (as contracts name the user); none if payroll never learnt it
    volunteer_id: UUID
    scheme: Scheme | None
    earned_in: str  # YYYY-MM: the period the pay belongs to (the run's own, or the one a correction corrects)
    component: str
    kind: PayLineKind
    quantity: str  # a decimal, exact: hours, døgn, km, months, or øre for holiday pay's basis
    unit: str  # of the rate: øre_per_time | øre_per_døgn | øre_per_km | øre_per_måned | prosent
    rate_code: str
    rate_value: str  # a decimal, exact
    rate_valid_from: date | None
    amount_ore: int


@integration_event
class PayrollRunCompleted(IntegrationEvent):
    """A run paid `period` and corrected earlier ones: `lines` lines (`corrections` of them corrections of
    earlier periods) summing to `total_ore`, each in `pay_lines`."""

    event_type = "PayrollRunCompleted"
    event_version = 2

    period: str
    lines: int
    total_ore: int
    corrections: int
    pay_lines: list[PublishedPayLine]


@registry.upcaster("PayrollRunCompleted", from_version=1)
def _run_without_pay_lines(v1: dict[str, Any]) -> dict[str, Any]:
    """Version 1 published the run's totals only: its lines are not known from it."""
    return {**v1, "pay_lines": []}
