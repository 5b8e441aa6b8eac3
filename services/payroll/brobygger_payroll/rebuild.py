"""Rebuild: recompute the whole pay history from the events and check it against the stored runs.

Reads payroll's own events table from the start (approved timesheets, registered rates, runs) and its
copy of the contract events, folds them into what is due for every period, and compares with what the
runs paid. Prints events folded, time taken and every difference.

    python -m brobygger_payroll.rebuild        # DATABASE_URL, or var/runtime.json of `make dev`
"""

import asyncio
import json
import os
from pathlib import Path

import asyncpg

from brobygger_payroll.application import PayrollApplication, PayrollRuns, RebuildReport
from brobygger_payroll.rates import shipped_rates
from brobygger_payroll.settings import PayrollSettings


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
    settings = PayrollSettings(database_url=_database_url())
    app = PayrollApplication(settings)
    connection = await asyncpg.connect(settings.database_url)
    try:
        print_report(await PayrollRuns(app, shipped_rates()).rebuild(connection))
    finally:
        await connection.close()
        app.close()


if __name__ == "__main__":
    asyncio.run(_main())
