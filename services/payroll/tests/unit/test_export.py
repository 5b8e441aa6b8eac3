"""The export for the municipal payroll system: each pay component with its lønnsart, a-melding
fordel and beskrivelse, and the tax flags, as the payroll officer imports them."""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

from brobygger_payroll import export
from brobygger_payroll.domain.contract import ContractTerms
from brobygger_payroll.domain.pay import WorkEntry, compute_period
from brobygger_payroll.domain.rates import Rate
from brobygger_payroll.domain.runs import differences
from brobygger_payroll.settings import PAY_CODES
from brobygger_payroll.rates import shipped_rate_table
from brobygger_shared.events.terms import (
    EngagementType,
    ExpensesPerDognByAge,
    HourlyRateTable,
    Scheme,
    ScopeUnit,
    Terms,
)

CONTRACT = ContractTerms(UUID(int=1), UUID(int=2), Scheme.PRIVAT_AVLASTNING, date(2014, 1, 1), date(2025, 1, 1),
                         date(2025, 12, 31), (Terms(
                             engagement_type=EngagementType.EMPLOYEE, scope=4, scope_unit=ScopeUnit.DOGN_PER_MONTH,
                             hourly_pay=HourlyRateTable(table="sgs1030_hol"), dogn_pay=None,
                             expenses=ExpensesPerDognByAge(table="avlastning_hol_døgn"), mileage_covered=True,
                             notice_period_days=14, valid_from=date(2025, 1, 1)),))


def exported_rows() -> dict[str, dict]:
    stay = WorkEntry(date(2025, 3, 7), stay_start=datetime(2025, 3, 7, 16), stay_end=datetime(2025, 3, 9, 16),
                     km=Decimal(40), source="TimesheetApproved@7")
    hours = WorkEntry(date(2025, 3, 12), hours=Decimal(3), source="TimesheetApproved@7")
    lines = compute_period(CONTRACT, [stay, hours], shipped_rate_table(), "2025-03")
    rows = export.rows(lines, PAY_CODES, {Scheme.PRIVAT_AVLASTNING: "3502"}, {str(UUID(int=2)): "40017"},
                       {CONTRACT.contract_id: EngagementType.EMPLOYEE}, {CONTRACT.contract_id: Scheme.PRIVAT_AVLASTNING})
    return {row["component"]: row for row in rows}


def test_an_employed_avlaster_is_exported_with_the_a_melding_codes_and_tax_flags_of_each_component():
    rows = exported_rows()

    assert {component: (row["pay_code"], row["a_melding_fordel"], row["a_melding_code"], row["taxable"])
            for component, row in rows.items()} == {
        "timelønn": ("1100", "kontantytelse", "timeloenn", True),
        "feriepenger": ("1900", "kontantytelse", "feriepenger", True),
        "utgiftsdekning_døgn": ("6110", "utgiftsgodtgjoerelse", "annet", False),
        "kjøregodtgjørelse_skattefri": ("6200", "utgiftsgodtgjoerelse", "kilometergodtgjoerelseBil", False),
        "kjøregodtgjørelse_skattepliktig": ("6210", "utgiftsgodtgjoerelse", "kilometergodtgjoerelseBil", True),
    }
    assert {row["employee_number"] for row in rows.values()} == {"40017"}
    assert {row["cost_centre"] for row in rows.values()} == {"3502"}


def test_the_mileage_parts_add_up_to_statens_sats_and_name_their_rates():
    rows = exported_rows()
    free, taxable = rows["kjøregodtgjørelse_skattefri"], rows["kjøregodtgjørelse_skattepliktig"]

    assert (free["quantity"], free["rate"], free["amount_ore"]) == ("40", "350", 14000)  # 40 km × 3,50 kr
    assert (taxable["quantity"], taxable["rate"], taxable["amount_ore"]) == ("40", "150", 6000)  # 40 km × 1,50 kr
    assert (free["rate_code"], free["rate_valid_from"]) == ("skattefri_km", "2023-01-01")  # the tax-free rate
    assert (taxable["rate_code"], taxable["rate_valid_from"]) == ("statens_sats_km-skattefri_km", "2025-01-01")


def test_the_csv_has_one_header_and_a_line_per_pay_line():
    text = export.as_csv(list(exported_rows().values()))

    header, *lines = text.splitlines()
    assert header.split(";") == export.COLUMNS
    assert len(lines) == 5


def test_every_line_of_a_run_with_corrections_multiplies_out_to_its_amount():
    stay = WorkEntry(date(2025, 3, 7), stay_start=datetime(2025, 3, 7, 16), stay_end=datetime(2025, 3, 9, 16),
                     km=Decimal(40), source="TimesheetApproved@7")
    rates = shipped_rate_table()
    march = compute_period(CONTRACT, [stay, WorkEntry(date(2025, 3, 12), hours=Decimal(3))], rates, "2025-03")
    later = rates.with_rate(Rate("sgs1030_hol", "øre_per_time", Decimal("9637.5"), date(2025, 3, 10), "KS (test)"))
    corrected = compute_period(CONTRACT, [stay, WorkEntry(date(2025, 3, 12), hours=Decimal("4.25"))], later, "2025-03")

    run = differences(corrected, march, "2025-04")
    rows = export.rows(march + run, PAY_CODES, {}, {}, {CONTRACT.contract_id: EngagementType.EMPLOYEE}, {})

    assert len(run) == 3  # more hours, a new hourly rate, and holiday pay on the difference
    for row in rows:
        rate = Decimal(row["rate"]) / (100 if row["unit"] == "prosent" else 1)
        assert int((Decimal(row["quantity"]) * rate).to_integral_value(ROUND_HALF_UP)) == row["amount_ore"], row
    assert {row["unit"] for row in rows} == {"øre_per_time", "øre_per_døgn", "øre_per_km", "prosent"}
    holiday = [row for row in rows if row["component"] == "feriepenger"]
    assert holiday and all(row["basis"] == "timelønn opptjent 2025-03" for row in holiday)


def test_a_line_for_someone_without_an_employee_number_is_marked():
    rows = exported_rows()
    unnumbered = export.rows([next(iter(compute_period(
        CONTRACT, [WorkEntry(date(2025, 3, 12), hours=Decimal(3))], shipped_rate_table(), "2025-03")))],
        PAY_CODES, {}, {}, {}, {})

    assert {row["warning"] for row in rows.values()} == {""}
    assert unnumbered[0]["warning"] == "mangler ansattnummer" and export.without_employee_number(unnumbered) == 1
