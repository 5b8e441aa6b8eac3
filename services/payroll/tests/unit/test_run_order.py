"""Runs in any order: a run for a period settles that period and the ones before it, never a later one.
What is paid per contract and period, after all runs, is what is due."""

from collections import defaultdict
from datetime import date
from decimal import Decimal
from uuid import UUID

from hypothesis import given, settings
from hypothesis import strategies as st

from brobygger_payroll.domain.contract import ContractTerms
from brobygger_payroll.domain.pay import WorkEntry, fold
from brobygger_payroll.domain.runs import differences
from brobygger_payroll.rates import shipped_rate_table
from brobygger_shared.events.terms import (
    EngagementType,
    FixedHourlyRate,
    FlatMonthlyExpenses,
    Scheme,
    ScopeUnit,
    Terms,
)

RATES = shipped_rate_table()
TERMS = Terms(engagement_type=EngagementType.EMPLOYEE, scope=3, scope_unit=ScopeUnit.HOURS_PER_WEEK,
              hourly_pay=FixedHourlyRate(ore=18000), dogn_pay=None, expenses=FlatMonthlyExpenses(ore=40000),
              mileage_covered=False, notice_period_days=14, valid_from=date(2025, 1, 1))
CONTRACTS = {
    UUID(int=n): ContractTerms(UUID(int=n), UUID(int=100 + n), Scheme.STOTTEKONTAKT, date(2014, 2, 28), date(2025, 1, 1),
                               date(2025, 12, 31), (TERMS,))
    for n in (1, 2)
}


def run(work: dict, paid: list, period: str) -> list:
    return differences(fold(CONTRACTS, work, RATES, period).lines, paid, period)


def by_contract_and_period(lines) -> dict:
    totals: dict = defaultdict(int)
    for line in lines:
        totals[(line.contract_id, line.earned_in)] += line.amount_ore
    return {key: total for key, total in totals.items() if total}


def test_a_run_for_an_earlier_period_leaves_a_later_paid_period_alone():
    work = {(UUID(int=1), "2025-02"): [WorkEntry(date(2025, 2, 10), hours=Decimal(2), source="TimesheetApproved@1")]}
    february = run(work, [], "2025-02")

    january = run(work, february, "2025-01")
    february_again = run(work, february + january, "2025-02")

    assert sum(line.amount_ore for line in february) == 36000 + 3672 + 40000  # 2 h × 180 kr, 10.2 %, 400 kr
    assert january == []  # nothing of January to pay, and February is not January's business
    assert february_again == []


MONTHS = [f"2025-{month:02d}" for month in range(1, 7)]

approvals = st.tuples(st.just("approve"), st.sampled_from(sorted(CONTRACTS)), st.sampled_from(MONTHS),
                      st.lists(st.integers(1, 16), min_size=0, max_size=3))  # half hours, per entry
runs = st.tuples(st.just("run"), st.sampled_from(MONTHS))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(approvals, runs), min_size=1, max_size=14))
def test_any_order_of_runs_pays_exactly_what_is_due_and_never_a_later_period(operations):
    work: dict = {}
    paid: list = []
    last_run = None
    for operation in operations:
        if operation[0] == "approve":  # a first approval, or a corrected timesheet approved again
            _, contract_id, period, halves = operation
            year, month = map(int, period.split("-"))
            entries = [WorkEntry(date(year, month, 1 + day), hours=Decimal(h) / 2, source=f"Approved@{len(paid)}")
                       for day, h in enumerate(halves)]
            work[(contract_id, period)] = entries
        else:
            period = operation[1]
            lines = run(work, paid, period)
            assert all(line.earned_in <= period for line in lines), "a run paid a period after its own"
            paid += lines
            last_run = max(last_run or period, period)
    if last_run is None:
        return
    paid += run(work, paid, last_run)  # the next run of the latest period settles everything up to it

    due = by_contract_and_period(fold(CONTRACTS, work, RATES, last_run).lines)
    assert by_contract_and_period(paid) == due
