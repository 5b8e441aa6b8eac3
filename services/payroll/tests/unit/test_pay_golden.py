"""Golden tests of the pay fold: each expected amount is computed by hand, the arithmetic beside it.
Amounts in øre (1 kr = 100 øre)."""

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from brobygger_payroll.domain.contract import ContractTerms
from brobygger_payroll.domain.days import dogn_in_stay
from brobygger_payroll.domain.pay import Component, WorkEntry, compute_period
from brobygger_payroll.domain.rates import Rate, RateTable
from brobygger_payroll.domain.runs import differences
from brobygger_payroll.rates import shipped_rate_table
from brobygger_shared.events.terms import (
    DognRateTable,
    EngagementType,
    ExpensesPerDognByAge,
    FixedHourlyRate,
    FlatMonthlyExpenses,
    HourlyRateTable,
    HoursPerDogn,
    NoExpenses,
    Scheme,
    ScopeUnit,
    Terms,
)

RATES = shipped_rate_table()

STOTTEKONTAKT_TERMS = Terms(
    engagement_type=EngagementType.CONTRACTOR, scope=3, scope_unit=ScopeUnit.HOURS_PER_WEEK,
    hourly_pay=FixedHourlyRate(ore=18000), dogn_pay=None, expenses=FlatMonthlyExpenses(ore=40000),
    mileage_covered=False, notice_period_days=14, valid_from=date(2020, 1, 1),
)
AVLASTNING_TERMS = Terms(
    engagement_type=EngagementType.EMPLOYEE, scope=2, scope_unit=ScopeUnit.DOGN_PER_MONTH,
    hourly_pay=HourlyRateTable(table="sgs1030_hol"), dogn_pay=None,
    expenses=ExpensesPerDognByAge(table="avlastning_hol_døgn"), mileage_covered=True, notice_period_days=14,
    valid_from=date(2020, 1, 1),
)


def contract(terms: Terms, birth_date: date = date(2014, 2, 28)) -> ContractTerms:
    return ContractTerms(UUID(int=1), UUID(int=2), Scheme.STOTTEKONTAKT, birth_date, date(2020, 1, 1),
                         date(2030, 12, 31), (terms,))


def amounts(lines) -> dict:
    return {(line.component, line.rate_value): line.amount_ore for line in lines}


def test_a_rate_that_changes_mid_month_pays_each_hour_at_the_rate_of_its_day():
    rates = RATES.with_rate(Rate("sgs1030_hol", "øre_per_time", Decimal(9500), date(2022, 6, 15), "test"))
    terms = AVLASTNING_TERMS.with_changes(engagement_type=EngagementType.CONTRACTOR, expenses=NoExpenses())
    entries = [WorkEntry(date(2022, 6, 10), hours=Decimal(3)), WorkEntry(date(2022, 6, 20), hours=Decimal(4))]

    lines = compute_period(contract(terms), entries, rates, "2022-06")

    assert amounts(lines) == {
        (Component.HOURLY_PAY, Decimal(9100)): 27300,  # 3 h × 91,00 kr (SGS 1030 from 2022-01-01)
        (Component.HOURLY_PAY, Decimal(9500)): 38000,  # 4 h × 95,00 kr (from 2022-06-15)
    }
    assert {line.rate_valid_from for line in lines} == {date(2022, 1, 1), date(2022, 6, 15)}


def test_a_weekend_stay_from_friday_16_to_sunday_16_is_two_døgn():
    stay = WorkEntry(date(2022, 6, 10), stay_start=datetime(2022, 6, 10, 16), stay_end=datetime(2022, 6, 12, 16))

    lines = compute_period(contract(AVLASTNING_TERMS, birth_date=date(2014, 1, 1)), [stay], RATES, "2022-06")

    assert dogn_in_stay(stay.stay_start, stay.stay_end) == (date(2022, 6, 10), date(2022, 6, 11))
    assert amounts(lines) == {(Component.EXPENSES_DOGN, Decimal(20800)): 41600}  # 2 døgn × 208 kr (8 years)


def test_a_child_turning_10_during_a_stay_gets_the_older_rate_from_that_døgn():
    stay = WorkEntry(date(2022, 6, 10), stay_start=datetime(2022, 6, 10, 16), stay_end=datetime(2022, 6, 13, 16))

    lines = compute_period(contract(AVLASTNING_TERMS, birth_date=date(2012, 6, 11)), [stay], RATES, "2022-06")

    assert amounts(lines) == {
        (Component.EXPENSES_DOGN, Decimal(20800)): 20800,  # 10 June: 9 years, 1 døgn × 208 kr
        (Component.EXPENSES_DOGN, Decimal(27300)): 54600,  # 11 and 12 June: 10 years, 2 døgn × 273 kr
    }


def test_a_rate_decided_in_spring_valid_from_1_january_is_paid_as_back_pay_naming_january():
    terms = AVLASTNING_TERMS.with_changes(expenses=NoExpenses(), engagement_type=EngagementType.CONTRACTOR)
    before = RateTable([rate for rate in RATES.all() if not (rate.code == "sgs1030_hol" and rate.valid_from.year == 2022)])
    january = [WorkEntry(date(2022, 1, 14), hours=Decimal(10), source="TimesheetApproved@7")]
    paid = compute_period(contract(terms), january, before, "2022-01")  # paid in the January run
    assert amounts(paid) == {(Component.HOURLY_PAY, Decimal(8600)): 86000}  # 10 h × 86 kr (2020 rate)

    due_now = compute_period(contract(terms), january, RATES, "2022-01")  # KS agreed 91 kr from 2022-01-01
    run = differences(due_now, paid, "2022-04")

    assert len(run) == 1
    back_pay = run[0]
    assert back_pay.amount_ore == 5000  # 10 h × (91 - 86) kr = 50 kr
    assert back_pay.period == "2022-04" and back_pay.original_period == "2022-01"
    assert (back_pay.quantity, back_pay.rate_value) == (Decimal(10), Decimal(500))  # the rate difference
    assert back_pay.replaces_rate == Decimal(8600) and back_pay.rate_valid_from == date(2022, 1, 1)
    assert back_pay.sources == ("TimesheetApproved@7",)


def test_a_corrected_timesheet_that_was_already_paid_pays_or_claws_back_the_difference():
    october = [WorkEntry(date(2026, 10, 5), hours=Decimal(10))]
    paid = compute_period(contract(STOTTEKONTAKT_TERMS), october, RATES, "2026-10")
    more = compute_period(contract(STOTTEKONTAKT_TERMS), [october[0]._replace(hours=Decimal(12))], RATES, "2026-10")
    less = compute_period(contract(STOTTEKONTAKT_TERMS), [october[0]._replace(hours=Decimal(8))], RATES, "2026-10")

    (back_pay,) = differences(more, paid, "2026-11")
    (claw_back,) = differences(less, paid, "2026-11")

    assert amounts(paid)[(Component.HOURLY_PAY, Decimal(18000))] == 180000  # 10 h × 180 kr
    assert back_pay.amount_ore == 36000 and back_pay.original_period == "2026-10"  # 12 h × 180 - 1 800 kr
    assert claw_back.amount_ore == -36000 and claw_back.original_period == "2026-10"  # 8 h × 180 - 1 800 kr


def test_an_employee_gets_holiday_pay_of_10_2_percent_of_work_pay():
    terms = STOTTEKONTAKT_TERMS.with_changes(engagement_type=EngagementType.EMPLOYEE,
                                             hourly_pay=FixedHourlyRate(ore=20000), expenses=NoExpenses())

    lines = compute_period(contract(terms), [WorkEntry(date(2026, 3, 2), hours=Decimal(10))], RATES, "2026-03")

    assert amounts(lines) == {
        (Component.HOURLY_PAY, Decimal(20000)): 200000,  # 10 h × 200 kr
        (Component.HOLIDAY_PAY, Decimal("10.2")): 20400,  # 10,2 % × 2 000 kr = 204 kr
    }


def test_an_oppdragstaker_gets_no_holiday_pay():
    lines = compute_period(contract(STOTTEKONTAKT_TERMS), [WorkEntry(date(2026, 3, 2), hours=Decimal(10))],
                           RATES, "2026-03")

    assert Component.HOLIDAY_PAY not in {line.component for line in lines}


def test_mileage_is_split_into_the_tax_free_part_and_the_taxable_rest():
    terms = AVLASTNING_TERMS.with_changes(expenses=NoExpenses())

    lines = compute_period(contract(terms), [WorkEntry(date(2026, 5, 8), km=Decimal(100))], RATES, "2026-05")
    older = compute_period(contract(terms), [WorkEntry(date(2023, 5, 8), km=Decimal("12.5"))], RATES, "2023-05")

    assert amounts(lines) == {
        (Component.MILEAGE_TAX_FREE, Decimal(350)): 35000,  # 100 km × 3,50 kr tax-free
        (Component.MILEAGE_TAXABLE, Decimal(180)): 18000,  # 100 km × (5,30 - 3,50) kr taxable
    }
    assert amounts(older) == {
        (Component.MILEAGE_TAX_FREE, Decimal(350)): 4375,  # 12,5 km × 3,50 kr
        (Component.MILEAGE_TAXABLE, Decimal(98)): 1225,  # 12,5 km × (4,48 - 3,50) kr = 12,25 kr
    }


def test_mileage_is_not_paid_where_the_contract_does_not_cover_transport():
    lines = compute_period(contract(STOTTEKONTAKT_TERMS), [WorkEntry(date(2026, 5, 8), km=Decimal(40))], RATES,
                           "2026-05")

    assert {line.component for line in lines} == {Component.EXPENSES_FLAT}


def test_the_flat_allowance_is_paid_once_for_a_month_with_activity_and_not_for_a_month_without():
    entries = [WorkEntry(date(2026, 9, day), hours=Decimal(2)) for day in (3, 10, 17)]

    september = compute_period(contract(STOTTEKONTAKT_TERMS), entries, RATES, "2026-09")
    october = compute_period(contract(STOTTEKONTAKT_TERMS), [], RATES, "2026-10")

    assert amounts(september) == {
        (Component.HOURLY_PAY, Decimal(18000)): 108000,  # 6 h × 180 kr
        (Component.EXPENSES_FLAT, Decimal(40000)): 40000,  # 400 kr a month, no receipts
    }
    assert october == []


def test_running_the_same_period_twice_adds_nothing():
    due = compute_period(contract(STOTTEKONTAKT_TERMS), [WorkEntry(date(2026, 9, 3), hours=Decimal(2))], RATES,
                         "2026-09")

    first = differences(due, [], "2026-09")
    second = differences(due, first, "2026-09")

    assert sum(line.amount_ore for line in first) == 76000  # 2 h × 180 kr + 400 kr
    assert second == []


def test_a_correction_paid_in_a_later_run_settles_its_original_period_for_good():
    october = [WorkEntry(date(2026, 10, 5), hours=Decimal(10))]
    paid_october = compute_period(contract(STOTTEKONTAKT_TERMS), october, RATES, "2026-10")
    more = compute_period(contract(STOTTEKONTAKT_TERMS), [october[0]._replace(hours=Decimal(12))], RATES, "2026-10")

    november_run = differences(more, paid_october, "2026-11")  # +360 kr for October, paid in November
    december_run = differences(more, paid_october + november_run, "2026-12")

    assert [line.amount_ore for line in november_run] == [36000]  # 2 h × 180 kr
    assert december_run == []  # October is settled: nothing is paid twice


def test_a_contract_amended_from_mid_march_after_march_was_paid_gets_back_pay_for_the_later_days():
    march = [WorkEntry(date(2026, 3, 10), hours=Decimal(2)), WorkEntry(date(2026, 3, 20), hours=Decimal(3))]
    original = contract(STOTTEKONTAKT_TERMS)
    amended = replace(original, versions=(STOTTEKONTAKT_TERMS,
                                          STOTTEKONTAKT_TERMS.with_changes(hourly_pay=FixedHourlyRate(ore=20000),
                                                                           valid_from=date(2026, 3, 15))))
    paid = compute_period(original, march, RATES, "2026-03")  # the March run, before the amendment

    due_now = compute_period(amended, march, RATES, "2026-03")
    (back_pay,) = differences(due_now, paid, "2026-04")

    assert amounts(paid)[(Component.HOURLY_PAY, Decimal(18000))] == 90000  # 5 h × 180 kr
    assert amounts(due_now) == {
        (Component.HOURLY_PAY, Decimal(18000)): 36000,  # 2 h × 180 kr (10 March, the old terms)
        (Component.HOURLY_PAY, Decimal(20000)): 60000,  # 3 h × 200 kr (20 March, amended from 15 March)
        (Component.EXPENSES_FLAT, Decimal(40000)): 40000,  # 400 kr, unchanged
    }
    assert back_pay.amount_ore == 6000  # 360 + 600 - 900 kr = 60 kr
    assert back_pay.original_period == "2026-03" and back_pay.component == Component.HOURLY_PAY


def test_an_employed_avlasters_weekend_pays_work_per_døgn_with_holiday_pay_and_expenses_apart():
    # The contract pays a døgn's work as 8 hours at the SGS 1030 hourly table: the hours are the contract's
    # (docs/domain.md has no source for a number; 8 is only the kommune's default for new drafts, a setting).
    terms = AVLASTNING_TERMS.with_changes(dogn_pay=HoursPerDogn(hours=8))
    stay = WorkEntry(date(2025, 3, 7), stay_start=datetime(2025, 3, 7, 16), stay_end=datetime(2025, 3, 9, 16))

    lines = compute_period(contract(terms, birth_date=date(2016, 9, 1)), [stay], RATES, "2025-03")

    assert amounts(lines) == {
        (Component.DOGN_PAY, Decimal(9100)): 145600,  # 2 døgn × 8 h × 91 kr (SGS 1030 hol, 2022 rate)
        (Component.HOLIDAY_PAY, Decimal("10.2")): 14851,  # 10,2 % × 1 456 kr = 148,512 kr
        (Component.EXPENSES_DOGN, Decimal(20800)): 41600,  # 2 døgn × 208 kr (8 years old)
    }
    work = next(line for line in lines if line.component == Component.DOGN_PAY)
    assert (work.quantity, work.unit, work.rate_code) == (Decimal(16), "øre_per_time", "sgs1030_hol")


def test_the_hours_a_døgn_is_paid_for_are_the_contracts_and_payroll_assumes_none_of_its_own():
    stay = WorkEntry(date(2025, 3, 7), stay_start=datetime(2025, 3, 7, 16), stay_end=datetime(2025, 3, 9, 16))
    child = date(2016, 9, 1)

    six = compute_period(contract(AVLASTNING_TERMS.with_changes(dogn_pay=HoursPerDogn(hours=Decimal(6))), child),
                         [stay], RATES, "2025-03")
    unsaid = compute_period(contract(AVLASTNING_TERMS.with_changes(dogn_pay=None), child), [stay], RATES, "2025-03")

    assert amounts(six)[(Component.DOGN_PAY, Decimal(9100))] == 109200  # 2 døgn × 6 h × 91 kr
    assert {line.component for line in unsaid} == {Component.EXPENSES_DOGN}  # no work pay the contract does not name


def test_a_besøkshjem_weekend_at_the_2024_ks_figures_pays_expenses_and_work_per_døgn():
    terms = Terms(engagement_type=EngagementType.CONTRACTOR, scope=2, scope_unit=ScopeUnit.DOGN_PER_MONTH,
                  hourly_pay=None, dogn_pay=DognRateTable(table="besøkshjem_arbeidsgodtgjøring"),
                  expenses=ExpensesPerDognByAge(table="besøkshjem_utgifter"), mileage_covered=False,
                  notice_period_days=14, valid_from=date(2024, 1, 1))
    stay = WorkEntry(date(2024, 9, 6), stay_start=datetime(2024, 9, 6, 16), stay_end=datetime(2024, 9, 8, 16))

    younger = compute_period(contract(terms, birth_date=date(2017, 3, 1)), [stay], RATES, "2024-09")
    older = compute_period(contract(terms, birth_date=date(2012, 3, 1)), [stay], RATES, "2024-09")

    assert amounts(younger) == {
        (Component.EXPENSES_DOGN, Decimal(39900)): 79800,  # 2 døgn × 399 kr (0–10 years, KS from 1 July 2024)
        (Component.DOGN_PAY, Decimal(102600)): 205200,  # 2 døgn × 1 026 kr work pay
    }
    assert amounts(older) == {
        (Component.EXPENSES_DOGN, Decimal(44400)): 88800,  # 2 døgn × 444 kr (10 years and over)
        (Component.DOGN_PAY, Decimal(102600)): 205200,  # an oppdragstaker: no holiday pay
    }
