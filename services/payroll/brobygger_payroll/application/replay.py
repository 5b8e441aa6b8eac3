"""The pay ledger read straight from the events table (for the rebuild): the last approved version of
each timesheet, the rates staff registered, and every line the runs paid, with the contracts from the
read model of the contracts topic.

Each row's JSON is parsed once, with orjson, and its values are taken as they are stored (plain JSON
text, see domain.stored), through caches: a municipality-year names a few hundred days, a handful of
hour counts and a few thousand contracts a quarter of a million times. An event stored before values
were plain text (typed values in the library's own format), or stored other than as JSON (compressed),
is decoded by the application's mapper.
"""

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

import asyncpg
import orjson
from eventsourcing.persistence import Notification
from eventsourcing.utils import get_topic

from brobygger_payroll import projections
from brobygger_payroll.application.commands import PayrollApplication
from brobygger_payroll.domain.pay import WorkEntry
from brobygger_payroll.domain.rates import Rate, RateBook, RateTable
from brobygger_payroll.domain.runs import PayLedger, PayrollRun, line_from_dict, lines_from_stored
from brobygger_payroll.domain.stored import Parsed
from brobygger_payroll.domain.timesheets import Timesheet
from brobygger_shared.eventstore import stored_events_query

PAY_EVENTS = (Timesheet.Approved, RateBook.RateChanged, PayrollRun.Completed)  # submitted drafts are not pay
_APPROVED, _RATE_CHANGED, _COMPLETED = map(get_topic, PAY_EVENTS)


@dataclass
class Replayed:
    ledger: PayLedger
    events: int
    entries: int

    @property
    def last_period(self) -> str:
        """The latest period anything was approved or paid for."""
        return max([period for _, period in self.ledger.work] + [line.period for line in self.ledger.paid],
                   default="0000-00")


async def ledger_from_events(app: PayrollApplication, connection: asyncpg.Connection,
                             shipped_rates: Sequence[Rate], batch_size: int = 2000) -> Replayed:
    """Every pay event from the start, oldest first, read in one snapshot (repeatable read)."""
    sql, topics = stored_events_query(app, PAY_EVENTS)
    parsed = Parsed()
    approved: dict = {}  # timesheet id -> (contract id, period, entries): the last approved version
    registered: list[Rate] = []
    paid: list = []
    events = 0
    async with connection.transaction(readonly=True, isolation="repeatable_read"):
        contracts = await projections.contract_terms(connection)
        async for batch in _batches(connection, sql, topics, batch_size):
            events += len(batch)
            for row in batch:
                topic = row[3]
                if topic == _APPROVED:
                    approved[row[1]] = _approved(app, row, parsed)
                elif topic == _COMPLETED:
                    paid += _paid(app, row, parsed)
                elif topic == _RATE_CHANGED:
                    event = _decoded(app, row)
                    registered.append(Rate(event.code, event.unit, Decimal(event.value), event.valid_from,
                                           event.source))
    work: dict = {}
    entries = 0
    for contract_id, period, rows in approved.values():
        work.setdefault((contract_id, period), []).extend(rows)
        entries += len(rows)
    ledger = PayLedger(contracts, work, RateTable([*shipped_rates, *registered]), paid)
    return Replayed(ledger, events, entries)


async def _batches(connection: asyncpg.Connection, sql: str, topics: list[str],
                   size: int) -> AsyncIterator[list[asyncpg.Record]]:
    """The rows in batches, the next one asked for before this one is handed out: the database reads and
    sends it while the caller parses this one (within the caller's transaction)."""
    cursor = await connection.cursor(sql, topics)
    pending = asyncio.ensure_future(cursor.fetch(size))
    try:
        while batch := await pending:
            pending = asyncio.ensure_future(cursor.fetch(size))
            await asyncio.sleep(0)  # the fetch sends its request
            yield batch
    finally:
        pending.cancel()


def _approved(app: PayrollApplication, row: asyncpg.Record, parsed: Parsed) -> tuple:
    source = f"TimesheetApproved@{row[0]} (timeliste {row[1]})"
    try:
        state = orjson.loads(row[4])
        contract = state["contract_id"]
        return (parsed.uuids[contract["_data_"] if type(contract) is dict else contract], state["period"],
                WorkEntry.all_from_stored(state["entries"], source, parsed))
    except (TypeError, KeyError, ValueError):  # stored before entries were plain JSON text (or not as JSON)
        event = _decoded(app, row)
        return event.contract_id, event.period, [WorkEntry.from_stored(entry, source) for entry in event.entries]


def _paid(app: PayrollApplication, row: asyncpg.Record, parsed: Parsed) -> list:
    try:
        return lines_from_stored(orjson.loads(row[4])["lines"], parsed)
    except (TypeError, KeyError, ValueError):  # stored before lines were plain JSON text (or not as JSON)
        return [line_from_dict(line) for line in _decoded(app, row).lines]


def _decoded(app: PayrollApplication, row: asyncpg.Record):
    """The event as the application's mapper decodes it (asyncpg hands out its own UUID subclass)."""
    return app.mapper.to_domain_event(Notification(id=row[0], originator_id=UUID(bytes=row[1].bytes),
                                                   originator_version=row[2], topic=row[3], state=row[4]))
