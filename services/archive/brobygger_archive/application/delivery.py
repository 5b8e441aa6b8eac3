"""Where an arkivmelding goes, once: a delivery takes a message (the XML and its files) and answers with
a receipt, or raises DeliveryFailed with a reason that names no person.

- FolderDrop: one package per message, a folder named by the message id holding `arkivmelding.xml` and
  the documents. It is written beside the target and renamed into place, so a package is there whole
  or not at all; one already there is the same message (the id is derived from the source event), so
  delivering it again after a crash changes nothing.
- Integrasjonspunkt: HTTP in the manner of Digdir's integrasjonspunkt (eFormidling 2): one multipart
  POST to /api/messages/out/multipart with the StandardBusinessDocument (`sbd`) and the files; the
  message id is the journalpost's, so the integrasjonspunkt refuses a second copy (409), which counts as
  delivered. Tries again with backoff are the sender's (a failed try is recorded with its next time).
"""

import json
import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol
from uuid import uuid4

import httpx

from brobygger_archive.arkivmelding import Message, MessageFormat

MESSAGE_FILE = "arkivmelding.xml"


class DeliveryFailed(Exception):
    pass


@dataclass(frozen=True)
class Receipt:
    channel: str  # mappe | http
    reference: str | None = None  # the receiving side's id, when it answers with one


class Delivery(Protocol):
    async def deliver(self, message: Message, message_format: MessageFormat, at: datetime) -> Receipt: ...


@dataclass(frozen=True)
class FolderDrop:
    directory: Path

    async def deliver(self, message: Message, message_format: MessageFormat, at: datetime) -> Receipt:
        try:
            return self._write(message)
        except OSError as error:
            raise DeliveryFailed(f"Kunne ikke skrive pakken ({type(error).__name__}).") from None

    def _write(self, message: Message) -> Receipt:
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / str(message.message_id)
        if target.exists():
            return Receipt("mappe", target.name)  # written before: the same message
        partial = self.directory / f".{message.message_id}.{uuid4().hex}.partial"
        partial.mkdir()
        try:
            for name, content in {MESSAGE_FILE: message.xml, **message.files}.items():
                path = partial / name
                with path.open("wb") as file:
                    file.write(content)
                    file.flush()
                    os.fsync(file.fileno())
            try:
                partial.rename(target)
            except OSError:
                if not target.exists():
                    raise
        finally:
            if partial.exists():
                shutil.rmtree(partial, ignore_errors=True)
        return Receipt("mappe", target.name)


DOCUMENT_TYPES = {
    MessageFormat.EFORMIDLING: ("urn:no:difi:arkivmelding:xsd::arkivmelding", "arkivmelding"),
    MessageFormat.FIKS_ARKIV_V1: ("no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett", "arkivmelding"),
}


@dataclass(frozen=True)
class Integrasjonspunkt:
    url: str
    sender: str  # the kommune's organisation number (sending fagsystem)
    receiver: str  # the archive's organisation number
    process: str = "urn:no:difi:profile:arkivmelding:administrasjon:ver1.0"
    token: str | None = None
    timeout: float = 60
    transport: httpx.AsyncBaseTransport | None = None  # tests: a mock integrasjonspunkt

    def document(self, message: Message, message_format: MessageFormat, at: datetime) -> dict:
        standard, kind = DOCUMENT_TYPES[MessageFormat(message_format)]
        return {
            "standardBusinessDocumentHeader": {
                "headerVersion": "1.0",
                "sender": [{"identifier": {"authority": "iso6523-actorid-upis", "value": f"0192:{self.sender}"}}],
                "receiver": [{"identifier": {"authority": "iso6523-actorid-upis", "value": f"0192:{self.receiver}"}}],
                "documentIdentification": {"standard": standard, "typeVersion": "2.0",
                                           "instanceIdentifier": str(message.message_id), "type": kind,
                                           "creationDateAndTime": at.isoformat(timespec="seconds")},
                "businessScope": {"scope": [{"type": "ConversationId", "instanceIdentifier": str(message.message_id),
                                             "identifier": self.process}]},
            },
            kind: {"sikkerhetsnivaa": 3, "hoveddokument": MESSAGE_FILE},
        }

    async def deliver(self, message: Message, message_format: MessageFormat, at: datetime) -> Receipt:
        files = [("sbd", (None, json.dumps(self.document(message, message_format, at)), "application/json")),
                 (MESSAGE_FILE, (MESSAGE_FILE, message.xml, "application/xml"))]
        files += [(name, (name, content, "application/pdf")) for name, content in message.files.items()]
        headers = {"authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            async with httpx.AsyncClient(timeout=self.timeout, transport=self.transport) as client:
                response = await client.post(f"{self.url.rstrip('/')}/api/messages/out/multipart", files=files,
                                             headers=headers)
        except httpx.HTTPError as error:
            raise DeliveryFailed(f"Integrasjonspunktet svarte ikke ({type(error).__name__}).") from None
        if response.status_code == 409:  # it holds this message id already: delivered before
            return Receipt("http", str(message.message_id))
        if response.status_code >= 300:
            raise DeliveryFailed(f"Integrasjonspunktet svarte {response.status_code}.")
        try:
            answer = response.json()
            reference = str(answer.get("messageId") or answer.get("id") or message.message_id)
        except (ValueError, AttributeError):
            reference = str(message.message_id)
        return Receipt("http", reference[:200])
