"""Composition root of the matching service."""

from brobygger_matching import api, consumers
from brobygger_shared.service import Components, create_service
from brobygger_shared.settings import ServiceSettings


class MatchingSettings(ServiceSettings):
    service_name: str = "matching"


def build(settings: MatchingSettings) -> Components:
    return Components(sinks=consumers.sinks(settings.database_url))


app = create_service(MatchingSettings(), build, api.router)
