"""Pay as a pure function of the log. No I/O, no frameworks.

- Rate tables are effective-dated: the rate for a day is the entry with the latest valid_from on or
  before that day. A rate decided late but valid from an earlier date is just a new entry; the next
  run recomputes the periods it touches and pays the difference.
- Money is in øre (int); quantities (hours, døgn, km, percent) are Decimal. An amount is the quantity
  times the rate, rounded half up to whole øre, once per pay line.
- Every pay line names its rate (code, value, valid_from), the dates it covers and the events it came
  from, so a payroll officer can trace each figure.

Counting døgn (a stay in avlastning or besøkshjem): a stay is cut into 24-hour døgn from its start;
each døgn is dated by the day it starts, and the child's age on that day picks the age bracket. A last,
shorter part counts as a døgn when it is at least `min_hours_for_part_dogn` long (a setting, 6 h).
Friday 16:00 to Sunday 16:00 is 48 hours: two døgn, dated Friday and Saturday.
"""

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from brobygger_shared.calendar import add_months, age_on
from brobygger_shared.events.terms import (
    DognRateTable,
    EngagementType,
    ExpensesPerDognByAge,
    FixedDognRate,
    FixedHourlyRate,
    FlatMonthlyExpenses,
    HourlyRateTable,
    HoursPerDogn,
    Scheme,
    ScopeUnit,
    Terms,
)
from brobygger_shared.rules import RuleViolation, require


class Unpayable(LookupError):
    """A contract's period cannot be computed now; `reason` tells the payroll officer why (Norwegian)."""

    reason: str


class NoRate(Unpayable):
    """No rate of this code is valid on the day: the rate table must be completed first."""

    def __init__(self, code: str, day: date) -> None:
        super().__init__(f"Ingen sats {code} gjelder {day.isoformat()}.")
        self.code = code
        self.day = day
        self.reason = (f"Mangler sats {code} som gjelder {day:%d.%m.%Y}: registrer satsen, så betaler neste "
                       f"lønnskjøring perioden.")


class NoHourlyPay(Unpayable):
    """Hours on a contract whose terms pay only by the døgn."""

    def __init__(self, day: date) -> None:
        super().__init__(f"No hourly pay on {day.isoformat()}.")
        self.reason = (f"Avtalen har ingen timesats, men timelisten har timer {day:%d.%m.%Y}: endre avtalen eller "
                       f"timelisten, så betaler neste lønnskjøring perioden.")


@dataclass(frozen=True)
class Rate:
    code: str
    unit: str  # øre_per_time | øre_per_døgn | øre_per_km | øre_per_måned | prosent
    value: Decimal
    valid_from: date
    source: str = ""


class RateTable:
    def __init__(self, rates: Iterable[Rate]) -> None:
        self._by_code: dict[str, list[Rate]] = defaultdict(list)
        for rate in rates:
            self._by_code[rate.code].append(rate)
        for entries in self._by_code.values():
            entries.sort(key=lambda rate: rate.valid_from)
        self._found: dict[tuple[str, date], Rate] = {}  # a rebuild asks for the same day thousands of times

    def with_rate(self, rate: Rate) -> "RateTable":
        return RateTable([*self.all(), rate])

    def all(self) -> list[Rate]:
        return [rate for entries in self._by_code.values() for rate in entries]

    def on(self, code: str, day: date) -> Rate:
        found = self._found.get((code, day))
        if found is None:
            found = self._found[(code, day)] = self._lookup(code, day)
        return found

    def _lookup(self, code: str, day: date) -> Rate:
        found = None
        for rate in self._by_code.get(code, ()):
            if rate.valid_from <= day:
                found = rate  # a later entry with the same valid_from (a correction) wins
            else:
                break
        if found is None:
            raise NoRate(code, day)
        return found


def dogn_in_stay(start: datetime, end: datetime, min_hours_for_part_dogn: int = 6) -> list[date]:
    """The døgn of a stay, each dated by the day it starts (see the module's rule)."""
    if end <= start:
        return []
    days, cursor = [], start
    while cursor + timedelta(hours=24) <= end:
        days.append(cursor.date())
        cursor += timedelta(hours=24)
    if end - cursor >= timedelta(hours=min_hours_for_part_dogn):
        days.append(cursor.date())
    return days


ONE = Decimal(1)


def period_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


# -- what pay is computed from ------------------------------------------------------------------------


@dataclass(frozen=True)
class ContractTerms:
    """A contract as payroll knows it from ContractSigned / ContractAmended / ContractTerminated."""

    contract_id: UUID
    volunteer_id: UUID
    scheme: Scheme
    user_birth_date: date
    period_from: date
    period_to: date
    versions: tuple[Terms, ...]  # each with its valid_from, oldest first
    ends_on: date | None = None

    def terms_on(self, day: date) -> Terms:
        for terms in reversed(self.versions):
            if terms.valid_from <= day:
                return terms
        return self.versions[0]

    @property
    def last_day(self) -> date:
        """The period's end, or the day it was terminated from."""
        return min(self.period_to, self.ends_on or self.period_to)

    def covers(self, day: date) -> bool:
        return self.period_from <= day <= self.last_day

    def window(self) -> "ContractWindow":
        """What a timesheet is checked against, by the latest terms."""
        latest = self.versions[-1]
        return ContractWindow(self.period_from, self.last_day, latest.scope, latest.scope_unit,
                              latest.engagement_type, self.scheme)


class WorkEntry(NamedTuple):
    """One approved timesheet entry, with the event it came from. (A tuple: a rebuild makes 250,000.)"""

    day: date
    hours: Decimal | None = None
    stay_start: datetime | None = None
    stay_end: datetime | None = None
    km: Decimal = Decimal(0)
    source: str = ""  # e.g. "TimesheetApproved@1234 (timeliste <id>)"

    @classmethod
    def from_stored(cls, entry: dict, source: str) -> "WorkEntry":
        """From an entry as the timesheet's events store it (TimesheetEntry.as_dict)."""
        return cls(_as_date(entry["day"]), _as_decimal(entry["hours"]), _as_datetime(entry["stay_start"]),
                   _as_datetime(entry["stay_end"]), _as_decimal(entry["km"]) or Decimal(0), source)


class Component(StrEnum):
    HOURLY_PAY = "timelønn"
    DOGN_PAY = "arbeidsgodtgjøring_døgn"
    EXPENSES_FLAT = "utgiftsdekning_måned"
    EXPENSES_DOGN = "utgiftsdekning_døgn"
    MILEAGE_TAX_FREE = "kjøregodtgjørelse_skattefri"
    MILEAGE_TAXABLE = "kjøregodtgjørelse_skattepliktig"
    HOLIDAY_PAY = "feriepenger"


WORK_PAY = {Component.HOURLY_PAY, Component.DOGN_PAY}  # the basis for holiday pay


@dataclass(frozen=True)
class PayLine:
    contract_id: UUID
    volunteer_id: UUID
    period: str
    component: Component
    quantity: Decimal
    rate_code: str
    rate_value: Decimal
    rate_valid_from: date | None
    amount_ore: int
    dates: tuple[date, ...] = ()
    sources: tuple[str, ...] = ()
    original_period: str | None = None  # set on a correction: the period it corrects
    unit: str = ""  # of the rate: øre_per_time | øre_per_døgn | øre_per_km | øre_per_måned | prosent
    basis: str = ""  # holiday pay: the pay it is a percentage of (quantity is that pay in øre)
    # A change of rate: `quantity` was paid at `replaces_rate` (valid from `replaces_valid_from`) and is
    # now due at `replaces_rate + rate_value`; `rate_value` is the difference.
    replaces_rate: Decimal | None = None
    replaces_valid_from: date | None = None

    @property
    def earned_in(self) -> str:
        """The period the pay belongs to: a correction paid later still settles its original period."""
        return self.original_period or self.period

    @property
    def key(self) -> tuple:
        """What a later run compares with what was paid."""
        return (self.contract_id, self.earned_in, self.component, self.rate_code)

    def positions(self) -> list[tuple[tuple[Decimal, date | None], Decimal]]:
        """The quantity this line pays at each rate (value, valid_from): a change of rate moves its
        quantity from the old rate to the new."""
        if self.replaces_rate is None:
            return [((self.rate_value, self.rate_valid_from), self.quantity)]
        return [((self.replaces_rate, self.replaces_valid_from), -self.quantity),
                ((self.replaces_rate + self.rate_value, self.rate_valid_from), self.quantity)]


def _amount(quantity: Decimal, rate: Decimal, unit: str = "") -> int:
    """Quantity × rate, rounded half up to whole øre, once. A percentage is of its basis in øre."""
    if unit == PERCENT:
        rate = rate / 100
    return int((quantity * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP))


PERCENT = "prosent"


@dataclass
class _Accumulator:
    quantity: Decimal = Decimal(0)
    dates: dict[date, None] = field(default_factory=dict)  # dicts as ordered sets
    sources: dict[str, None] = field(default_factory=dict)


# -- the fold -----------------------------------------------------------------------------------------


def compute_period(contract: ContractTerms, entries: Sequence[WorkEntry], rates: RateTable, period: str,
                   min_hours_for_part_dogn: int = 6) -> list[PayLine]:
    """The pay lines one contract earns in one period, from its approved entries, as known now."""
    lines: dict[tuple[Component, Rate], _Accumulator] = defaultdict(_Accumulator)

    def add(component: Component, rate: Rate, quantity: Decimal, day: date, source: str) -> None:
        accumulated = lines[(component, rate)]
        accumulated.quantity += quantity
        accumulated.dates[day] = None
        if source:
            accumulated.sources[source] = None

    active_days = []
    for entry in sorted(entries, key=lambda e: (e.day, e.source)):
        terms = contract.terms_on(entry.day)
        if entry.hours:
            add(Component.HOURLY_PAY, _hourly_rate(terms, rates, entry.day), entry.hours, entry.day, entry.source)
        if entry.stay_start and entry.stay_end:
            # A stay is paid in the month of the timesheet it is reported on, even if it ends in the next.
            for dogn in dogn_in_stay(entry.stay_start, entry.stay_end, min_hours_for_part_dogn):
                dogn_terms = contract.terms_on(dogn)
                work = _dogn_work_pay(dogn_terms, rates, dogn)
                if work is not None:
                    add(Component.DOGN_PAY, work[0], work[1], dogn, entry.source)
                if isinstance(dogn_terms.expenses, ExpensesPerDognByAge):
                    bracket = "under_10" if age_on(contract.user_birth_date, dogn) < 10 else "fra_10"
                    rate = rates.on(f"{dogn_terms.expenses.table}:{bracket}", dogn)
                    add(Component.EXPENSES_DOGN, rate, ONE, dogn, entry.source)
        if entry.km and terms.mileage_covered:
            free_part, taxable = _mileage_rates(rates.on("statens_sats_km", entry.day),
                                                rates.on("skattefri_km", entry.day))
            add(Component.MILEAGE_TAX_FREE, free_part, entry.km, entry.day, entry.source)
            if taxable:
                add(Component.MILEAGE_TAXABLE, taxable, entry.km, entry.day, entry.source)
        active_days.append(entry.day)

    if active_days:
        first = min(active_days)
        terms = contract.terms_on(first)
        if isinstance(terms.expenses, FlatMonthlyExpenses):
            flat = _agreed_rate("avtalt_utgiftsdekning", "øre_per_måned", terms.expenses.ore, terms.valid_from)
            sources = sorted({e.source for e in entries if e.source})
            lines[(Component.EXPENSES_FLAT, flat)] = _Accumulator(ONE, {first: None}, dict.fromkeys(sources))

    result = [
        PayLine(contract.contract_id, contract.volunteer_id, period, component, acc.quantity, rate.code, rate.value,
                rate.valid_from, _amount(acc.quantity, rate.value, rate.unit), tuple(sorted(acc.dates)),
                tuple(acc.sources), unit=rate.unit)
        for (component, rate), acc in lines.items()
    ]
    result += _holiday_pay(contract, result, rates, period)
    return sorted(result, key=lambda line: (line.component, line.rate_code, line.rate_valid_from or date.min))


def _hourly_rate(terms: Terms, rates: RateTable, day: date) -> Rate:
    pay = terms.hourly_pay
    if isinstance(pay, FixedHourlyRate):
        return _agreed_rate("avtalt_timesats", "øre_per_time", pay.ore, terms.valid_from)
    if isinstance(pay, HourlyRateTable):
        return rates.on(pay.table, day)
    raise NoHourlyPay(day)


def _dogn_work_pay(terms: Terms, rates: RateTable, day: date) -> tuple[Rate, Decimal] | None:
    """How the contract pays a døgn's work: a rate per døgn (agreed, or a table such as KS's besøkshjem
    arbeidsgodtgjøring), or a number of hours per døgn at the hourly rate; None when it pays no work."""
    pay = terms.dogn_pay
    if isinstance(pay, FixedDognRate):
        return _agreed_rate("avtalt_døgnsats", "øre_per_døgn", pay.ore, terms.valid_from), ONE
    if isinstance(pay, DognRateTable):
        return rates.on(pay.table, day), ONE
    if isinstance(pay, HoursPerDogn):
        return _hourly_rate(terms, rates, day), pay.hours
    # Terms from before a døgn's work had its own term (version 1 of the contract events) named the
    # besøkshjem table of work pay per døgn as their "hourly" table: its unit says so.
    if isinstance(terms.hourly_pay, HourlyRateTable):
        rate = rates.on(terms.hourly_pay.table, day)
        if rate.unit == "øre_per_døgn":
            return rate, ONE
    return None


@lru_cache(maxsize=4096)
def _agreed_rate(code: str, unit: str, ore: int, valid_from: date) -> Rate:
    return Rate(code, unit, Decimal(ore), valid_from, "oppdragsavtalen")


@lru_cache(maxsize=4096)
def _mileage_rates(full: Rate, tax_free: Rate) -> tuple[Rate, Rate | None]:
    """Statens sats split into the tax-free part, paid at the tax-free rate it names (or at statens sats
    where that is lower), and the taxable rest (None when all of it is tax-free)."""
    if full.value <= tax_free.value:
        return full, None
    return tax_free, Rate("statens_sats_km-skattefri_km", "øre_per_km", full.value - tax_free.value,
                          max(full.valid_from, tax_free.valid_from), f"{full.source}; {tax_free.source}")


def _holiday_pay(contract: ContractTerms, lines: list[PayLine], rates: RateTable, period: str) -> list[PayLine]:
    work = [line for line in lines if line.component in WORK_PAY]
    if not work:
        return []
    last_day = max(day for line in work for day in line.dates)
    engagement = contract.terms_on(last_day).engagement_type
    percent = rates.on(f"feriepenger:{engagement}", last_day)
    if not percent.value:
        return []
    basis = Decimal(sum(line.amount_ore for line in work))
    return [PayLine(contract.contract_id, contract.volunteer_id, period, Component.HOLIDAY_PAY, basis,
                    percent.code, percent.value, percent.valid_from, _amount(basis, percent.value, PERCENT),
                    tuple(sorted({d for line in work for d in line.dates})),
                    tuple(sorted({s for line in work for s in line.sources})), unit=PERCENT,
                    basis=" + ".join(sorted({line.component.value for line in work})) + f" opptjent {period}")]


@dataclass(frozen=True)
class Held:
    """A contract's period a run cannot pay yet, and why (Norwegian, for the payroll officer)."""

    contract_id: UUID
    volunteer_id: UUID
    period: str
    reason: str


@dataclass
class Due:
    """What is due, as known now: the pay lines, and the contracts' periods held back for want of a rate."""

    lines: list[PayLine]
    held: list[Held]

    @property
    def held_keys(self) -> set[tuple[UUID, str]]:
        return {(held.contract_id, held.period) for held in self.held}


def fold(contracts: dict, work: dict, rates: RateTable, up_to_period: str,
         min_hours_for_part_dogn: int = 6) -> Due:
    """Everything due, as known now, for every period up to and including `up_to_period`:
    `contracts` by id, `work` as approved entries by (contract id, period). A contract's period that
    needs a rate the table lacks is held, with the reason, and the rest is paid."""
    lines, held = [], []
    for (contract_id, period), entries in sorted(work.items(), key=lambda item: (item[0][1], str(item[0][0]))):
        if period <= up_to_period and contract_id in contracts:
            contract = contracts[contract_id]
            try:
                lines += compute_period(contract, entries, rates, period, min_hours_for_part_dogn)
            except Unpayable as problem:
                held.append(Held(contract_id, contract.volunteer_id, period, problem.reason))
    return Due(lines, held)


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
    """What a run for a period pays, and what it holds back (with the reason)."""

    period: str
    lines: list[PayLine]
    held: list[Held]


def settle(ledger: PayLedger, period: str, min_hours_for_part_dogn: int = 6) -> RunOutcome:
    """A run for `period`: everything due up to it, as the events say now, minus what earlier runs paid;
    a contract's period that lacks a rate is held, not paid and not clawed back."""
    due = fold(ledger.contracts, ledger.work, ledger.rates, period, min_hours_for_part_dogn)
    return RunOutcome(period, differences(due.lines, ledger.paid, period, due.held_keys), due.held)


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
    due_by_key: dict[tuple, list[PayLine]] = defaultdict(list)
    for line in due:
        if line.earned_in <= run_period:
            due_by_key[line.key].append(line)
    paid_by_key: dict[tuple, list[PayLine]] = defaultdict(list)
    for line in paid:
        if line.earned_in <= run_period:
            paid_by_key[line.key].append(line)

    def by_contract_and_period(key: tuple) -> tuple:
        contract_id, earned_in, component, rate_code = key
        return contract_id.int, earned_in, component, rate_code

    result = []
    held = set(held)
    for key in sorted(due_by_key.keys() | paid_by_key.keys(), key=by_contract_and_period):
        if (key[0], key[1]) in held:
            continue
        owed, settled = due_by_key.get(key, []), paid_by_key.get(key, [])
        if not settled and key[1] == run_period:
            result += owed
        else:
            result += _corrections(owed, settled, run_period)
    return result


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
                       template.rate_code, value, valid_from, _amount(quantity, value, unit), dates, sources,
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



@dataclass(frozen=True)
class EntryProblem:
    entry: int  # index in the submitted list
    field: str
    message: str


# What a timesheet or a rate could mean in a kommune, refused outside with 422 naming the field.
MAX_ENTRIES = 100  # a month's days, some of them more than once
MAX_ENTRIES_PER_DAY = 6
MAX_KM_PER_ENTRY = Decimal(1000)
MAX_RATE_BY_UNIT = {  # far above any rate a kommune pays, well below a typing slip of zeros
    "øre_per_time": Decimal(5_000_00),
    "øre_per_døgn": Decimal(20_000_00),
    "øre_per_km": Decimal(50_00),
    "øre_per_måned": Decimal(100_000_00),
    "prosent": Decimal(100),
}


class InvalidTimesheet(ValueError):
    """Entries that cannot be accepted; each problem names the entry and the field."""

    def __init__(self, problems: list[EntryProblem]) -> None:
        super().__init__("; ".join(f"rad {p.entry + 1}, {p.field}: {p.message}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class TimesheetEntry:
    day: date
    activity: str = ""
    hours: Decimal | None = None
    stay_start: datetime | None = None
    stay_end: datetime | None = None
    km: Decimal = Decimal(0)
    note: str = ""

    def as_dict(self) -> dict:
        """The entry as the timesheet's events store it: plain JSON values, as an analyst reads them."""
        return {"day": self.day.isoformat(), "activity": self.activity, "hours": _text(self.hours),
                "stay_start": _text(self.stay_start), "stay_end": _text(self.stay_end), "km": str(self.km),
                "note": self.note}

    @classmethod
    def from_dict(cls, data: dict) -> "TimesheetEntry":
        return cls(_as_date(data["day"]), data["activity"], _as_decimal(data["hours"]),
                   _as_datetime(data["stay_start"]), _as_datetime(data["stay_end"]),
                   _as_decimal(data["km"]) or Decimal(0), data["note"])

    def hours_by_day(self) -> dict[date, Decimal]:
        """Hours worked per calendar day (a stay is split at midnight)."""
        if self.hours is not None:
            return {self.day: self.hours}
        result: dict[date, Decimal] = defaultdict(Decimal)
        cursor = self.stay_start
        while cursor < self.stay_end:
            next_midnight = datetime.combine(cursor.date() + timedelta(days=1), datetime.min.time())
            until = min(next_midnight, self.stay_end)
            result[cursor.date()] += Decimal((until - cursor).total_seconds()) / 3600
            cursor = until
        return dict(result)


@dataclass(frozen=True)
class ContractWindow:
    """What a timesheet is checked against: the contract's dates, the vedtak's scope, the engagement."""

    period_from: date
    period_to: date
    scope: Decimal
    scope_unit: ScopeUnit
    engagement_type: EngagementType
    scheme: Scheme


def check_entries(entries: Sequence[TimesheetEntry], period: str, contract: ContractWindow,
                  today: date) -> list[EntryProblem]:
    """Reasons to refuse entries (422): outside the contract or the month, in the future, overlapping,
    more than 24 hours in a day, or neither hours nor a stay."""
    problems = []
    for index, entry in enumerate(entries):
        if (entry.hours is None) == (entry.stay_start is None or entry.stay_end is None):
            problems.append(EntryProblem(index, "hours", "oppgi enten timer eller start og slutt på et opphold"))
            continue
        if entry.hours is not None and not (Decimal(0) < entry.hours <= 24):
            problems.append(EntryProblem(index, "hours", "timer må være mellom 0 og 24"))
        if entry.stay_start and entry.stay_end and entry.stay_end <= entry.stay_start:
            problems.append(EntryProblem(index, "stay_end", "oppholdet må slutte etter at det begynner"))
            continue
        last_day = entry.stay_end.date() if entry.stay_end else entry.day
        if period_of(entry.day) != period:
            problems.append(EntryProblem(index, "day", f"datoen hører ikke til timelisten for {period}"))
        if entry.day < contract.period_from or last_day > contract.period_to:
            problems.append(EntryProblem(index, "day", "datoen er utenfor oppdragsavtalens periode"))
        if last_day > today:
            problems.append(EntryProblem(index, "day", "datoen er fram i tid"))
        if not Decimal(0) <= entry.km <= MAX_KM_PER_ENTRY:
            problems.append(EntryProblem(index, "km", f"kilometer må være mellom 0 og {MAX_KM_PER_ENTRY}"))
    if problems:
        return problems

    stays = [(i, e) for i, e in enumerate(entries) if e.stay_start]
    for position, (i, first) in enumerate(stays):
        for j, second in stays[position + 1:]:
            if first.stay_start < second.stay_end and second.stay_start < first.stay_end:
                problems.append(EntryProblem(j, "stay_start", f"overlapper med rad {i + 1}"))
    entries_on: dict[date, int] = defaultdict(int)
    for index, entry in enumerate(entries):
        entries_on[entry.day] += 1
        if entries_on[entry.day] == MAX_ENTRIES_PER_DAY + 1:
            problems.append(EntryProblem(index, "day", f"mer enn {MAX_ENTRIES_PER_DAY} rader samme dag"))
    per_day: dict[date, Decimal] = defaultdict(Decimal)
    for index, entry in enumerate(entries):
        for day, hours in entry.hours_by_day().items():
            per_day[day] += hours
            if per_day[day] > 24:
                problems.append(EntryProblem(index, "hours", f"mer enn 24 timer {day.isoformat()}"))
    return problems


def flags_for_approver(entries: Sequence[TimesheetEntry], contract: ContractWindow,
                       max_continuous_hours: int = 56, max_hours_in_7_days: int = 60) -> list[str]:
    """Not refusals: things the approver should look at before approving."""
    flags = []
    if contract.scope_unit == ScopeUnit.HOURS_PER_WEEK:
        per_week: dict[tuple, Decimal] = defaultdict(Decimal)
        for entry in entries:
            for day, hours in entry.hours_by_day().items():
                per_week[day.isocalendar()[:2]] += hours
        for (year, week), hours in sorted(per_week.items()):
            if hours > contract.scope:
                flags.append(f"Uke {week}: {hours:g} timer, mer enn vedtakets {contract.scope:g} timer per uke.")
    else:
        dogn = sum(len(dogn_in_stay(e.stay_start, e.stay_end)) for e in entries if e.stay_start)
        if dogn > contract.scope:
            flags.append(f"{dogn} døgn, mer enn vedtakets {contract.scope:g} døgn per måned.")
    if contract.engagement_type == EngagementType.EMPLOYEE and contract.scheme == Scheme.PRIVAT_AVLASTNING:
        for entry in entries:
            if entry.stay_start:
                length = (entry.stay_end - entry.stay_start).total_seconds() / 3600
                if length > max_continuous_hours:
                    flags.append(f"Opphold {entry.stay_start:%d.%m} varer {length:g} timer sammenhengende "
                                 f"(grensen er {max_continuous_hours}, FOR-2017-06-25-1052).")
        hours_by_day: dict[date, Decimal] = defaultdict(Decimal)
        for entry in entries:
            for day, hours in entry.hours_by_day().items():
                hours_by_day[day] += hours
        for start in sorted(hours_by_day):
            window = sum(hours for day, hours in hours_by_day.items() if start <= day < start + timedelta(days=7))
            if window > max_hours_in_7_days:
                flags.append(f"{window:g} timer de 7 dagene fra {start:%d.%m} (grensen er {max_hours_in_7_days}).")
                break
    return flags


def late_submission(period: str, submitted_on: date, deadline_day: int) -> str | None:
    """A flag when the month's timesheet comes after the kommune's deadline (a day of the next month)."""
    year, month = map(int, period.split("-"))
    deadline = add_months(date(year, month, 1), 1).replace(day=deadline_day)
    if submitted_on <= deadline:
        return None
    return f"Levert {submitted_on:%d.%m.%Y}, etter fristen {deadline:%d.%m.%Y}."


class TimesheetStatus(StrEnum):
    SUBMITTED = "sendt_inn"
    APPROVED = "godkjent"
    RETURNED = "returnert"


class Timesheet(Aggregate):
    """One month's timesheet for one contract. Corrections resubmit the same timesheet."""

    id: UUID  # derived from contract and period: one timesheet per contract and month

    @event("Submitted")
    def __init__(self, contract_id: UUID, volunteer_id: UUID, period: str, entries: list[dict], flags: list[str],
                 submitted_on: date) -> None:
        self.contract_id = contract_id
        self.volunteer_id = volunteer_id
        self.period = period
        self.entries = entries
        self.flags = flags
        self.submitted_on = submitted_on
        self.status = TimesheetStatus.SUBMITTED
        self.approved_on: date | None = None
        self.returned_reason: str | None = None

    def resubmit(self, entries: list[dict], flags: list[str], submitted_on: date) -> None:
        """A corrected timesheet: before approval it replaces what waits (the approver sees the latest,
        and approval records exactly the entries approved); after return or approval it waits again."""
        self._resubmitted(contract_id=self.contract_id, volunteer_id=self.volunteer_id, period=self.period,
                          entries=entries, flags=flags, submitted_on=submitted_on)

    @event("Resubmitted")
    def _resubmitted(self, contract_id: UUID, volunteer_id: UUID, period: str, entries: list[dict],
                     flags: list[str], submitted_on: date) -> None:
        self.entries, self.flags, self.submitted_on = entries, flags, submitted_on
        self.status = TimesheetStatus.SUBMITTED
        self.returned_reason = None

    def approve(self, approved_by: str, approved_on: date) -> None:
        if self.status != TimesheetStatus.SUBMITTED:
            raise RuleViolation(f"Bare en innsendt timeliste kan godkjennes (denne er {self.status}).")
        self._approved(contract_id=self.contract_id, volunteer_id=self.volunteer_id, period=self.period,
                       entries=self.entries, approved_by=approved_by, approved_on=approved_on)

    @event("Approved")
    def _approved(self, contract_id: UUID, volunteer_id: UUID, period: str, entries: list[dict], approved_by: str,
                  approved_on: date) -> None:
        self.status = TimesheetStatus.APPROVED
        self.approved_on = approved_on

    def return_for_correction(self, reason: str, returned_by: str, returned_on: date) -> None:
        if self.status != TimesheetStatus.SUBMITTED:
            raise RuleViolation(f"Bare en innsendt timeliste kan returneres (denne er {self.status}).")
        if not reason.strip():
            raise RuleViolation("Oppgi hvorfor timelisten returneres.")
        self._returned(contract_id=self.contract_id, period=self.period, reason=reason, returned_by=returned_by,
                       returned_on=returned_on)

    @event("Returned")
    def _returned(self, contract_id: UUID, period: str, reason: str, returned_by: str, returned_on: date) -> None:
        self.status = TimesheetStatus.RETURNED
        self.returned_reason = reason


# -- rates registered by staff, and payroll runs ------------------------------------------------------


class RateBook(Aggregate):
    """The rates staff register on top of the shipped table (a late KS agreement, a new kommune rate)."""

    id: UUID

    @event("Opened")
    def __init__(self) -> None:
        self.changes: list[dict] = []

    def register(self, code: str, unit: str, value: Decimal, valid_from: date, source: str) -> None:
        if value < 0:
            raise RuleViolation("En sats kan ikke være negativ.")
        if not source.strip():
            raise RuleViolation("Oppgi kilden til satsen.")
        self._rate_changed(code=code, unit=unit, value=str(value), valid_from=valid_from, source=source)

    @event("RateChanged")
    def _rate_changed(self, code: str, unit: str, value: str, valid_from: date, source: str) -> None:
        self.changes = [*self.changes, {"code": code, "unit": unit, "value": value, "valid_from": valid_from,
                                        "source": source}]


def line_as_dict(line: PayLine) -> dict:
    """A pay line as a run's event stores it: plain JSON values."""
    return {
        "contract_id": str(line.contract_id), "volunteer_id": str(line.volunteer_id), "period": line.period,
        "component": line.component.value, "quantity": str(line.quantity), "rate_code": line.rate_code,
        "rate_value": str(line.rate_value), "rate_valid_from": _text(line.rate_valid_from),
        "amount_ore": line.amount_ore, "dates": [day.isoformat() for day in line.dates], "sources": list(line.sources),
        "original_period": line.original_period, "unit": line.unit, "basis": line.basis,
        "replaces_rate": _text(line.replaces_rate), "replaces_valid_from": _text(line.replaces_valid_from),
    }


def held_as_dict(held: Held) -> dict:
    return {"contract_id": str(held.contract_id), "volunteer_id": str(held.volunteer_id), "period": held.period,
            "reason": held.reason}


def line_from_dict(data: dict) -> PayLine:
    return PayLine(
        contract_id=UUID(str(data["contract_id"])), volunteer_id=UUID(str(data["volunteer_id"])),
        period=data["period"], component=Component(data["component"]), quantity=Decimal(data["quantity"]),
        rate_code=data["rate_code"], rate_value=Decimal(data["rate_value"]),
        rate_valid_from=_as_date(data["rate_valid_from"]), amount_ore=int(data["amount_ore"]),
        dates=tuple(map(_as_date, data["dates"])), sources=tuple(data["sources"]),
        original_period=data["original_period"], unit=data.get("unit", ""), basis=data.get("basis", ""),
        replaces_rate=_as_decimal(data.get("replaces_rate")), replaces_valid_from=_as_date(data.get("replaces_valid_from")),
    )


# Stored values are JSON text; events written before that stored dates and decimals as typed values.


def _text(value: date | Decimal | None) -> str | None:
    return None if value is None else value.isoformat() if isinstance(value, date) else str(value)


def _as_date(value: str | date | None) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _as_datetime(value: str | datetime | None) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _as_decimal(value: str | Decimal | None) -> Decimal | None:
    return Decimal(value) if isinstance(value, str) else value


class PayrollRun(Aggregate):
    """One run for one period: what it paid, line by line. The record later runs compare with."""

    @event("Completed")
    def __init__(self, period: str, lines: list[dict], run_on: date, run_by: str, held: list[dict] | None = None) -> None:
        self.period = period
        self.lines = lines
        self.run_on = run_on
        self.run_by = run_by
        self.held = held or []  # contracts' periods it could not pay, and why (runs before this had none)

    @property
    def total_ore(self) -> int:
        return sum(line["amount_ore"] for line in self.lines)


class Payee(Aggregate):
    """An oppdragstaker as the municipal payroll system knows them: the employee number it gave them,
    which every exported pay line carries."""

    id: UUID  # derived from the volunteer id: one per oppdragstaker

    @event("Registered")
    def __init__(self, volunteer_id: UUID) -> None:
        self.volunteer_id = volunteer_id
        self.employee_number: str | None = None

    def assign_employee_number(self, employee_number: str) -> None:
        number = employee_number.strip()
        require(bool(number), "Oppgi ansattnummeret fra lønnssystemet.")
        if number != self.employee_number:
            self._employee_number_assigned(volunteer_id=self.volunteer_id, employee_number=number)

    @event("EmployeeNumberAssigned")
    def _employee_number_assigned(self, volunteer_id: UUID, employee_number: str) -> None:
        self.employee_number = employee_number

