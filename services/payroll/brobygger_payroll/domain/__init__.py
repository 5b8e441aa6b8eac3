"""Payroll's domain: pay as a pure function of the log. No I/O, no frameworks.

- `rates`: effective-dated rates and the tables of them; the rates staff register (RateBook).
- `days`: counting a stay's døgn, and the period (month) of a day.
- `contract`: a contract as payroll knows it from the contracts topic (typed terms by date).
- `pay`: the fold: approved work × terms × rates → pay lines, each naming its rate, dates and events.
- `runs`: what a run pays (what is due minus what was paid: corrections), and the PayrollRun record.
- `timesheets`: a month's entries, their checks and flags, and the Timesheet aggregate.
- `payees`: the employee number the municipal payroll system gave an oppdragstaker.
- `stored`: how values are stored in events (JSON text), and the topic the aggregates are stored under.

Money is in øre (int); quantities (hours, døgn, km, percent) are Decimal.
"""

# The aggregates' events are stored under topics naming this package (`brobygger_payroll.domain:
# Timesheet.Approved`, from before the domain was split into modules); resolving a stored topic looks
# the class up here.
from brobygger_payroll.domain.payees import Payee
from brobygger_payroll.domain.rates import RateBook
from brobygger_payroll.domain.runs import PayrollRun
from brobygger_payroll.domain.timesheets import Timesheet

__all__ = ["Payee", "PayrollRun", "RateBook", "Timesheet"]
