"""Rates: effective-dated. The rate for a day is the entry with the latest valid_from on or before that
day. A rate decided late but valid from an earlier date is just a new entry; the next run recomputes
the periods it touches and pays the difference. Staff register rates on top of the shipped table in the
RateBook."""

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import NamedTuple
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from brobygger_payroll.domain.stored import TOPIC_MODULE
from brobygger_shared.rules import RuleViolation

PERCENT = "prosent"  # a rate in percent of a basis in øre (holiday pay)
MAX_RATE_BY_UNIT = {  # far above any rate a kommune pays, well below a typing slip of zeros
    "øre_per_time": Decimal(5_000_00),
    "øre_per_døgn": Decimal(20_000_00),
    "øre_per_km": Decimal(50_00),
    "øre_per_måned": Decimal(100_000_00),
    PERCENT: Decimal(100),
}


class NoRate(LookupError):
    """No rate of this code is valid on the day: the rate table must be completed first."""

    def __init__(self, code: str, day: date) -> None:
        super().__init__(f"Ingen sats {code} gjelder {day.isoformat()}.")
        self.code = code
        self.day = day
        self.reason = (f"Mangler sats {code} som gjelder {day:%d.%m.%Y}: registrer satsen, så betaler neste "
                       f"lønnskjøring perioden.")


class Rate(NamedTuple):
    """A rate from a day on, and where the figure comes from. (A tuple: a fold keys its lines by rate.)"""

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
        self._valid_from: dict[str, list[date]] = {}

    def with_rate(self, rate: Rate) -> "RateTable":
        return RateTable([*self.all(), rate])

    def all(self) -> list[Rate]:
        return [rate for entries in self._by_code.values() for rate in entries]

    def on_until(self, code: str, day: date) -> tuple[Rate, date]:
        """The rate for the day, and the first later day another rate of the code applies from (date.max
        if none): a fold of days in order looks the rate up again only from then."""
        entries = self._by_code.get(code, ())
        froms = self._valid_from.get(code)
        if froms is None:
            froms = self._valid_from[code] = [rate.valid_from for rate in entries]
        index = bisect_right(froms, day)  # past every entry valid from the day: the last of them wins
        if index == 0:
            raise NoRate(code, day)
        return entries[index - 1], froms[index] if index < len(froms) else date.max

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


class RateBook(Aggregate):
    """The rates staff register on top of the shipped table (a late KS agreement, a new kommune rate)."""

    __module__ = TOPIC_MODULE  # see stored.TOPIC_MODULE
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
