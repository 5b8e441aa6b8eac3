"""Domain events -> integration events, for the relay. Entries and pay lines stay in payroll."""

from decimal import Decimal
from functools import singledispatch

from brobygger_payroll.domain.days import dogn_in_stay
from brobygger_payroll.domain.rates import RateBook
from brobygger_payroll.domain.runs import PayrollRun
from brobygger_payroll.domain.timesheets import Timesheet, TimesheetEntry, hours_by_case
from brobygger_shared.events import payroll as published
from brobygger_shared.events.base import IntegrationEvent


@singledispatch
def to_integration_event(domain_event: object) -> IntegrationEvent | None:
    return None


def _submitted(e, correction: bool) -> IntegrationEvent:
    entries = [TimesheetEntry.from_dict(entry) for entry in e.entries]
    hours = sum((Decimal(str(h)) for entry in entries for h in entry.hours_by_day().values()), Decimal(0))
    dogn = sum(len(dogn_in_stay(entry.stay_start, entry.stay_end)) for entry in entries if entry.stay_start)
    return published.TimesheetSubmitted(
        aggregate_id=e.originator_id, occurred_at=e.timestamp, contract_id=e.contract_id, volunteer_id=e.volunteer_id,
        period=e.period, entries=len(entries), hours=float(hours), dogn=dogn, flags=e.flags, correction=correction,
        hours_by_case=[{"application_id": case, "hours": float(case_hours)}
                       for case, case_hours in hours_by_case(entries).items()],
    )


@to_integration_event.register
def _(e: Timesheet.Submitted) -> IntegrationEvent:
    return _submitted(e, correction=False)


@to_integration_event.register
def _(e: Timesheet.Resubmitted) -> IntegrationEvent:
    return _submitted(e, correction=True)


@to_integration_event.register
def _(e: Timesheet.Approved) -> IntegrationEvent:
    return published.TimesheetApproved(aggregate_id=e.originator_id, occurred_at=e.timestamp,
                                       contract_id=e.contract_id, volunteer_id=e.volunteer_id, period=e.period,
                                       approved_on=e.approved_on)


@to_integration_event.register
def _(e: Timesheet.Returned) -> IntegrationEvent:
    return published.TimesheetRejected(aggregate_id=e.originator_id, occurred_at=e.timestamp,
                                       contract_id=e.contract_id, period=e.period, reason=e.reason,
                                       volunteer_id=getattr(e, "volunteer_id", None))


@to_integration_event.register
def _(e: RateBook.RateChanged) -> IntegrationEvent:
    return published.RateChanged(aggregate_id=e.originator_id, occurred_at=e.timestamp, code=e.code, unit=e.unit,
                                 value=e.value, valid_from=e.valid_from, source=e.source)


@to_integration_event.register
def _(e: PayrollRun.Completed) -> IntegrationEvent:
    parties = getattr(e, "parties", None) or {}  # runs recorded before they kept them name no user or scheme
    return published.PayrollRunCompleted(
        aggregate_id=e.originator_id, occurred_at=e.timestamp, period=e.period, lines=len(e.lines),
        total_ore=sum(line["amount_ore"] for line in e.lines),
        corrections=sum(1 for line in e.lines if line["original_period"]),
        pay_lines=[published_line(line, parties.get(str(line["contract_id"]), {})) for line in e.lines],
    )


def published_line(line: dict, party: dict) -> published.PublishedPayLine:
    """A run's stored line (runs.line_as_dict) as the published language carries it."""
    amount_ore = int(line["amount_ore"])
    if not line["original_period"]:
        kind = published.PayLineKind.ORDINARY
    else:
        kind = published.PayLineKind.BACK_PAY if amount_ore >= 0 else published.PayLineKind.CLAWBACK
    return published.PublishedPayLine(
        contract_id=line["contract_id"], application_id=party.get("application_id"),
        volunteer_id=line["volunteer_id"], scheme=party.get("scheme"),
        earned_in=line["original_period"] or line["period"], component=str(line["component"]), kind=kind,
        quantity=str(line["quantity"]), unit=line.get("unit", ""), rate_code=line["rate_code"],
        rate_value=str(line["rate_value"]), rate_valid_from=line["rate_valid_from"], amount_ore=amount_ore,
    )


PUBLISHES = [published.TimesheetSubmitted, published.TimesheetApproved, published.TimesheetRejected,
             published.RateChanged, published.PayrollRunCompleted]
