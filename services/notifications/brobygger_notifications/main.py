"""Composition root of the notifications service."""

from brobygger_notifications import api, consumers, publishing
from brobygger_notifications.application import NotificationsApplication
from brobygger_shared.service import Components, create_service
from brobygger_shared.settings import ServiceSettings


class NotificationsSettings(ServiceSettings):
    service_name: str = "notifications"


def build(settings: NotificationsSettings) -> Components:
    application = NotificationsApplication(settings)
    return Components(
        application=application,
        to_integration_event=publishing.to_integration_event,
        sinks=consumers.sinks(application),
    )


app = create_service(NotificationsSettings(), build, api.router)
