"""Composition root of the applications service: settings, application, relay, consumers, API."""

from brobygger_applications import api, consumers, publishing
from brobygger_applications.application import ApplicationsApplication
from brobygger_shared.service import Components, create_service
from brobygger_shared.settings import ServiceSettings


class ApplicationsSettings(ServiceSettings):
    service_name: str = "applications"
    # The kommune's age limits for oppdragstakere: 18–70 by default; unset the maximum for "18 and over".
    volunteer_min_age: int = 18
    volunteer_max_age: int | None = 70


def build(settings: ApplicationsSettings) -> Components:
    return Components(
        application=ApplicationsApplication(settings),
        to_integration_event=publishing.to_integration_event,
        sinks=consumers.sinks(settings.database_url),
    )


app = create_service(ApplicationsSettings(), build, api.router, publishes=publishing.PUBLISHES)
