"""Composition root of the applications service: settings, application, relay, read models, API."""

from pydantic import Field

from brobygger_applications import api, consumers, projections, publishing
from brobygger_applications.application import ApplicationsApplication
from brobygger_shared.attests import AttestSettings
from brobygger_shared.documents import KommuneSettings
from brobygger_shared.service import Components, create_service
from brobygger_shared.settings import ServiceSettings


class ApplicationsSettings(ServiceSettings, AttestSettings):
    service_name: str = "applications"
    # The kommune's age limits for oppdragstakere: 18–70 by default; unset the maximum for "18 and over".
    volunteer_min_age: int = 18
    volunteer_max_age: int | None = 70
    # A politiattest may be no older than this when registered, and is renewed after the second figure.
    police_certificate_max_age_months: int = 3
    police_certificate_renewal_months: int = 6
    # Cases whose foreløpig svar falls due within this many days are listed with the overdue ones.
    interim_reply_notice_days: int = 7
    # The kommune's letterhead and standing texts for letters (KOMMUNE_* variables).
    kommune: KommuneSettings = Field(default_factory=KommuneSettings)


def build(settings: ApplicationsSettings) -> Components:
    return Components(
        application=ApplicationsApplication(settings),
        to_integration_event=publishing.to_integration_event,
        sinks=consumers.sinks(settings.database_url),
        local_projections=[projections.cases, projections.volunteers, projections.case_people,
                           projections.volunteer_people],
    )


app = create_service(ApplicationsSettings(), build, api.router, publishes=publishing.PUBLISHES)
