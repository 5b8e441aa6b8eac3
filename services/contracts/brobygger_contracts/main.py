"""Composition root of the contracts service."""

from typing import Any

from pydantic import Field

from brobygger_contracts import api, consumers, projections, publishing
from brobygger_contracts.application import ContractsApplication
from brobygger_shared.attests import AttestSettings
from brobygger_shared.documents import KommuneSettings
from brobygger_shared.service import Components, create_service
from brobygger_shared.settings import ServiceSettings

# The kommune's terms for a new draft, per scheme. Amounts in øre; a rate table is applied by payroll by
# date. Avlastere are employees (HR-2013-630-A): arbeidstaker, with the SGS 1030 minimums.
DEFAULT_TERMS: dict[str, dict[str, Any]] = {
    "støttekontakt": {"engagement_type": "oppdragstaker", "scope": 1, "scope_unit": "timer_per_uke",
                      "hourly_rate_ore": 18000, "expense_kind": "fast_per_måned", "expense_flat_monthly_ore": 40000},
    "støttekontakt_barnevern": {"engagement_type": "oppdragstaker", "scope": 1, "scope_unit": "timer_per_uke",
                                "hourly_rate_ore": 18000, "expense_kind": "fast_per_måned",
                                "expense_flat_monthly_ore": 40000},
    # A døgn's work as a number of hours at the SGS 1030 table: the kommune's figure [NC], a setting.
    "privat_avlastning": {"engagement_type": "arbeidstaker", "scope": 1, "scope_unit": "timer_per_uke",
                          "hourly_rate_table": "sgs1030_hol", "work_hours_per_dogn": 8,
                          "expense_kind": "døgnsats_etter_alder",
                          "expense_rate_table": "avlastning_hol_døgn", "mileage_covered": True},
    "besøkshjem": {"engagement_type": "oppdragstaker", "scope": 1, "scope_unit": "døgn_per_måned",
                   "dogn_rate_table": "besøkshjem_arbeidsgodtgjøring", "expense_kind": "døgnsats_etter_alder",
                   "expense_rate_table": "besøkshjem_utgifter"},
}


# The rate tables the kommune's payroll ships (payroll's rates.json), by name; a døgnsats table by its
# name without :under_10 / :fra_10. Tables payroll staff register later are learnt from RateChanged.
RATE_TABLES = ["sgs1030_hol", "sgs1030_barnevern", "avlastning_hol_døgn", "avlastning_barnevern_døgn",
               "besøkshjem_utgifter", "besøkshjem_arbeidsgodtgjøring"]


class ContractsSettings(ServiceSettings, AttestSettings):
    service_name: str = "contracts"
    # The kommune's letterhead and standing texts for the oppdragsavtale (KOMMUNE_* variables).
    kommune: KommuneSettings = Field(default_factory=KommuneSettings)
    police_certificate_max_age_months: int = 3  # on the signing date
    contract_defaults: dict[str, dict[str, Any]] = DEFAULT_TERMS
    rate_tables: list[str] = RATE_TABLES


def build(settings: ContractsSettings) -> Components:
    application = ContractsApplication(settings)
    return Components(
        application=application,
        to_integration_event=publishing.to_integration_event,
        sinks=consumers.sinks(application, settings.database_url),
        local_projections=[projections.contracts],
    )


app = create_service(ContractsSettings(), build, api.router, publishes=publishing.PUBLISHES)
