"""The payroll service's settings (environment), apart from the composition root so that the rebuild
and the benchmark can read them without starting a service."""

from pydantic import Field

from brobygger_payroll.domain.pay import Component
from brobygger_shared.events.terms import Scheme
from brobygger_shared.settings import ServiceSettings

# The kommune's lønnsarter per pay component: local to each kommune, so a setting [NC].
PAY_CODES = {
    "timelønn": "1100", "arbeidsgodtgjøring_døgn": "1110", "feriepenger": "1900",
    "utgiftsdekning_måned": "6100", "utgiftsdekning_døgn": "6110",
    "kjøregodtgjørelse_skattefri": "6200", "kjøregodtgjørelse_skattepliktig": "6210",
}
COST_CENTRES = {"støttekontakt": "3501", "privat_avlastning": "3502", "støttekontakt_barnevern": "2510",
                "besøkshjem": "2511"}



class PayrollSettings(ServiceSettings):
    service_name: str = "payroll"
    min_hours_for_part_dogn: int = 6  # a last part of a stay this long counts as a døgn
    max_continuous_hours: int = 56  # FOR-2017-06-25-1052, employed avlastere: flagged above
    max_hours_in_7_days: int = 60
    timesheet_deadline_day: int = Field(default=5, ge=1, le=28)  # of the next month; later is flagged
    # Keyed by component and scheme: a misspelt key fails when the service starts.
    pay_codes: dict[Component, str] = PAY_CODES
    cost_centres: dict[Scheme, str] = COST_CENTRES
    # volunteer id -> employee number, for a first import; PUT /payees/{id}/employee-number records one
    employee_numbers: dict[str, str] = {}
    # The CSV export refuses (409) a run with lines for someone who has no employee number yet, rather than
    # send lines the payroll system will reject; off, it marks them (the warning column).
    export_refuses_lines_without_employee_number: bool = False
    # The kernel's bookkeeping retention (bokføringsloven § 13: five years after the end of the accounting
    # year): what an erased person's pay keeps (amounts, periods, volunteer id, employee number;
    # docs/privacy.md). In payroll at least five, the law's minimum: a lower value refuses to start.
    bookkeeping_retention_years: int = Field(default=5, ge=5)
