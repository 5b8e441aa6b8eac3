"""The pay fold: what a contract earns in a period, from its approved entries, its terms on each day
and the rates, as known now. A contract's period that lacks a rate is held, with the reason.

Every pay line names its rate (code, value, valid_from), the dates it covers and the events it came
from, so a payroll officer can trace each figure. An amount is the quantity times the rate, rounded
half up to whole øre, once per pay line.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple
from uuid import UUID

from brobygger_payroll.domain.contract import ContractTerms
from brobygger_payroll.domain.days import dogn_in_stay
from brobygger_payroll.domain.rates import PERCENT, NoRate, Rate, RateTable
from brobygger_payroll.domain.stored import Parsed, as_date, as_datetime, as_decimal
from brobygger_shared.calendar import age_on
from brobygger_shared.events.terms import (
    DognRateTable,
    ExpensesPerDognByAge,
    FixedDognRate,
    FixedHourlyRate,
    FlatMonthlyExpenses,
    HourlyRateTable,
    HoursPerDogn,
    Terms,
)

ONE = Decimal(1)
HALF = Decimal("0.5")


class NoHourlyPay(LookupError):
    """Hours on a contract whose terms pay only by the døgn."""

    def __init__(self, day: date) -> None:
        super().__init__(f"No hourly pay on {day.isoformat()}.")
        self.reason = (f"Avtalen har ingen timesats, men timelisten har timer {day:%d.%m.%Y}: endre avtalen eller "
                       f"timelisten, så betaler neste lønnskjøring perioden.")


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
        return cls(as_date(entry["day"]), as_decimal(entry["hours"]), as_datetime(entry["stay_start"]),
                   as_datetime(entry["stay_end"]), as_decimal(entry["km"]) or Decimal(0), source)

    @classmethod
    def all_from_stored(cls, entries: list[dict], source: str, parsed: Parsed) -> list["WorkEntry"]:
        """Every entry of a timesheet's event, as `from_stored`, for a read of the whole history: the text
        parsed through `parsed`'s caches (TypeError where a value is not text), each entry built as a
        tuple without a call of its own."""
        days, decimals, moments, new = parsed.days, parsed.decimals, parsed.moments, tuple.__new__
        return [new(cls, (days[e["day"]], decimals[e["hours"]], moments[e["stay_start"]], moments[e["stay_end"]],
                          decimals[e["km"]], source)) for e in entries]


class Component(StrEnum):
    HOURLY_PAY = "timelønn"
    DOGN_PAY = "arbeidsgodtgjøring_døgn"
    EXPENSES_FLAT = "utgiftsdekning_måned"
    EXPENSES_DOGN = "utgiftsdekning_døgn"
    MILEAGE_TAX_FREE = "kjøregodtgjørelse_skattefri"
    MILEAGE_TAXABLE = "kjøregodtgjørelse_skattepliktig"
    HOLIDAY_PAY = "feriepenger"


WORK_PAY = {Component.HOURLY_PAY, Component.DOGN_PAY}  # the basis for holiday pay


class PayLine(NamedTuple):
    """One line of pay: a quantity at a rate, the amount, and what it came from. (A tuple: a rebuild
    makes 66,000 of them, and reads as many from the runs.)"""

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


@lru_cache(maxsize=8192)  # a month's hours, km and døgn at a few rates: the same products again and again
def amount(quantity: Decimal, rate: Decimal, unit: str = "") -> int:
    """Quantity × rate, rounded half up (a half away from zero) to whole øre, once. A percentage is of its
    basis in øre."""
    if unit == PERCENT:
        rate = rate / 100
    product = quantity * rate
    return int(product + HALF) if product >= 0 else -int(HALF - product)  # int() cuts towards zero


@dataclass(slots=True)
class _Accumulator:
    quantity: Decimal = Decimal(0)
    dates: dict[date, None] = field(default_factory=dict)  # dicts as ordered sets
    sources: dict[str, None] = field(default_factory=dict)

    def add(self, quantity: Decimal, day: date, source: str) -> None:
        self.quantity += quantity
        self.dates[day] = None
        if source:
            self.sources[source] = None


_BY_DAY_AND_SOURCE = itemgetter(0, 5)  # WorkEntry.day, WorkEntry.source


def compute_period(contract: ContractTerms, entries: Sequence[WorkEntry], rates: RateTable, period: str,
                   min_hours_for_part_dogn: int = 6) -> list[PayLine]:
    """The pay lines one contract earns in one period, from its approved entries, as known now."""
    lines: dict[tuple[Component, Rate], _Accumulator] = defaultdict(_Accumulator)
    hourly, hourly_until = None, date.min  # the hours' line, until the day its terms or rate may change
    mileage, mileage_until = None, date.min  # the mileage rates, until the day one may change

    ordered = sorted(entries, key=_BY_DAY_AND_SOURCE)
    for day, hours, stay_start, stay_end, km, source in ordered:
        if hours:
            if day >= hourly_until:  # days come in order: look the rate up again only where it may change
                rate, hourly_until = _hourly_rate_until(contract, rates, day)
                hourly = lines[(Component.HOURLY_PAY, rate)]
            hourly.quantity += hours
            hourly.dates[day] = None
            if source:
                hourly.sources[source] = None
        if stay_start and stay_end:
            # A stay is paid in the month of the timesheet it is reported on, even if it ends in the next.
            for dogn in dogn_in_stay(stay_start, stay_end, min_hours_for_part_dogn):
                dogn_terms = contract.terms_on(dogn)
                work = _dogn_work_pay(dogn_terms, rates, dogn)
                if work is not None:
                    lines[(Component.DOGN_PAY, work[0])].add(work[1], dogn, source)
                if isinstance(dogn_terms.expenses, ExpensesPerDognByAge):
                    bracket = "under_10" if age_on(contract.user_birth_date, dogn) < 10 else "fra_10"
                    rate = rates.on(f"{dogn_terms.expenses.table}:{bracket}", dogn)
                    lines[(Component.EXPENSES_DOGN, rate)].add(ONE, dogn, source)
        if km and contract.terms_on(day).mileage_covered:
            if day >= mileage_until:
                mileage, mileage_until = _mileage_rates_until(rates, day)
            free_part, taxable = mileage
            lines[(Component.MILEAGE_TAX_FREE, free_part)].add(km, day, source)
            if taxable:
                lines[(Component.MILEAGE_TAXABLE, taxable)].add(km, day, source)

    if ordered:
        first = ordered[0].day  # the first day with activity
        terms = contract.terms_on(first)
        if isinstance(terms.expenses, FlatMonthlyExpenses):
            flat = _agreed_rate("avtalt_utgiftsdekning", "øre_per_måned", terms.expenses.ore, terms.valid_from)
            sources = sorted({e.source for e in entries if e.source})
            lines[(Component.EXPENSES_FLAT, flat)] = _Accumulator(ONE, {first: None}, dict.fromkeys(sources))

    contract_id, volunteer_id, new = contract.contract_id, contract.volunteer_id, tuple.__new__
    result = [
        new(PayLine, (contract_id, volunteer_id, period, component, acc.quantity, rate.code, rate.value,
                      rate.valid_from, amount(acc.quantity, rate.value, rate.unit), tuple(sorted(acc.dates)),
                      tuple(acc.sources), None, rate.unit, "", None, None))
        for (component, rate), acc in lines.items()
    ]
    result += _holiday_pay(contract, result, rates, period)
    return sorted(result, key=lambda line: (line.component, line.rate_code, line.rate_valid_from or date.min))


def _hourly_rate_until(contract: ContractTerms, rates: RateTable, day: date) -> tuple[Rate, date]:
    """The hourly rate on the day, and the first later day the terms or the rate may change."""
    terms, terms_until = contract.terms_until(day)
    pay = terms.hourly_pay
    if isinstance(pay, HourlyRateTable):
        rate, rate_until = rates.on_until(pay.table, day)
        return rate, min(rate_until, terms_until)
    return _hourly_rate(terms, rates, day), terms_until


def _hourly_rate(terms: Terms, rates: RateTable, day: date) -> Rate:
    pay = terms.hourly_pay
    if isinstance(pay, FixedHourlyRate):
        return _agreed_rate("avtalt_timesats", "øre_per_time", pay.ore, terms.valid_from)
    if isinstance(pay, HourlyRateTable):
        return rates.on(pay.table, day)
    raise NoHourlyPay(day)


def _dogn_work_pay(terms: Terms, rates: RateTable, day: date) -> tuple[Rate, Decimal] | None:
    """How the contract pays a døgn's work: a rate per døgn (agreed, or a table such as KS's besøkshjem
    arbeidsgodtgjøring), or a number of hours per døgn at the hourly rate; None when it pays no work.
    The contract decides: payroll assumes no number of hours of its own (no source gives one; the hours
    a new draft proposes are the kommune's setting in the contracts service, CONTRACT_DEFAULTS)."""
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


def _mileage_rates_until(rates: RateTable, day: date) -> tuple[tuple[Rate, Rate | None], date]:
    """The mileage rates on the day (see `_mileage_rates`), and the first later day one may change."""
    full, full_until = rates.on_until("statens_sats_km", day)
    tax_free, tax_free_until = rates.on_until("skattefri_km", day)
    return _mileage_rates(full, tax_free), min(full_until, tax_free_until)


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
    last_day = max(line.dates[-1] for line in work)  # each line's dates are in order
    engagement = contract.terms_on(last_day).engagement_type
    percent = rates.on(f"feriepenger:{engagement}", last_day)
    if not percent.value:
        return []
    basis = Decimal(sum(line.amount_ore for line in work))
    return [PayLine(contract.contract_id, contract.volunteer_id, period, Component.HOLIDAY_PAY, basis,
                    percent.code, percent.value, percent.valid_from, amount(basis, percent.value, PERCENT),
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
    for (contract_id, period), entries in sorted(work.items(), key=lambda item: (item[0][1], item[0][0].int)):
        if period <= up_to_period and contract_id in contracts:
            contract = contracts[contract_id]
            try:
                lines += compute_period(contract, entries, rates, period, min_hours_for_part_dogn)
            except (NoRate, NoHourlyPay) as problem:
                held.append(Held(contract_id, contract.volunteer_id, period, problem.reason))
    return Due(lines, held)
