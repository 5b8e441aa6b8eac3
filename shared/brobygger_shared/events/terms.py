"""The terms of an oppdragsavtale in the published language (ContractSigned and ContractAmended v2).

Typed, so that a reader gets attributes and a misspelt or unknown key fails validation instead of
reading as "not there": the scheme, the engagement and the expense kind are enums, and each way of
paying is one choice of a discriminated union (the `kind` names it):

- hourly pay: a fixed rate in øre, or a rate table payroll applies by date; none when a døgn rate pays
  all the work;
- a stay's døgn of work: a number of hours at the hourly pay, a fixed rate per døgn, or a table of rates
  per døgn (KS's besøkshjem arbeidsgodtgjøring); none when stays earn no work pay;
- expenses: none, a flat sum a month, or per døgn from a table by the child's age on each døgn (the
  table's codes end in `:under_10` and `:fra_10`).

Money is in øre (int); hours and scope are Decimal. The terms carry no names of people (contact
persons and household members stay with the contracts service and the signed PDF).

`terms_from_v1` reads the free dict of version 1 of the events; the events' upcasters use it, and so
may a reader of terms it stored before they were typed.
"""

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator


class Scheme(StrEnum):
    STOTTEKONTAKT = "støttekontakt"  # helse og omsorg
    STOTTEKONTAKT_BARNEVERN = "støttekontakt_barnevern"
    PRIVAT_AVLASTNING = "privat_avlastning"
    BESOKSHJEM = "besøkshjem"  # barnevern


class EngagementType(StrEnum):
    # Høyesterett (HR-2013-630-A, HR-2016-1366-A): avlastere can be employees, with holiday pay.
    EMPLOYEE = "arbeidstaker"
    CONTRACTOR = "oppdragstaker"


class ScopeUnit(StrEnum):
    HOURS_PER_WEEK = "timer_per_uke"
    DOGN_PER_MONTH = "døgn_per_måned"

    @property
    def maximum(self) -> int:
        """The most a vedtak or a contract can grant: every hour of a week, every døgn of a month."""
        return 168 if self is ScopeUnit.HOURS_PER_WEEK else 31


class ExpenseKind(StrEnum):
    NONE = "ingen"
    FLAT_MONTHLY = "fast_per_måned"  # støttekontakt: a flat sum a month, no receipts
    PER_DOGN_BY_AGE = "døgnsats_etter_alder"  # avlastning, besøkshjem: per døgn, by the child's age


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


Ore = Annotated[int, Field(gt=0, description="øre")]
TableName = Annotated[str, StringConstraints(min_length=1, max_length=40)]


# -- hourly pay ------------------------------------------------------------------------------------


class FixedHourlyRate(_Strict):
    kind: Literal["fast_timesats"] = "fast_timesats"
    ore: Ore


class HourlyRateTable(_Strict):
    kind: Literal["timesats_etter_tabell"] = "timesats_etter_tabell"
    table: TableName


HourlyPay = Annotated[FixedHourlyRate | HourlyRateTable, Field(discriminator="kind")]


# -- a døgn of a stay, for work --------------------------------------------------------------------


class HoursPerDogn(_Strict):
    """Each døgn is paid as this many hours at the contract's hourly pay."""

    kind: Literal["timer_per_døgn"] = "timer_per_døgn"
    hours: Annotated[Decimal, Field(gt=0, le=24)]


class FixedDognRate(_Strict):
    kind: Literal["fast_døgnsats"] = "fast_døgnsats"
    ore: Ore


class DognRateTable(_Strict):
    kind: Literal["døgnsats_etter_tabell"] = "døgnsats_etter_tabell"
    table: TableName


DognPay = Annotated[HoursPerDogn | FixedDognRate | DognRateTable, Field(discriminator="kind")]


# -- expenses --------------------------------------------------------------------------------------


class NoExpenses(_Strict):
    kind: Literal[ExpenseKind.NONE] = ExpenseKind.NONE


class FlatMonthlyExpenses(_Strict):
    kind: Literal[ExpenseKind.FLAT_MONTHLY] = ExpenseKind.FLAT_MONTHLY
    ore: Ore


class ExpensesPerDognByAge(_Strict):
    kind: Literal[ExpenseKind.PER_DOGN_BY_AGE] = ExpenseKind.PER_DOGN_BY_AGE
    table: TableName  # rates `<table>:under_10` and `<table>:fra_10`


Expenses = Annotated[NoExpenses | FlatMonthlyExpenses | ExpensesPerDognByAge, Field(discriminator="kind")]


# -- the terms -------------------------------------------------------------------------------------


class Terms(_Strict):
    """The terms in force from `valid_from` (the contract's start, or an amendment's date)."""

    version: Literal[2] = 2
    engagement_type: EngagementType
    scope: Annotated[Decimal, Field(gt=0)]
    scope_unit: ScopeUnit
    hourly_pay: HourlyPay | None
    dogn_pay: DognPay | None
    expenses: Expenses
    mileage_covered: bool  # statens sats, where the scheme covers transport
    notice_period_days: Annotated[int, Field(ge=0)]
    valid_from: date

    def with_changes(self, **changes: Any) -> "Terms":
        """A copy with some terms changed, validated as any terms are."""
        return Terms.model_validate({**dict(self), **changes})

    @model_validator(mode="after")
    def _work_is_paid(self) -> "Terms":
        if self.hourly_pay is None and not isinstance(self.dogn_pay, FixedDognRate | DognRateTable):
            raise ValueError("terms without hourly pay must pay a døgn's work at a døgn rate")
        return self


# -- version 1: a free dict ------------------------------------------------------------------------


TERMS_V1_KEYS = frozenset({
    "engagement_type", "scope", "scope_unit", "hourly_rate_ore", "hourly_rate_table", "work_hours_per_dogn",
    "dogn_rate_ore", "dogn_rate_table", "expense_kind", "expense_flat_monthly_ore", "expense_rate_table",
    "mileage_covered", "notice_period_days", "contact_persons", "household_members", "valid_from",
})


def terms_from_v1(v1: dict[str, Any]) -> dict[str, Any]:
    """Version 1's terms (every key the contracts service ever wrote; the døgn keys came later) as
    version 2's. A key version 1 never had is refused, not ignored: it would be a misspelling."""
    unknown = sorted(set(v1) - TERMS_V1_KEYS)
    if unknown:
        raise ValueError(f"unknown keys in version 1 contract terms: {', '.join(unknown)}")
    expense_kind = v1.get("expense_kind", ExpenseKind.NONE)
    expenses: dict[str, Any] = {"kind": expense_kind}
    if expense_kind == ExpenseKind.FLAT_MONTHLY:
        expenses["ore"] = v1.get("expense_flat_monthly_ore")
    elif expense_kind == ExpenseKind.PER_DOGN_BY_AGE:
        expenses["table"] = v1.get("expense_rate_table")
    return {
        "version": 2,
        "engagement_type": v1["engagement_type"],
        "scope": _decimal(v1["scope"]),
        "scope_unit": v1["scope_unit"],
        "hourly_pay": _one_of({"kind": "fast_timesats", "ore": v1.get("hourly_rate_ore")},
                              {"kind": "timesats_etter_tabell", "table": v1.get("hourly_rate_table")}),
        "dogn_pay": _one_of({"kind": "fast_døgnsats", "ore": v1.get("dogn_rate_ore")},
                            {"kind": "døgnsats_etter_tabell", "table": v1.get("dogn_rate_table")},
                            {"kind": "timer_per_døgn", "hours": _decimal(v1.get("work_hours_per_dogn"))}),
        "expenses": expenses,
        "mileage_covered": v1.get("mileage_covered", False),
        "notice_period_days": v1.get("notice_period_days", 14),
        "valid_from": v1["valid_from"],
    }


def _one_of(*choices: dict[str, Any]) -> dict[str, Any] | None:
    """The first choice whose value version 1 gave (in the order payroll read them), or None."""
    for choice in choices:
        if any(value for key, value in choice.items() if key != "kind"):
            return choice
    return None


def _decimal(value: float | int | str | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))
