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
from services.archive.tests.test_arkivmelding import ALL

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
