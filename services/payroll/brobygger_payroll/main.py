"""Composition root of the payroll service."""

from brobygger_payroll import api, consumers, projections, publishing
from brobygger_payroll.application import PayrollApplication
from brobygger_payroll.settings import PayrollSettings
from brobygger_shared.service import Components, create_service

def build(settings: PayrollSettings) -> Components:
    return Components(
        application=PayrollApplication(settings),
        to_integration_event=publishing.to_integration_event,
        sinks=consumers.sinks(settings.database_url),
        local_projections=[projections.ledger],
    )


app = create_service(PayrollSettings(), build, api.router, publishes=publishing.PUBLISHES)
