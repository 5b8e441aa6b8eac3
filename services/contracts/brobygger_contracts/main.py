"""Composition root of the contracts service."""

from brobygger_contracts import api, consumers
from brobygger_shared.service import Components, create_service
from brobygger_shared.settings import ServiceSettings


class ContractsSettings(ServiceSettings):
    service_name: str = "contracts"


def build(settings: ContractsSettings) -> Components:
    return Components(sinks=consumers.sinks(settings.database_url))


app = create_service(ContractsSettings(), build, api.router)
