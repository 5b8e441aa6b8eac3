"""Composition root of the payroll service."""

from brobygger_payroll import api, consumers
from brobygger_shared.service import Components, create_service
from brobygger_shared.settings import ServiceSettings


class PayrollSettings(ServiceSettings):
    service_name: str = "payroll"


def build(settings: PayrollSettings) -> Components:
    return Components(sinks=consumers.sinks(settings.database_url))


app = create_service(PayrollSettings(), build, api.router)
