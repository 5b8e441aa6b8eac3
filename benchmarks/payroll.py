"""Benchmark of the payroll rebuild, printed as numbers (not a test): one municipality-year of
synthetic data (2,000 oppdragstakere, about 250,000 timesheet entries, their contracts and the rates),
rebuilt from the events table, beside its floor measured in the same run: parsing the JSON of the same
rows with orjson and nothing else. Target: rebuild <= 4 × the floor (issue 10); the ratio is printed.

    python -m benchmarks.payroll [--contracts 2000] [--entries-per-month 10]
"""

import argparse
import asyncio
import contextlib
import os
import random
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from uuid import UUID

import asyncpg
import orjson

from brobygger_payroll.application import PayrollApplication, PayrollRuns, timesheet_id
from brobygger_payroll.application.replay import PAY_EVENTS
from brobygger_payroll.domain.timesheets import Timesheet, TimesheetEntry
from brobygger_payroll.settings import PayrollSettings
from brobygger_payroll.projections import contracts as contracts_projection
from brobygger_shared.events.terms import (
    EngagementType,
    ExpensesPerDognByAge,
    FixedHourlyRate,
    FlatMonthlyExpenses,
    HourlyRateTable,
    ScopeUnit,
    Terms,
)
from brobygger_payroll.rates import shipped_rates
from brobygger_payroll.rebuild import print_report
from brobygger_shared.eventstore import stored_events_query
from brobygger_dev.runtime.stack import Stack, database_name, with_database

YEAR = 2025
FLOOR_RATIO_TARGET = 4  # rebuild time over the floor's (issue 10)

# Terms shaped like the contracts service's defaults (the avlaster's stays pay expenses only, as before
# a døgn's work had its own term, so the figures compare with earlier runs).
TERMS = {
    "støttekontakt": Terms(engagement_type=EngagementType.CONTRACTOR, scope=3, scope_unit=ScopeUnit.HOURS_PER_WEEK,
                           hourly_pay=FixedHourlyRate(ore=18000), dogn_pay=None,
                           expenses=FlatMonthlyExpenses(ore=40000), mileage_covered=False, notice_period_days=14,
                           valid_from=date(YEAR, 1, 1)),
    "privat_avlastning": Terms(engagement_type=EngagementType.EMPLOYEE, scope=4, scope_unit=ScopeUnit.DOGN_PER_MONTH,
                               hourly_pay=HourlyRateTable(table="sgs1030_hol"), dogn_pay=None,
                               expenses=ExpensesPerDognByAge(table="avlastning_hol_døgn"), mileage_covered=True,
                               notice_period_days=14, valid_from=date(YEAR, 1, 1)),
}


def month_entries(rng: random.Random, scheme: str, month: int, count: int) -> list[dict]:
    entries = []
    if scheme == "privat_avlastning":
        for week in range(min(count // 5, 4)):
            start = datetime(YEAR, month, 1 + 7 * week, 16)
            entries.append(TimesheetEntry(start.date(), "avlastning", stay_start=start,
                                          stay_end=start + timedelta(hours=48), km=Decimal(rng.randint(10, 60))))
    days = rng.sample(range(1, 29), k=count - len(entries))
    for day in sorted(days):
        entries.append(TimesheetEntry(date(YEAR, month, day), "aktivitet", hours=Decimal(rng.choice([1, 2, 3, "2.5"]))))
    return [entry.as_dict() for entry in entries]


async def insert_contracts(database_url: str, rng: random.Random, count: int) -> list[tuple]:
    connection = await asyncpg.connect(database_url)
    await connection.execute(contracts_projection.schema)
    rows = []
    for index in range(count):
        scheme = "privat_avlastning" if index % 4 == 0 else "støttekontakt"
        rows.append((UUID(int=index + 1), UUID(int=10_000 + index), scheme, date(2012 + index % 8, 1 + index % 12, 1),
                     date(YEAR, 1, 1), date(YEAR, 12, 31), f"[{TERMS[scheme].model_dump_json()}]"))
    await connection.executemany("INSERT INTO payroll_contracts VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)", rows)
    await connection.close()
    return rows


def write_timesheets(app: PayrollApplication, contracts: list[tuple], per_month: int, rng: random.Random) -> int:
    entries = 0
    batch = []
    for contract_id, volunteer_id, scheme, *_ in contracts:
        for month in range(1, 13):
            rows = month_entries(rng, scheme, month, per_month + rng.randint(-2, 2))
            entries += len(rows)
            sheet = Timesheet(id=timesheet_id(contract_id, f"{YEAR}-{month:02d}"), contract_id=contract_id,
                              volunteer_id=volunteer_id, period=f"{YEAR}-{month:02d}", entries=rows, flags=[],
                              submitted_on=date(YEAR, month, 28))
            sheet.approve("benchmark", date(YEAR, month, 28))
            batch.append(sheet)
            if len(batch) == 500:
                app.save(*batch)
                batch = []
    if batch:
        app.save(*batch)
    return entries


async def raw_read(app: PayrollApplication, database_url: str) -> tuple[int, float, float]:
    """Read the rows the rebuild reads, with the same query, and nothing else. Then, apart, parse their
    JSON with orjson and nothing else: the floor under any rebuild of events stored as JSON."""
    sql, topics = stored_events_query(app, PAY_EVENTS)
    connection = await asyncpg.connect(database_url)
    states = []
    started = time.perf_counter()
    async with connection.transaction(readonly=True, isolation="repeatable_read"):
        async for row in connection.cursor(sql, topics, prefetch=2000):
            states.append(row["state"])
    read_seconds = time.perf_counter() - started
    await connection.close()
    started = time.perf_counter()
    for state in states:
        orjson.loads(state)
    return len(states), read_seconds, time.perf_counter() - started


async def rebuild(app: PayrollApplication, database_url: str):
    connection = await asyncpg.connect(database_url)
    try:
        return await PayrollRuns(app, shipped_rates()).rebuild(connection)
    finally:
        await connection.close()


def generate(app: PayrollApplication, database_url: str, contracts_count: int, per_month: int) -> None:
    rng = random.Random(11)
    print(f"writing {contracts_count} contracts × 12 months of approved timesheets ...", flush=True)
    contracts = asyncio.run(insert_contracts(database_url, rng, contracts_count))
    started = time.perf_counter()
    entries = write_timesheets(app, contracts, per_month, rng)
    print(f"  {entries} entries written in {time.perf_counter() - started:.1f} s", flush=True)
    # Pay the year month by month as the runs would have, so the rebuild has runs to check against.
    due = asyncio.run(rebuild(app, database_url))
    for month in range(1, 13):
        period = f"{YEAR}-{month:02d}"
        lines = [line._replace(period=period, original_period=None)
                 for line in due.differences if line.earned_in == period]
        app.record_run(period, lines, "benchmark", date(YEAR, month, 28))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=2000)
    parser.add_argument("--entries-per-month", type=int, default=10)
    parser.add_argument("--data", type=Path, help="keep the generated year in this folder and reuse it next time")
    args = parser.parse_args()
    with contextlib.ExitStack() as cleanup:
        var = args.data or Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="brobygger-payroll-bench-")))
        stack = Stack(var, services=("payroll",))
        stack.postgres.start()
        cleanup.callback(stack.postgres.stop)
        stack._create_databases()
        database_url = with_database(stack.postgres_url, database_name("payroll"))
        app = PayrollApplication(PayrollSettings(database_url=database_url))
        cleanup.callback(app.close)
        generated = var / f"generated-{args.contracts}-{args.entries_per_month}"
        if not generated.exists():
            generate(app, database_url, args.contracts, args.entries_per_month)
            generated.touch()
        if os.environ.get("PROFILE"):
            import cProfile
            import pstats
            profile = cProfile.Profile()
            profile.enable()
        report = asyncio.run(rebuild(app, database_url))
        if os.environ.get("PROFILE"):
            profile.disable()
            pstats.Stats(profile).sort_stats("tottime").print_stats(18)
        rows, raw_seconds, parse_seconds = asyncio.run(raw_read(app, database_url))

    print()
    print_report(report)
    ratio = report.seconds / parse_seconds
    print(f"rebuild of one municipality-year: {report.seconds:.2f} s for {report.entries_folded} entries "
          f"({report.events_folded / report.seconds:.0f} events/s)")
    print(f"  floor: parsing the JSON of the same rows with orjson, and nothing else: {parse_seconds:.2f} s")
    print(f"  ratio: rebuild / floor = {ratio:.1f} ×   (target <= {FLOOR_RATIO_TARGET} ×: "
          f"{'met' if ratio <= FLOOR_RATIO_TARGET else 'not met'})")
    print(f"  for scale: the raw asyncpg read of the same rows takes {raw_seconds:.2f} s ({rows / raw_seconds:.0f} rows/s)")


if __name__ == "__main__":
    main()
