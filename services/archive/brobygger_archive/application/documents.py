"""The PDFs that go with journalposter, fetched from the service that issued them (applications for a
letter, contracts for an oppdragsavtale) over HTTP, with a short-lived token for the archive's own
identity (role `arkiv`: it may read documents, nothing else), and checked against the SHA-256 the event
named before they go into a package."""

import hashlib
from datetime import timedelta

import httpx

from brobygger_archive.domain import Document
from brobygger_shared.auth import ARCHIVE, issue_token

ARCHIVE_IDENTITY = "brobygger-arkiv"


class DocumentUnavailable(Exception):
    """The document could not be had, or was not the one the event named; the text names no person."""


class DocumentSource:
    def __init__(self, urls: dict[str, str], private_key: str, token_seconds: int = 60, timeout: float = 30,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.urls = urls
        self.transport = transport
        self.private_key = private_key
        self.token_lifetime = timedelta(seconds=token_seconds)
        self.timeout = timeout

    def _token(self) -> str:
        return issue_token(self.private_key, ARCHIVE_IDENTITY, [ARCHIVE], "Arkivet",
                           valid_for=self.token_lifetime)

    async def fetch(self, document: Document) -> bytes:
        base = self.urls.get(document.service)
        if not base:
            raise DocumentUnavailable(f"Vet ikke hvor tjenesten {document.service} svarer (SERVICE_URLS).")
        try:
            async with httpx.AsyncClient(timeout=self.timeout, transport=self.transport) as client:
                response = await client.get(f"{base.rstrip('/')}{document.path}",
                                            headers={"authorization": f"Bearer {self._token()}"})
        except httpx.HTTPError as error:
            raise DocumentUnavailable(f"Tjenesten {document.service} svarte ikke ({type(error).__name__}).") from None
        if response.status_code != 200:
            raise DocumentUnavailable(f"Tjenesten {document.service} svarte {response.status_code} på dokumentet.")
        content = response.content
        if hashlib.sha256(content).hexdigest() != document.sha256.lower():
            raise DocumentUnavailable("Dokumentet har ikke SHA-256-summen hendelsen oppga; det arkiveres ikke.")
        return content
