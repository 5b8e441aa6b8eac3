"""Composition root of the gateway."""

from brobygger_gateway import api, consumers
from brobygger_shared.service import Components, create_service
from brobygger_shared.settings import ServiceSettings


class GatewaySettings(ServiceSettings):
    service_name: str = "gateway"


def build(settings: GatewaySettings) -> Components:
    return Components(sinks=consumers.sinks(settings.database_url))


app = create_service(GatewaySettings(), build, api.router)
