"""Correction lines a payroll system can multiply out: every line's quantity × rate is its amount,
with signed quantities. A change of hours is a line of the changed hours at the rate; a change of rate
is a line of the original quantity at the rate difference; one line per rate and period."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

from hypothesis import given
from hypothesis import strategies as st

from brobygger_payroll.domain.contract import ContractTerms
from brobygger_payroll.domain.pay import WorkEntry, amount, compute_period
from brobygger_payroll.domain.rates import Rate, RateTable
from brobygger_payroll.domain.runs import differences
from brobygger_payroll.rates import shipped_rate_table
from brobygger_shared.events.terms import EngagementType, HourlyRateTable, NoExpenses, Scheme, ScopeUnit, Terms

RATES = shipped_rate_table()
TERMS = Terms(engagement_type=EngagementType.CONTRACTOR, scope=3, scope_unit=ScopeUnit.HOURS_PER_WEEK,
              hourly_pay=HourlyRateTable(table="sgs1030_hol"), dogn_pay=None, expenses=NoExpenses(),
              mileage_covered=False, notice_period_days=14, valid_from=date(2020, 1, 1))
CONTRACT = ContractTerms(UUID(int=1), UUID(int=2), Scheme.PRIVAT_AVLASTNING, date(2014, 2, 28), date(2020, 1, 1),
                         date(2030, 12, 31), (TERMS,))


def hours(day: date, count: str) -> WorkEntry:
    return WorkEntry(day, hours=Decimal(count), source="TimesheetApproved@7")


def multiplied_out(line) -> int:
    rate = line.rate_value / 100 if line.unit == "prosent" else line.rate_value
    return int((line.quantity * rate).to_integral_value(rounding="ROUND_HALF_UP"))


def test_more_hours_are_a_line_of_the_added_hours_at_the_rate():
    paid = compute_period(CONTRACT, [hours(date(2025, 3, 5), "10")], RATES, "2025-03")

    (line,) = differences(compute_period(CONTRACT, [hours(date(2025, 3, 5), "12")], RATES, "2025-03"), paid, "2025-04")

    assert (line.quantity, line.rate_value, line.amount_ore) == (Decimal(2), Decimal(9100), 18200)  # 2 h × 91 kr
    assert line.original_period == "2025-03" and line.unit == "øre_per_time"


def test_fewer_hours_are_a_line_of_negative_hours_at_the_rate():
    paid = compute_period(CONTRACT, [hours(date(2025, 3, 5), "10")], RATES, "2025-03")

    (line,) = differences(compute_period(CONTRACT, [hours(date(2025, 3, 5), "6")], RATES, "2025-03"), paid, "2025-04")

    assert (line.quantity, line.rate_value, line.amount_ore) == (Decimal(-4), Decimal(9100), -36400)  # -4 h × 91 kr


def test_a_rate_changed_mid_month_after_the_run_is_the_later_hours_at_the_rate_difference():
    paid = compute_period(CONTRACT, [hours(date(2025, 6, 10), "3"), hours(date(2025, 6, 20), "4")], RATES, "2025-06")
    later = RATES.with_rate(Rate("sgs1030_hol", "øre_per_time", Decimal(9500), date(2025, 6, 15), "KS (test)"))
    due = compute_period(CONTRACT, [hours(date(2025, 6, 10), "3"), hours(date(2025, 6, 20), "4")], later, "2025-06")

    (line,) = differences(due, paid, "2025-07")

    assert (line.quantity, line.rate_value, line.amount_ore) == (Decimal(4), Decimal(400), 1600)  # 4 h × (95 - 91) kr
    assert line.rate_valid_from == date(2025, 6, 15) and line.replaces_rate == Decimal(9100)
    assert line.dates == (date(2025, 6, 20),)


def test_more_hours_at_a_new_rate_are_one_line_per_rate():
    before = RateTable([rate for rate in RATES.all() if not (rate.code == "sgs1030_hol" and rate.valid_from.year == 2022)])
    paid = compute_period(CONTRACT, [hours(date(2022, 1, 14), "10")], before, "2022-01")  # 10 h × 86 kr

    run = differences(compute_period(CONTRACT, [hours(date(2022, 1, 14), "12")], RATES, "2022-01"), paid, "2022-04")

    assert sorted((line.quantity, line.rate_value, line.amount_ore) for line in run) == [
        (Decimal(2), Decimal(9100), 18200),  # the 2 added hours at 91 kr
        (Decimal(10), Decimal(500), 5000),  # the 10 hours paid at 86 kr, now 91 kr: 10 × 5 kr
    ]
    assert all(multiplied_out(line) == line.amount_ore for line in run)


def test_corrections_of_corrections_net_out_by_quantity_and_rate():
    first = compute_period(CONTRACT, [hours(date(2025, 3, 5), "10")], RATES, "2025-03")
    more = compute_period(CONTRACT, [hours(date(2025, 3, 5), "12")], RATES, "2025-03")
    less = compute_period(CONTRACT, [hours(date(2025, 3, 5), "9.5")], RATES, "2025-03")

    april = differences(more, first, "2025-04")
    (may,) = differences(less, first + april, "2025-05")

    assert (may.quantity, may.amount_ore) == (Decimal("-2.5"), -22750)  # 12 → 9.5 h: -2.5 h × 91 kr
    assert differences(less, first + april + [may], "2025-06") == []


@given(st.decimals(min_value=-100_000, max_value=100_000, places=2),
       st.decimals(min_value=0, max_value=500_000, places=2), st.sampled_from(["øre_per_time", "prosent"]))
def test_an_amount_is_quantity_times_rate_rounded_half_up_to_whole_øre_once(quantity, rate, unit):
    exact = quantity * (rate / 100 if unit == "prosent" else rate)

    assert amount(quantity, rate, unit) == int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
