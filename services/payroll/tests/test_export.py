"""The export for the municipal payroll system: each pay component with its lønnsart, a-melding
fordel and beskrivelse, and the tax flags, as the payroll officer imports them."""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from brobygger_payroll import export
from brobygger_payroll.domain import ContractTerms, WorkEntry, compute_period
from brobygger_payroll.main import PAY_CODES
from brobygger_payroll.rates import shipped_rate_table

CONTRACT = ContractTerms(UUID(int=1), UUID(int=2), "privat_avlastning", date(2014, 1, 1), date(2025, 1, 1),
                         date(2025, 12, 31), ({
                             "engagement_type": "arbeidstaker", "scope": 4, "scope_unit": "døgn_per_måned",
                             "hourly_rate_ore": None, "hourly_rate_table": "sgs1030_hol",
                             "expense_kind": "døgnsats_etter_alder", "expense_rate_table": "avlastning_hol_døgn",
                             "mileage_covered": True, "valid_from": date(2025, 1, 1)},))


def exported_rows() -> dict[str, dict]:
    stay = WorkEntry(date(2025, 3, 7), stay_start=datetime(2025, 3, 7, 16), stay_end=datetime(2025, 3, 9, 16),
                     km=Decimal(40), source="TimesheetApproved@7")
    hours = WorkEntry(date(2025, 3, 12), hours=Decimal(3), source="TimesheetApproved@7")
    lines = compute_period(CONTRACT, [stay, hours], shipped_rate_table(), "2025-03")
    rows = export.rows(lines, PAY_CODES, {"privat_avlastning": "3502"}, {str(UUID(int=2)): "40017"},
                       {CONTRACT.contract_id: "arbeidstaker"}, {CONTRACT.contract_id: "privat_avlastning"})
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
    assert free["rate_valid_from"] == taxable["rate_valid_from"] == "2025-01-01"  # statens sats 2025: 5,00 kr


def test_the_csv_has_one_header_and_a_line_per_pay_line():
    text = export.as_csv(list(exported_rows().values()))

    header, *lines = text.splitlines()
    assert header.split(";") == export.COLUMNS
    assert len(lines) == 5
