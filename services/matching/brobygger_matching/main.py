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
    # After both sides said yes in principle, the first meeting is held and confirmed within this many days.
    first_meeting_within_days: int = 30
    # The follow-up plan per scheme: days after the match for each contact, then every N days (JSON, e.g.
    # FOLLOW_UP_AFTER_DAYS='{"besøkshjem": [14, 60, 182]}'); a scheme not named gets the default.
    follow_up_after_days: dict[str, list[int]] = {"støttekontakt": [14, 91], "privat_avlastning": [14, 91],
                                                  "besøkshjem": [14, 91]}
    follow_up_every_days: int = 365
    # Points per soft criterion (domain.Weights); set as JSON, e.g. WEIGHTS='{"same_area": 20}'.
    weights: Weights = Weights()


def build(settings: MatchingSettings) -> Components:
    return Components(
        application=MatchingApplication(settings),
        to_integration_event=publishing.to_integration_event,
        sinks=consumers.sinks(settings.database_url),
    )


app = create_service(MatchingSettings(), build, api.router, publishes=publishing.PUBLISHES)
