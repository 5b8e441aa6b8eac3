"""Pay as one use case: what is due, what a run for a period would pay (the preview), a run, and the
rebuild of the whole history. The HTTP routes, the rebuild command and the benchmark call it alike.

Every one of them settles the same way (`settle`: everything due up to the period as the events say
now, minus what earlier runs paid); they differ only in where the ledger is read from (the read models
in one snapshot, or the events table from the start) and in whether the outcome is recorded.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date

import asyncpg

from brobygger_payroll import projections
from brobygger_payroll.application.commands import PayrollApplication, cyclic_collector_paused
from brobygger_payroll.application.replay import ledger_from_events
from brobygger_payroll.domain.pay import Held, PayLine
from brobygger_payroll.domain.rates import Rate
from brobygger_payroll.domain.runs import PayLedger, PayrollRun, RunOutcome, settle

RUN_LOCK = 0x50_41_59_52_55_4E  # "PAYRUN": the advisory lock that keeps payroll runs one at a time


async def _nothing_to_wait_for() -> None:
    return None


@dataclass
class RebuildReport:
    events_folded: int
    entries_folded: int
    contracts: int
    seconds: float
    differences: list[PayLine]
    held: list[Held]


class PayrollRuns:
    """The use case. `caught_up` waits until the read models hold everything recorded before the call
    (read-your-writes: a run after a run sees what the first paid); the service passes its runners'."""

    def __init__(self, app: PayrollApplication, shipped_rates: Sequence[Rate],
                 caught_up: Callable[[], Awaitable[None]] = _nothing_to_wait_for) -> None:
        self.app = app
        self.shipped_rates = tuple(shipped_rates)
        self.caught_up = caught_up

    def settle(self, ledger: PayLedger, period: str) -> RunOutcome:
        """What a run for the period pays and holds back, from a ledger read at one moment. Pure
        computation: callers run it off the event loop."""
        with cyclic_collector_paused():  # the fold of the whole history
            return settle(ledger, period, self.app.settings.min_hours_for_part_dogn)

    async def what_a_run_pays(self, connection: asyncpg.Connection, period: str) -> RunOutcome:
        """The preview: what a run for the period would pay now, and what it would hold back; records
        nothing."""
        await self.caught_up()
        ledger = await projections.pay_ledger(connection, self.shipped_rates)
        # Seconds of computation on a large kommune: off the event loop, which goes on answering.
        return await asyncio.to_thread(self.settle, ledger, period)

    async def run(self, connection: asyncpg.Connection, period: str, run_by: str,
                  today: date) -> tuple[PayrollRun, RunOutcome]:
        """A payroll run: pays what is due up to the period and unpaid, corrects earlier periods, and
        records what it held back. One run at a time: a second waits for the first, then sees what it
        paid (else both would pay it)."""
        await connection.execute("SELECT pg_advisory_lock($1)", RUN_LOCK)
        try:
            outcome = await self.what_a_run_pays(connection, period)
            run = await asyncio.to_thread(self.app.record_run, period, outcome.lines, run_by, today, outcome.held,
                                          outcome.parties)
        finally:
            await connection.execute("SELECT pg_advisory_unlock($1)", RUN_LOCK)
        return run, outcome

    async def rebuild(self, connection: asyncpg.Connection) -> RebuildReport:
        """Recompute the whole history from the events (not the read models) and compare it with what
        the runs paid: a run for the last period known, recorded nowhere."""
        # The ledger of the whole history is millions of objects: the cyclic collector waits, and comes
        # back only once they are freed (else its first pass would walk them all).
        with cyclic_collector_paused():
            return await self._rebuild(connection)

    async def _rebuild(self, connection: asyncpg.Connection) -> RebuildReport:
        started = time.perf_counter()
        replayed = await ledger_from_events(self.app, connection, self.shipped_rates)
        outcome = await asyncio.to_thread(self.settle, replayed.ledger, replayed.last_period)
        return RebuildReport(replayed.events, replayed.entries, len(replayed.ledger.contracts),
                             time.perf_counter() - started, outcome.lines, outcome.held)
