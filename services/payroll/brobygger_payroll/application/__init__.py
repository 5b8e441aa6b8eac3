"""Payroll's application layer: the use cases the HTTP routes, the rebuild and the benchmark call.

- `commands`: the write side on the event store (PayrollApplication): timesheets, rates staff register,
  employee numbers, and the record of a run.
- `runs`: pay as one use case: what is due, what a run for a period would pay (the preview), a run, and
  the rebuild of the whole history; the run's lock, snapshot read and fold live here, not in the routes.
- `replay`: the ledger read straight from the events table, for the rebuild.
- `exports`: a run's lines as the payroll system imports them, and the employee numbers they name.
"""

from brobygger_payroll.application.commands import (
    InvalidTimesheet,
    NotFound,
    PayrollApplication,
    RuleViolation,
    cyclic_collector_paused,
    payee_id,
    timesheet_id,
)
from brobygger_payroll.application.runs import PayrollRuns, RebuildReport

__all__ = ["InvalidTimesheet", "NotFound", "PayrollApplication", "PayrollRuns", "RebuildReport", "RuleViolation",
           "cyclic_collector_paused", "payee_id", "timesheet_id"]
