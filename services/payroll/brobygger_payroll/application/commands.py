"""The write side: the payroll service's Application on the event store (timesheets, registered rates,
employee numbers, and the record of each payroll run)."""

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.application import AggregateNotFoundError

from brobygger_payroll.domain.contract import ContractWindow
from brobygger_payroll.domain.pay import Held, PayLine
from brobygger_payroll.domain.payees import Payee
from brobygger_payroll.domain.rates import RateBook
from brobygger_payroll.domain.runs import PayrollRun, held_as_dict, line_as_dict
from brobygger_payroll.domain.timesheets import (
    InvalidTimesheet,
    Timesheet,
    TimesheetEntry,
    check_entries,
    flags_for_approver,
    late_submission,
)
from brobygger_shared.eventstore import EventSourcedApplication
from brobygger_shared.rules import RuleViolation

RATE_BOOK_ID = uuid5(NAMESPACE_URL, "brobygger:payroll:rate-book")


class NotFound(LookupError):
    pass


@contextmanager
def cyclic_collector_paused() -> Iterator[None]:
    """A fold of the whole history makes millions of objects that all live until it ends. The cyclic
    garbage collector would walk them again and again: a third of the time. (Reference counting goes on.)"""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def timesheet_id(contract_id: UUID, period: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"brobygger:timesheet:{contract_id}:{period}")


def payee_id(volunteer_id: UUID) -> UUID:
    return uuid5(NAMESPACE_URL, f"brobygger:payee:{volunteer_id}")


class PayrollApplication(EventSourcedApplication):
    def submit_timesheet(self, contract_id: UUID, volunteer_id: UUID, period: str,
                         entries: Sequence[TimesheetEntry], contract: ContractWindow,
                         today: date) -> tuple[Timesheet, bool]:
        """Submit (or resubmit, corrected) the month's timesheet; the flag says whether it is new."""
        problems = check_entries(entries, period, contract, today)
        if problems:
            raise InvalidTimesheet(problems)
        flags = flags_for_approver(entries, contract, self.settings.max_continuous_hours,
                                   self.settings.max_hours_in_7_days)
        late = late_submission(period, today, self.settings.timesheet_deadline_day)
        flags += [late] if late else []
        rows = [entry.as_dict() for entry in entries]
        try:
            sheet = self.repository.get(timesheet_id(contract_id, period))
        except AggregateNotFoundError:
            sheet = Timesheet(id=timesheet_id(contract_id, period), contract_id=contract_id,
                              volunteer_id=volunteer_id, period=period, entries=rows, flags=flags, submitted_on=today)
            self.save(sheet)
            return sheet, True
        sheet.resubmit(rows, flags, today)
        self.save(sheet)
        return sheet, False

    def timesheet(self, sheet_id: UUID) -> Timesheet:
        return self.get_aggregate(sheet_id, Timesheet, NotFound)

    def own_timesheet(self, sheet_id: UUID, volunteer_id: UUID) -> Timesheet:
        """The timesheet if it is this oppdragstaker's; another's does not exist for them (NotFound)."""
        sheet = self.timesheet(sheet_id)
        if sheet.volunteer_id != volunteer_id:
            raise NotFound(sheet_id)
        return sheet

    def approve(self, sheet_id: UUID, approved_by: str, today: date) -> Timesheet:
        sheet = self.timesheet(sheet_id)
        sheet.approve(approved_by, today)
        self.save(sheet)
        return sheet

    def return_for_correction(self, sheet_id: UUID, reason: str, returned_by: str, today: date) -> Timesheet:
        sheet = self.timesheet(sheet_id)
        sheet.return_for_correction(reason, returned_by, today)
        self.save(sheet)
        return sheet

    def register_rate(self, code: str, unit: str, value: Decimal, valid_from: date, source: str) -> None:
        try:
            book = self.repository.get(RATE_BOOK_ID)
        except AggregateNotFoundError:
            book = RateBook(id=RATE_BOOK_ID)
        book.register(code, unit, value, valid_from, source)
        self.save(book)

    def assign_employee_number(self, volunteer_id: UUID, employee_number: str) -> Payee:
        try:
            payee = self.repository.get(payee_id(volunteer_id))
        except AggregateNotFoundError:
            payee = Payee(id=payee_id(volunteer_id), volunteer_id=volunteer_id)
        payee.assign_employee_number(employee_number)
        self.save(payee)
        return payee

    def record_run(self, period: str, lines: Sequence[PayLine], run_by: str, today: date,
                   held: Sequence[Held] = (), parties: dict[str, dict] | None = None) -> PayrollRun:
        """Record what a run paid and held back (computed by the use case in `runs`); `parties` names the
        user's case and scheme of each contract paid (RunOutcome.parties)."""
        run = PayrollRun(period=period, lines=[line_as_dict(line) for line in lines], run_on=today, run_by=run_by,
                         held=[held_as_dict(item) for item in held], parties=dict(parties or {}))
        self.save(run)
        return run

    def run(self, run_id: UUID) -> PayrollRun:
        return self.get_aggregate(run_id, PayrollRun, NotFound)


__all__ = ["InvalidTimesheet", "NotFound", "PayrollApplication", "RuleViolation", "cyclic_collector_paused",
           "payee_id", "timesheet_id"]
