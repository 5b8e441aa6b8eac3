"""Composition root of the archive service: settings, application, sender, API."""

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator

from brobygger_archive import api, consumers, projections, publishing
from brobygger_archive.application import ArchiveApplication
from brobygger_archive.application.delivery import FolderDrop, Integrasjonspunkt
from brobygger_archive.application.documents import DocumentSource
from brobygger_archive.application.filing import Filing
from brobygger_archive.application.sender import Sender
from brobygger_shared.documents import KommuneSettings
from brobygger_shared.service import Components, create_service
from brobygger_shared.settings import DEV_ARCHIVE_PRIVATE_KEY, ServiceSettings


class ArchiveSettings(ServiceSettings):
    service_name: str = "archive"

    # The kommune's archive decides the format: eFormidling arkivmelding (Digdir's integrasjonspunkt) or
    # KS FIKS Arkiv V1 arkivmelding.opprett.
    message_format: Literal["eformidling", "fiks_arkiv_v1"] = "eformidling"
    # Where messages go: a folder (one package per message; make dev and the tests use var/archive/), or
    # HTTP to an integrasjonspunkt.
    archive_delivery: Literal["folder", "http"] = "folder"
    archive_drop_dir: Path = Path("var/archive")
    integrasjonspunkt_url: str | None = None
    integrasjonspunkt_token: SecretStr | None = None
    # The archive's organisation number (the receiver); the kommune's own (KOMMUNE_ORGANISATION_NUMBER)
    # when not set.
    archive_organisation_number: str | None = None
    # Classes, screening, units and case officers per scheme and for oppdragstakere (JSON; see docs/archive.md).
    archive_filing: Filing = Field(default_factory=Filing)
    # Where the other services answer (the runtime sets it), to fetch the letters' and contracts' PDFs with
    # a short-lived token of the archive's own identity (role arkiv), signed with the archive's own key
    # (ARCHIVE_PRIVATE_KEY); the services accept it for that role only (their AUTH_ROLE_KEYS).
    service_urls: dict[str, str] = {}
    archive_private_key: SecretStr = SecretStr(DEV_ARCHIVE_PRIVATE_KEY)
    document_token_seconds: int = Field(default=60, ge=10, le=300)
    http_timeout_seconds: float = 30
    # Sending: how often the sender looks for due records, and the tries with doubling backoff.
    send_poll_seconds: float = 0.5
    retry_attempts: int = Field(default=8, ge=1, le=50)
    retry_first_seconds: float = 30
    retry_longest_seconds: float = 3600
    kommune: KommuneSettings = Field(default_factory=KommuneSettings)

    @model_validator(mode="after")
    def _complete(self) -> "ArchiveSettings":
        if self.archive_delivery == "http" and not self.integrasjonspunkt_url:
            raise ValueError("ARCHIVE_DELIVERY=http needs INTEGRASJONSPUNKT_URL")
        if self.environment == "production" and \
                self.archive_private_key.get_secret_value().strip() == DEV_ARCHIVE_PRIVATE_KEY.strip():
            raise ValueError("ARCHIVE_PRIVATE_KEY must be set in production: the dev key's private half is public")
        return self


def build(settings: ArchiveSettings) -> Components:
    application = ArchiveApplication(settings)
    filing = settings.archive_filing.model_copy(update={"statsforvalter": settings.kommune.statsforvalter})
    documents = DocumentSource(settings.service_urls, settings.archive_private_key.get_secret_value(),
                               settings.document_token_seconds, settings.http_timeout_seconds)
    if settings.archive_delivery == "http":
        delivery = Integrasjonspunkt(
            settings.integrasjonspunkt_url, sender=settings.kommune.organisation_number,
            receiver=settings.archive_organisation_number or settings.kommune.organisation_number,
            token=settings.integrasjonspunkt_token.get_secret_value() if settings.integrasjonspunkt_token else None,
            timeout=settings.http_timeout_seconds)
    else:
        delivery = FolderDrop(settings.archive_drop_dir)
    sender = Sender(application, settings, documents, delivery)
    return Components(
        application=application,
        to_integration_event=publishing.to_integration_event,
        sinks=consumers.sinks(application, filing, settings.database_url),
        local_projections=[projections.records],
        background=[("sender", sender.run)],
        state={"sender": sender},
    )


app = create_service(ArchiveSettings(), build, api.router, publishes=publishing.PUBLISHES)
