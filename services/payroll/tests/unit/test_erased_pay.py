"""An erased person's pay stands: the lines paid before erasure still add up to the same totals per run,
and a later rate change (or a rebuild) does not compute their periods again; another contract's pay is
corrected as always."""

from dataclasses import replace
from datetime import date
from decimal import Decimal
from uuid import UUID

from brobygger_payroll.domain.contract import ContractTerms
from brobygger_payroll.domain.pay import WorkEntry
from brobygger_payroll.domain.rates import Rate
from brobygger_payroll.domain.runs import PayLedger, settle
from brobygger_payroll.rates import shipped_rate_table
from brobygger_shared.events.terms import EngagementType, HourlyRateTable, NoExpenses, Scheme, ScopeUnit, Terms

RATES = shipped_rate_table()
TERMS = Terms(engagement_type=EngagementType.CONTRACTOR, scope=3, scope_unit=ScopeUnit.HOURS_PER_WEEK,
              hourly_pay=HourlyRateTable(table="sgs1030_hol"), dogn_pay=None, expenses=NoExpenses(),
              mileage_covered=False, notice_period_days=14, valid_from=date(2020, 1, 1))
ERASED, KEPT = UUID(int=1), UUID(int=3)


def contract(contract_id: UUID, volunteer_id: UUID) -> ContractTerms:
    return ContractTerms(contract_id, volunteer_id, Scheme.PRIVAT_AVLASTNING, date(2014, 2, 28), date(2020, 1, 1),
                         date(2030, 12, 31), (TERMS,))


def test_an_erased_persons_paid_periods_stand_through_a_later_rate_change():
    contracts = {ERASED: contract(ERASED, UUID(int=2)), KEPT: contract(KEPT, UUID(int=4))}
    work = {(cid, "2025-06"): [WorkEntry(date(2025, 6, 20), hours=Decimal(4), source="TimesheetApproved@7")]
            for cid in contracts}
    june = settle(PayLedger(contracts, work, RATES, []), "2025-06")
    totals = {cid: sum(line.amount_ore for line in june.lines if line.contract_id == cid) for cid in contracts}
    assert totals[ERASED] == totals[KEPT] == 36400  # 4 h × 91 kr

    # The person of the first contract is erased: their birth date is gone, the day is marked.
    contracts[ERASED] = replace(contracts[ERASED], user_birth_date=None, erased_on=date(2025, 7, 1))
    raised = RATES.with_rate(Rate("sgs1030_hol", "øre_per_time", Decimal(9500), date(2025, 6, 1), "KS (test)"))
    july = settle(PayLedger(contracts, work, raised, june.lines), "2025-07")

    assert {line.contract_id for line in july.lines} == {KEPT}  # only the kept contract is corrected
    assert sum(line.amount_ore for line in july.lines) == 1600  # 4 h × (95 - 91) kr
    # The erased person's history still adds up to what was paid.
    assert sum(line.amount_ore for line in june.lines + july.lines if line.contract_id == ERASED) == 36400
