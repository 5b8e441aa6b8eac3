"""A record's way to the archive without I/O beyond a temporary folder: the sender builds, validates and
delivers once; a failed try waits with backoff and stops for staff after the last; an invalid message is
not sent; the folder drop writes a package whole, and a second delivery of the same message changes
nothing."""

import asyncio
import hashlib
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from brobygger_archive.application.delivery import DeliveryFailed, FolderDrop, Receipt
from brobygger_archive.application.documents import DocumentUnavailable
from brobygger_archive.application.sender import Sender
from brobygger_archive.arkivmelding import Message, MessageFormat, validate
from brobygger_archive.domain import AlreadyDone, ArchiveRecord, Backoff, RecordStatus
from services.archive.tests.unit.test_arkivmelding import ALL

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
PDF = b"%PDF-1.7 test"


def record(kind: str = "vedtak", pdf: bytes = PDF) -> ArchiveRecord:
    entry = ALL[kind]
    data = entry.to_dict()
    for document in data["documents"]:
        document["sha256"] = hashlib.sha256(pdf).hexdigest()
    return ArchiveRecord(id=entry.system_id, journalpost=data, created_at=NOW)


class FakeApp:
    def __init__(self, *records: ArchiveRecord) -> None:
        self.records = {r.id: r for r in records}
        self.saved = []

    def record(self, record_id):
        return self.records[record_id]

    def save_once(self, *aggregates) -> bool:
        self.saved += [event for a in aggregates for event in a.collect_events()]
        return True


class Documents:
    def __init__(self, content: bytes = PDF, fail: bool = False) -> None:
        self.content = content
        self.fail = fail

    async def fetch(self, document):
        if self.fail:
            raise DocumentUnavailable("Tjenesten applications svarte ikke (ConnectError).")
        if hashlib.sha256(self.content).hexdigest() != document.sha256:
            raise DocumentUnavailable("Dokumentet har ikke SHA-256-summen hendelsen oppga; det arkiveres ikke.")
        return self.content


class Collect:
    def __init__(self, fail: bool = False) -> None:
        self.messages: list[Message] = []
        self.fail = fail

    async def deliver(self, message, message_format, at) -> Receipt:
        if self.fail:
            raise DeliveryFailed("Integrasjonspunktet svarte 503.")
        self.messages.append(message)
        return Receipt("http", "ref-1")


def sender(app, documents, delivery, message_format="eformidling", attempts=3) -> Sender:
    settings = SimpleNamespace(message_format=message_format, retry_attempts=attempts, retry_first_seconds=30,
                               retry_longest_seconds=3600, database_url="", send_poll_seconds=1)
    return Sender(app, settings, documents, delivery, clock=lambda: NOW)


@pytest.mark.parametrize("message_format", ["eformidling", "fiks_arkiv_v1"])
def test_a_due_record_is_built_validated_and_delivered_once_with_its_pdf(message_format) -> None:
    r = record()
    app, delivery = FakeApp(r), Collect()
    run = sender(app, Documents(), delivery, message_format)
    asyncio.run(run.send(r.id))
    asyncio.run(run.send(r.id))  # no longer due: nothing happens
    assert len(delivery.messages) == 1 and r.status == RecordStatus.DELIVERED
    message = delivery.messages[0]
    assert message.files == {"vedtak-2.pdf": PDF}
    validate(message.xml, MessageFormat(message_format))
    assert [type(e).__name__ for e in app.saved] == ["Created", "Delivered"]
    assert r.delivered["reference"] == "ref-1"


def test_a_pdf_that_is_not_the_one_the_event_named_is_not_archived() -> None:
    r = record()
    delivery = Collect()
    asyncio.run(sender(FakeApp(r), Documents(b"%PDF other"), delivery).send(r.id))
    assert delivery.messages == [] and r.status == RecordStatus.FAILED and "SHA-256" in r.reason


def test_failed_tries_wait_with_doubling_backoff_and_stop_for_staff_after_the_last() -> None:
    r = record()
    run = sender(FakeApp(r), Documents(), Collect(fail=True), attempts=3)
    asyncio.run(run.send(r.id))
    assert r.status == RecordStatus.FAILED and r.next_attempt_at == NOW + timedelta(seconds=30)
    r.next_attempt_at = NOW
    asyncio.run(run.send(r.id))
    assert r.next_attempt_at == NOW + timedelta(seconds=60)
    r.next_attempt_at = NOW
    asyncio.run(run.send(r.id))
    assert r.status == RecordStatus.STOPPED and r.attempts == 3
    r.retry(NOW)
    assert r.status == RecordStatus.FAILED and r.due(NOW)


def test_an_invalid_message_is_not_sent_and_keeps_the_validators_message() -> None:
    r = record("søknad")
    r.journalpost["folder"]["status"] = "Glemt"  # not a saksstatus the schema knows
    delivery = Collect()
    run = sender(FakeApp(r), Documents(), delivery)
    asyncio.run(run.send(r.id))
    assert delivery.messages == [] and r.status == RecordStatus.INVALID
    assert "saksstatus" in r.reason and "Glemt" in r.reason
    with pytest.raises(AlreadyDone):
        r.record_delivered("eformidling", "mappe", None, NOW)


def test_a_document_that_cannot_be_fetched_is_tried_again_later() -> None:
    r = record()
    asyncio.run(sender(FakeApp(r), Documents(fail=True), Collect()).send(r.id))
    assert r.status == RecordStatus.FAILED and r.attempts == 1


def test_the_folder_drop_writes_one_whole_package_and_a_second_delivery_changes_nothing(tmp_path) -> None:
    drop = FolderDrop(tmp_path)
    message = Message(ALL["vedtak"].system_id, b"<xml/>", {"vedtak-2.pdf": PDF})
    first = asyncio.run(drop.deliver(message, MessageFormat.EFORMIDLING, NOW))
    again = asyncio.run(drop.deliver(Message(message.message_id, b"<other/>", {}), MessageFormat.EFORMIDLING, NOW))
    package = tmp_path / str(message.message_id)
    assert first == again == Receipt("mappe", package.name)
    assert sorted(p.name for p in tmp_path.iterdir()) == [package.name]
    assert (package / "arkivmelding.xml").read_bytes() == b"<xml/>"
    assert (package / "vedtak-2.pdf").read_bytes() == PDF


def test_backoff_doubles_to_the_longest() -> None:
    backoff = Backoff(8, timedelta(seconds=30), timedelta(minutes=5))
    assert [backoff.delay(n).total_seconds() for n in range(1, 6)] == [30, 60, 120, 240, 300]


# -- over HTTP ---------------------------------------------------------------------------------------

import httpx  # noqa: E402

from brobygger_archive.application.delivery import Integrasjonspunkt  # noqa: E402
from brobygger_archive.application.documents import DocumentSource  # noqa: E402
from brobygger_shared.auth import ARCHIVE, principal_from  # noqa: E402
from brobygger_shared.settings import DEV_ARCHIVE_PRIVATE_KEY, ServiceSettings  # noqa: E402


def integrasjonspunkt(status: int, answer: dict | None = None, seen: list | None = None) -> Integrasjonspunkt:
    def handle(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        return httpx.Response(status, json=answer or {})

    return Integrasjonspunkt("http://ip.test", sender="921000006", receiver="974760673",
                             transport=httpx.MockTransport(handle))


def test_the_integrasjonspunkt_gets_one_multipart_message_and_its_id_is_the_reference() -> None:
    seen: list = []
    message = Message(ALL["vedtak"].system_id, b"<xml/>", {"vedtak-2.pdf": PDF})
    receipt = asyncio.run(integrasjonspunkt(200, {"messageId": "abc"}, seen).deliver(
        message, MessageFormat.EFORMIDLING, NOW))
    assert receipt == Receipt("http", "abc")
    request = seen[0]
    assert request.url.path == "/api/messages/out/multipart"
    body = request.content
    assert b'name="sbd"' in body and b"urn:no:difi:arkivmelding:xsd::arkivmelding" in body
    assert str(message.message_id).encode() in body and b'filename="vedtak-2.pdf"' in body and PDF in body


def test_a_message_the_integrasjonspunkt_already_holds_counts_as_delivered_and_an_error_is_a_failed_try() -> None:
    message = Message(ALL["vedtak"].system_id, b"<xml/>", {})
    assert asyncio.run(integrasjonspunkt(409).deliver(message, MessageFormat.EFORMIDLING, NOW)).channel == "http"
    with pytest.raises(DeliveryFailed, match="503"):
        asyncio.run(integrasjonspunkt(503).deliver(message, MessageFormat.FIKS_ARKIV_V1, NOW))


def test_a_pdf_is_fetched_with_the_archives_own_token_and_checked_against_its_sha256() -> None:
    tokens: list = []

    def handle(request: httpx.Request) -> httpx.Response:
        # Accepted by a service for the arkiv role alone, by the archive's own key (never the gateway's).
        tokens.append(principal_from(ServiceSettings(), request.headers["authorization"][7:]))
        return httpx.Response(200, content=PDF)

    source = DocumentSource({"applications": "http://applications.test"}, DEV_ARCHIVE_PRIVATE_KEY,
                            transport=httpx.MockTransport(handle))
    document = record().entry.documents[0]
    assert asyncio.run(source.fetch(document)) == PDF
    assert tokens[0].roles == frozenset({ARCHIVE})
    with pytest.raises(DocumentUnavailable, match="SHA-256"):
        asyncio.run(source.fetch(ALL["vedtak"].documents[0]))  # the event named another hash
