"""Payroll runs: what a run for a period pays (everything due up to it, as the events say now, minus
what earlier runs paid, as correction lines that multiply out), and the PayrollRun that records it."""

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from operator import itemgetter
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from brobygger_payroll.domain.pay import Component, Held, PayLine, amount, fold
from brobygger_payroll.domain.rates import RateTable
from brobygger_payroll.domain.stored import TOPIC_MODULE, Parsed, as_date, as_decimal, as_text


@dataclass(frozen=True)
class PayLedger:
    """Everything a run is computed from, read at one moment: contracts by id, approved work by
    (contract id, period), the rates, and every line earlier runs paid."""

    contracts: dict
    work: dict
    rates: RateTable
    paid: list


@dataclass
class RunOutcome:
    """What a run for a period pays, and what it holds back (with the reason); `parties` names the user's
    case and the scheme of each contract it pays (contract id -> {application_id, scheme}, as text)."""

    period: str
    lines: list[PayLine]
    held: list[Held]
    parties: dict[str, dict] = field(default_factory=dict)


def settle(ledger: PayLedger, period: str, min_hours_for_part_dogn: int = 6) -> RunOutcome:
    """A run for `period`: everything due up to it, as the events say now, minus what earlier runs paid;
    a contract's period that lacks a rate is held, not paid and not clawed back. A contract whose party
    was erased is left out altogether: its paid lines stand as they were paid (erasure is refused while a
    timesheet is unpaid), and no later rate change or rebuild computes them again."""
    erased = {contract_id for contract_id, contract in ledger.contracts.items() if contract.erased_on is not None}
    if erased:
        ledger = PayLedger({k: v for k, v in ledger.contracts.items() if k not in erased},
                           {key: work for key, work in ledger.work.items() if key[0] not in erased},
                           ledger.rates, [line for line in ledger.paid if line.contract_id not in erased])
    due = fold(ledger.contracts, ledger.work, ledger.rates, period, min_hours_for_part_dogn)
    lines = differences(due.lines, ledger.paid, period, due.held_keys)
    return RunOutcome(period, lines, due.held, parties(ledger.contracts, lines))


def parties(contracts: dict, lines: Sequence[PayLine]) -> dict[str, dict]:
    """The user's case and scheme of each contract the lines pay, for the run's published pay lines."""
    found = {}
    for contract_id in {line.contract_id for line in lines}:
        contract = contracts.get(contract_id)
        if contract is not None:
            found[str(contract_id)] = {"application_id": as_text(contract.application_id),
                                       "scheme": str(contract.scheme)}
    return found


def differences(due: Sequence[PayLine], paid: Sequence[PayLine], run_period: str,
                held: Collection[tuple[UUID, str]] = ()) -> list[PayLine]:
    """What a run pays: what is due now for its period and the ones before it, minus what was paid.

    Compared per contract, period, component and rate code, by the quantity paid at each rate (value and
    valid_from). Lines of the run's own period that were never paid are paid as they are (a rate that
    changed mid-month gives two lines, each naming its rate). Any other difference is a correction naming
    the period it corrects, one line per rate, each with quantity × rate = amount: a change of rate is the
    quantity paid at the old rate, now due at a new one, at the rate difference; a change of quantity is
    the (signed) quantity added or taken away, at its rate. Periods after the run's own are left alone,
    and so are the `held` (contract id, period) that cannot be computed now: nothing is clawed back.
    """
    # Keyed by (contract id as an int, period earned, component, rate code): a UUID hashes in Python.
    due_by_key: dict[tuple, list[PayLine]] = defaultdict(list)
    for line in due:
        earned_in = line.original_period or line.period
        if earned_in <= run_period:
            due_by_key[(line.contract_id.int, earned_in, line.component, line.rate_code)].append(line)
    paid_by_key: dict[tuple, list[PayLine]] = defaultdict(list)
    for line in paid:
        earned_in = line.original_period or line.period
        if earned_in <= run_period:
            paid_by_key[(line.contract_id.int, earned_in, line.component, line.rate_code)].append(line)

    found: list[tuple[tuple, list[PayLine]]] = []  # by key; sorted once at the end (few, as a rule)
    held = {(contract_id.int, period) for contract_id, period in held}
    for key, owed in due_by_key.items():
        settled = paid_by_key.pop(key, None)
        if (key[0], key[1]) in held:
            continue
        if settled is None and key[1] == run_period:
            found.append((key, owed))  # the run's own period, never paid: as it is
        elif settled is None or not _paid_as_due(owed, settled):
            found.append((key, _corrections(owed, settled or [], run_period)))
    for key, settled in paid_by_key.items():  # paid, and nothing is due any more
        if (key[0], key[1]) not in held:
            found.append((key, _corrections([], settled, run_period)))

    return [line for _, lines in sorted(found, key=itemgetter(0)) for line in lines]


_POSITION = itemgetter(4, 6, 7, 14)  # PayLine.quantity, rate_value, rate_valid_from, replaces_rate


def _paid_as_due(owed: list[PayLine], settled: list[PayLine]) -> bool:
    """The common case, decided without the arithmetic of `_corrections`: one line due, paid by one line
    of the same quantity at the same rate (neither a change of rate)."""
    return (len(owed) == 1 == len(settled) and settled[0].replaces_rate is None
            and _POSITION(owed[0]) == _POSITION(settled[0]))


def _corrections(owed: list[PayLine], settled: list[PayLine], run_period: str) -> list[PayLine]:
    """The correction lines of one contract, period, component and rate code (see `differences`)."""
    changes: dict[tuple, Decimal] = defaultdict(Decimal)  # (rate value, valid_from) -> quantity due - paid
    for line in owed:
        for rate, quantity in line.positions():
            changes[rate] += quantity
    for line in settled:
        for rate, quantity in line.positions():
            changes[rate] -= quantity
    template = (owed or settled)[-1]
    unit = template.unit

    def evidence(rate: tuple) -> tuple[tuple[date, ...], tuple[str, ...]]:
        lines = [line for line in owed if (line.rate_value, line.rate_valid_from) == rate] or owed or settled
        return (tuple(sorted({d for line in lines for d in line.dates})),
                tuple(sorted({s for line in lines for s in line.sources})))

    def correction(quantity: Decimal, rate: tuple, replaces: tuple | None = None) -> PayLine:
        value, valid_from = rate
        dates, sources = evidence(rate)
        if replaces is not None:
            value -= replaces[0]
        return PayLine(template.contract_id, template.volunteer_id, run_period, template.component, quantity,
                       template.rate_code, value, valid_from, amount(quantity, value, unit), dates, sources,
                       original_period=template.earned_in, unit=unit, basis=template.basis,
                       replaces_rate=replaces[0] if replaces else None,
                       replaces_valid_from=replaces[1] if replaces else None)

    def chronological(rate: tuple) -> tuple:
        return (rate[1] or date.min, rate[0])

    taken = sorted((rate for rate, q in changes.items() if q < 0), key=chronological)  # paid, no longer due
    added = sorted((rate for rate, q in changes.items() if q > 0), key=chronological)  # due, not yet paid
    lines = []
    for old in taken:  # the quantity paid at an old rate that is now due at a new one: a change of rate
        for new in added:
            moved = min(-changes[old], changes[new])
            if moved > 0:
                lines.append(correction(moved, new, replaces=old))
                changes[old] += moved
                changes[new] -= moved
    lines += [correction(quantity, rate) for rate, quantity in sorted(changes.items(), key=lambda i: chronological(i[0]))
              if quantity]
    return [line for line in lines if line.quantity and (line.amount_ore or line.replaces_rate is None)]


# -- timesheets ----------------------------------------------------------------------------------------


def line_as_dict(line: PayLine) -> dict:
    """A pay line as a run's event stores it: plain JSON values."""
    return {
        "contract_id": str(line.contract_id), "volunteer_id": str(line.volunteer_id), "period": line.period,
        "component": line.component.value, "quantity": str(line.quantity), "rate_code": line.rate_code,
        "rate_value": str(line.rate_value), "rate_valid_from": as_text(line.rate_valid_from),
        "amount_ore": line.amount_ore, "dates": [day.isoformat() for day in line.dates], "sources": list(line.sources),
        "original_period": line.original_period, "unit": line.unit, "basis": line.basis,
        "replaces_rate": as_text(line.replaces_rate), "replaces_valid_from": as_text(line.replaces_valid_from),
    }


def held_as_dict(held: Held) -> dict:
    return {"contract_id": str(held.contract_id), "volunteer_id": str(held.volunteer_id), "period": held.period,
            "reason": held.reason}


def lines_from_stored(lines: list[dict], parsed: Parsed) -> list[PayLine]:
    """A run's lines as its event stores them, as `line_from_dict`, for a read of the whole history: the
    text parsed through `parsed`'s caches, each line built as a tuple without a call of its own. TypeError
    where a value is not text, KeyError for a line stored before it had every field."""
    uuids, decimals, days, day_lists = parsed.uuids, parsed.decimals, parsed.days, parsed.day_lists
    new = tuple.__new__
    return [new(PayLine, (
        uuids[data["contract_id"]], uuids[data["volunteer_id"]], data["period"], _COMPONENTS[data["component"]],
        decimals[data["quantity"]], data["rate_code"], decimals[data["rate_value"]], days[data["rate_valid_from"]],
        int(data["amount_ore"]), day_lists[tuple(data["dates"])], tuple(data["sources"]), data["original_period"],
        data["unit"], data["basis"], decimals[data["replaces_rate"]], days[data["replaces_valid_from"]],
    )) for data in lines]


def line_from_dict(data: dict) -> PayLine:
    """A pay line as a run's event stores it (line_as_dict; typed values in events written before)."""
    return PayLine(
        contract_id=UUID(str(data["contract_id"])), volunteer_id=UUID(str(data["volunteer_id"])),
        period=data["period"], component=Component(data["component"]), quantity=Decimal(data["quantity"]),
        rate_code=data["rate_code"], rate_value=Decimal(data["rate_value"]),
        rate_valid_from=as_date(data["rate_valid_from"]), amount_ore=int(data["amount_ore"]),
        dates=tuple(map(as_date, data["dates"])), sources=tuple(data["sources"]),
        original_period=data["original_period"], unit=data.get("unit", ""), basis=data.get("basis", ""),
        replaces_rate=as_decimal(data.get("replaces_rate")), replaces_valid_from=as_date(data.get("replaces_valid_from")),
    )


_COMPONENTS = {component.value: component for component in Component}


# Stored values are JSON text; events written before that stored dates and decimals as typed values.


class PayrollRun(Aggregate):
    """One run for one period: what it paid, line by line. The record later runs compare with."""

    __module__ = TOPIC_MODULE  # see stored.TOPIC_MODULE

    @event("Completed")
    def __init__(self, period: str, lines: list[dict], run_on: date, run_by: str, held: list[dict] | None = None,
                 parties: dict[str, dict] | None = None) -> None:
        self.period = period
        self.lines = lines
        self.run_on = run_on
        self.run_by = run_by
        self.held = held or []  # contracts' periods it could not pay, and why (runs before this had none)
        # contract id -> {application_id, scheme}: the user's case and scheme of each contract it paid
        # (runs before this had none; their published lines name neither)
        self.parties = parties or {}

    @property
    def total_ore(self) -> int:
        return sum(line["amount_ore"] for line in self.lines)
