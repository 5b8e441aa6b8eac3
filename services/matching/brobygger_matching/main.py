"""Composition root of the matching service."""

from brobygger_matching import api, consumers, publishing
from brobygger_matching.application import MatchingApplication
from brobygger_matching.domain import Weights
from brobygger_shared.attests import AttestSettings
from brobygger_shared.service import Components, create_service
from brobygger_shared.settings import ServiceSettings


class MatchingSettings(ServiceSettings, AttestSettings):
    service_name: str = "matching"
    capacity_per_person: int = 2  # assignments one oppdragstaker may hold at once
    proposal_lapse_days: int = 14
    # Points per soft criterion (domain.Weights); set as JSON, e.g. WEIGHTS='{"same_area": 20}'.
    weights: Weights = Weights()


def build(settings: MatchingSettings) -> Components:
    return Components(
        application=MatchingApplication(settings),
        to_integration_event=publishing.to_integration_event,
        sinks=consumers.sinks(settings.database_url),
    )


app = create_service(MatchingSettings(), build, api.router, publishes=publishing.PUBLISHES)
