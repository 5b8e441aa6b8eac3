"""Rebuild: recompute the whole pay history from the events and check it against the stored runs.

Reads payroll's own events table from the start (approved timesheets, registered rates, runs) and its
copy of the contract events, folds them into what is due for every period, and compares with what the
runs paid. Prints events folded, time taken and every difference.

    python -m brobygger_payroll.rebuild        # DATABASE_URL, or var/runtime.json of `make dev`
"""

import asyncio
import json
import os
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import asyncpg

from brobygger_payroll import projections
from brobygger_payroll.application import PayrollApplication, cyclic_collector_paused
from brobygger_payroll.domain.pay import Held, PayLine, WorkEntry
from brobygger_payroll.domain.rates import Rate, RateBook, RateTable
from brobygger_payroll.domain.runs import PayLedger, PayrollRun, line_from_dict
from brobygger_payroll.domain.timesheets import Timesheet
from brobygger_payroll.rates import shipped_rates
from brobygger_shared.eventstore import read_stored_events

PAY_EVENTS = (Timesheet.Approved, RateBook.RateChanged, PayrollRun.Completed)  # submitted drafts are not pay


@dataclass
class RebuildReport:
    events_folded: int
    entries_folded: int
    contracts: int
    seconds: float
    differences: list[PayLine]
    held: list[Held]


async def rebuild_from_events(app: PayrollApplication, connection: asyncpg.Connection) -> RebuildReport:
    with cyclic_collector_paused():
        return await _rebuild(app, connection)


async def _rebuild(app: PayrollApplication, connection: asyncpg.Connection) -> RebuildReport:
    started = time.perf_counter()
    contracts = await projections.contract_terms(connection)
    approved: dict = {}  # the last approved version of each timesheet
    registered: list[Rate] = []
    paid: list[PayLine] = []
    events = 0
    async for position, event in read_stored_events(app, connection, PAY_EVENTS):
        events += 1
        if isinstance(event, Timesheet.Approved):
            source = f"TimesheetApproved@{position} (timeliste {event.originator_id})"
            approved[event.originator_id] = (event.contract_id, event.period, event.entries, source)
        elif isinstance(event, RateBook.RateChanged):
            registered.append(Rate(event.code, event.unit, Decimal(event.value), event.valid_from, event.source))
        elif isinstance(event, PayrollRun.Completed):
            paid += [line_from_dict(line) for line in event.lines]

    work: dict = {}
    entries = 0
    for contract_id, period, rows, source in approved.values():
        work.setdefault((contract_id, period), []).extend(WorkEntry.from_stored(row, source) for row in rows)
        entries += len(rows)
    rates = RateTable([*shipped_rates(), *registered])
    last_period = max([period for _, period in work] + [line.period for line in paid], default="0000-00")
    # Seconds of pure computation: off the event loop, so a service answering POST /payroll/rebuild
    # goes on answering its health checks and other requests meanwhile.
    outstanding = await asyncio.to_thread(app.what_a_run_pays, PayLedger(contracts, work, rates, paid), last_period)
    return RebuildReport(events, entries, len(contracts), time.perf_counter() - started, outstanding.lines,
                         outstanding.held)


def print_report(report: RebuildReport) -> None:
    print(f"events folded:   {report.events_folded}")
    print(f"entries folded:  {report.entries_folded} across {report.contracts} contracts")
    print(f"time taken:      {report.seconds:.2f} s")
    if not report.differences:
        print("differences:     none: every period is paid as the events say")
    for line in report.differences:
        print(f"difference:      {line.contract_id} {line.original_period or line.period} {line.component}: "
              f"{line.amount_ore / 100:+.2f} kr")
    for held in report.held:
        print(f"not computed:    {held.contract_id} {held.period}: {held.reason}")


def _database_url() -> str:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    runtime = json.loads(Path("var/runtime.json").read_text())
    server = runtime["postgres"]["url"].rsplit("/", 1)[0]
    return f"{server}/{runtime['services']['payroll']['database']}"


async def _main() -> None:
    from brobygger_payroll.settings import PayrollSettings

    settings = PayrollSettings(database_url=_database_url())
    app = PayrollApplication(settings)
    connection = await asyncpg.connect(settings.database_url)
    try:
        print_report(await rebuild_from_events(app, connection))
    finally:
        await connection.close()
        app.close()


if __name__ == "__main__":
    asyncio.run(_main())
