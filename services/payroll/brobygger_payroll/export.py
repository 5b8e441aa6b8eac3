"""Pay lines as the municipal payroll system imports them (CSV and JSON). Pure.

Which lønnsart each component maps to, and the cost centre per scheme, differ per kommune: settings.
The a-melding columns follow Skatteetaten's code list for loennsinntekt (docs/payroll-export.md): each line's
fordel (kontantytelse or utgiftsgodtgjoerelse) and beskrivelse. An employee's pay is timeloenn; an
oppdragstaker's is honorarAkkordProsentProvisjon ("betaling for et utført oppdrag"); mileage is
kilometergodtgjoerelseBil, the tax-free and taxable parts apart; expense allowances are "annet" under
utgiftsgodtgjoerelse, as the code list says for the like kommunal care pay. The payroll system, not
Brobygger, files the a-melding.

Every line multiplies out: quantity × rate = amount_ore, rounded half up to whole øre once, with signed
quantities on corrections. `unit` says what the quantity counts and what the rate is per (øre_per_time,
øre_per_døgn, øre_per_km, øre_per_måned; prosent: the quantity is the basis in øre, named in `basis`). A
change of rate is the quantity paid before at the rate difference; `replaces_rate` is the rate it was
paid at. `warning` marks a line the payroll system would reject (no employee number yet).
"""

import csv
import io

from uuid import UUID

from brobygger_payroll.domain.pay import Component, PayLine
from brobygger_shared.events.terms import EngagementType, Scheme

COLUMNS = [
    "person_reference", "employee_number", "pay_code", "a_melding_fordel", "a_melding_code", "component",
    "quantity", "unit", "rate", "rate_code", "rate_valid_from", "replaces_rate", "amount_ore", "basis", "taxable",
    "employer_tax", "period", "original_period", "cost_centre", "contract_id", "case_number", "sources", "warning",
]

MISSING_EMPLOYEE_NUMBER = "mangler ansattnummer"

TAX_FREE = {Component.MILEAGE_TAX_FREE, Component.EXPENSES_DOGN}


EXPENSES = {Component.EXPENSES_FLAT, Component.EXPENSES_DOGN, Component.MILEAGE_TAX_FREE, Component.MILEAGE_TAXABLE}


def a_melding_code(line: PayLine, engagement_type: EngagementType) -> str:
    if line.component in (Component.MILEAGE_TAX_FREE, Component.MILEAGE_TAXABLE):
        return "kilometergodtgjoerelseBil"
    if line.component == Component.HOLIDAY_PAY:
        return "feriepenger"
    if line.component in (Component.EXPENSES_FLAT, Component.EXPENSES_DOGN):
        return "annet"
    return "timeloenn" if engagement_type == EngagementType.EMPLOYEE else "honorarAkkordProsentProvisjon"


def rows(lines: list[PayLine], pay_codes: dict[Component, str], cost_centres: dict[Scheme, str],
         employee_numbers: dict[str, str], engagements: dict[UUID, EngagementType],
         schemes: dict[UUID, Scheme], case_numbers: dict[UUID, str] | None = None) -> list[dict]:
    result = []
    for line in lines:
        engagement = engagements.get(line.contract_id, EngagementType.CONTRACTOR)
        taxable = line.component not in TAX_FREE
        employee_number = employee_numbers.get(str(line.volunteer_id), "")
        result.append({
            "person_reference": str(line.volunteer_id),
            "employee_number": employee_number,
            "pay_code": pay_codes.get(line.component, ""),
            "a_melding_fordel": "utgiftsgodtgjoerelse" if line.component in EXPENSES else "kontantytelse",
            "a_melding_code": a_melding_code(line, engagement),
            "component": line.component.value,
            "quantity": str(line.quantity),
            "unit": line.unit,
            "rate": str(line.rate_value),
            "rate_code": line.rate_code,
            "rate_valid_from": line.rate_valid_from.isoformat() if line.rate_valid_from else "",
            "replaces_rate": "" if line.replaces_rate is None else str(line.replaces_rate),
            "amount_ore": line.amount_ore,
            "basis": line.basis,
            "taxable": taxable,
            "employer_tax": taxable,  # arbeidsgiveravgift follows taxable pay, honorar included
            "period": line.period,
            "original_period": line.original_period or "",
            "cost_centre": cost_centres.get(schemes.get(line.contract_id), ""),
            "contract_id": str(line.contract_id),
            "case_number": (case_numbers or {}).get(line.contract_id, ""),  # the user's case, as people say it
            "sources": " | ".join(line.sources),
            "warning": "" if employee_number else MISSING_EMPLOYEE_NUMBER,
        })
    return result


def without_employee_number(export_rows: list[dict]) -> int:
    return sum(1 for row in export_rows if not row["employee_number"])


def as_csv(export_rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, delimiter=";", lineterminator="\n")
    writer.writeheader()
    writer.writerows(export_rows)
    return buffer.getvalue()
