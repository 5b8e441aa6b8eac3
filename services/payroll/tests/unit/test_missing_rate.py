"""One missing rate holds back one contract's period, with the reason; everything else is paid."""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from brobygger_payroll.domain.contract import ContractTerms
from brobygger_payroll.domain.pay import WorkEntry
from brobygger_payroll.domain.runs import PayLedger, settle
from brobygger_payroll.rates import shipped_rate_table
from brobygger_shared.events.terms import (
    EngagementType,
    ExpensesPerDognByAge,
    FixedHourlyRate,
    HourlyRateTable,
    NoExpenses,
    Scheme,
    ScopeUnit,
    Terms,
)

RATES = shipped_rate_table()
STOTTEKONTAKT = Terms(engagement_type=EngagementType.CONTRACTOR, scope=3, scope_unit=ScopeUnit.HOURS_PER_WEEK,
                      hourly_pay=FixedHourlyRate(ore=18000), dogn_pay=None, expenses=NoExpenses(),
                      mileage_covered=False, notice_period_days=14, valid_from=date(2023, 1, 1))
# Besøkshjem's KS rates start 1 July 2023: a stay before that has no rate. (Terms as version 1 of the
# contract events wrote them: the table of work pay per døgn named as the hourly table.)
BESOKSHJEM = STOTTEKONTAKT.with_changes(hourly_pay=HourlyRateTable(table="besøkshjem_arbeidsgodtgjøring"),
                                        expenses=ExpensesPerDognByAge(table="besøkshjem_utgifter"))
PAID, LACKING = UUID(int=1), UUID(int=2)
CONTRACTS = {
    PAID: ContractTerms(PAID, UUID(int=11), Scheme.STOTTEKONTAKT, date(2014, 2, 28), date(2023, 1, 1), date(2024, 12, 31),
                        (STOTTEKONTAKT,)),
    LACKING: ContractTerms(LACKING, UUID(int=12), Scheme.BESOKSHJEM, date(2016, 5, 1), date(2023, 1, 1), date(2024, 12, 31),
                           (BESOKSHJEM,)),
}
WORK = {
    (PAID, "2023-03"): [WorkEntry(date(2023, 3, 6), hours=Decimal(2), source="TimesheetApproved@1")],
    (LACKING, "2023-03"): [WorkEntry(date(2023, 3, 10), stay_start=datetime(2023, 3, 10, 16),
                                     stay_end=datetime(2023, 3, 12, 16),
                                     source="TimesheetApproved@2")],
}


def test_a_run_pays_the_contracts_it_can_and_lists_the_one_lacking_a_rate_with_the_reason():
    outcome = settle(PayLedger(CONTRACTS, WORK, RATES, []), "2023-03")

    assert [(line.contract_id, line.amount_ore) for line in outcome.lines] == [(PAID, 36000)]  # 2 h × 180 kr
    (held,) = outcome.held
    assert (held.contract_id, held.period) == (LACKING, "2023-03")
    assert held.reason.startswith("Mangler sats besøkshjem_arbeidsgodtgjøring som gjelder 10.03.2023")


def test_a_period_paid_before_whose_rate_is_now_lacking_is_held_not_clawed_back():
    paid = settle(PayLedger(CONTRACTS, {(PAID, "2023-03"): WORK[(PAID, "2023-03")]}, RATES, []), "2023-03").lines
    amended = dict(CONTRACTS) | {PAID: ContractTerms(PAID, UUID(int=11), Scheme.STOTTEKONTAKT, date(2014, 2, 28),
                                                      date(2023, 1, 1), date(2024, 12, 31),
                                                      (STOTTEKONTAKT.with_changes(
                                                          hourly_pay=HourlyRateTable(table="ukjent_tabell")),))}

    later = settle(PayLedger(amended, WORK, RATES, paid), "2023-04")

    assert later.lines == []
    assert {(held.contract_id, held.period) for held in later.held} == {(PAID, "2023-03"), (LACKING, "2023-03")}
