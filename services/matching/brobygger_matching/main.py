"""Composition root of the matching service."""

from brobygger_matching import api, consumers, publishing
from brobygger_matching.application import MatchingApplication
from brobygger_matching.domain import Weights
from brobygger_shared.service import Components, create_service
from brobygger_shared.settings import ServiceSettings


class MatchingSettings(ServiceSettings):
    service_name: str = "matching"
    capacity_per_person: int = 2  # assignments one oppdragstaker may hold at once
    proposal_lapse_days: int = 14
    # Points per soft criterion (see domain.Weights).
    weight_per_shared_interest: float = 10.0
    weight_same_area: float = 15.0
    weight_language: float = 10.0
    weight_age_fit: float = 10.0
    weight_gender_wish: float = 5.0
    weight_per_day_waited: float = 0.1

    @property
    def weights(self) -> Weights:
        return Weights(
            per_shared_interest=self.weight_per_shared_interest, same_area=self.weight_same_area,
            language=self.weight_language, age_fit=self.weight_age_fit, gender_wish=self.weight_gender_wish,
            per_day_waited=self.weight_per_day_waited,
        )


def build(settings: MatchingSettings) -> Components:
    return Components(
        application=MatchingApplication(settings),
        to_integration_event=publishing.to_integration_event,
        sinks=consumers.sinks(settings.database_url),
    )


app = create_service(MatchingSettings(), build, api.router, publishes=publishing.PUBLISHES)
