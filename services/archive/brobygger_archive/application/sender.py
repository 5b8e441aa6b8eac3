"""The sender: builds, validates and delivers each due record once, and records what happened.

It works through the records that are created, or failed and due again (the read model), one sender at
a time across replicas (an advisory lock). For each it loads the ArchiveRecord, fetches its documents
(checking each SHA-256), builds the arkivmelding in the configured format and validates it against the
XSD: one that fails is recorded Invalid with the validator's message and never sent. A valid one goes to
the delivery (folder drop or HTTP) and is recorded Delivered; a failed try is recorded with the next
time to try (doubling backoff), and after the last try it is Stopped for staff.

A crash between the delivery and the record delivers again on restart: the same message under the same
id, which the folder drop and the integrasjonspunkt each recognise, so the archive gets it once.
"""

import asyncio
from datetime import UTC, datetime, timedelta

import asyncpg

from brobygger_archive import projections
from brobygger_archive.application import ArchiveApplication
from brobygger_archive.application.delivery import Delivery, DeliveryFailed
from brobygger_archive.application.documents import DocumentSource, DocumentUnavailable
from brobygger_archive.arkivmelding import InvalidMessage, MessageFormat, build_valid
from brobygger_archive.domain import ArchiveRecord, Backoff
from brobygger_shared.exclusive import run_exclusively
from brobygger_shared.logging import get_logger

log = get_logger(__name__)


class Sender:
    def __init__(self, app: ArchiveApplication, settings, documents: DocumentSource, delivery: Delivery,
                 clock=None) -> None:
        self.app = app
        self.settings = settings
        self.documents = documents
        self.delivery = delivery
        self.message_format = MessageFormat(settings.message_format)
        self.backoff = Backoff(settings.retry_attempts, timedelta(seconds=settings.retry_first_seconds),
                               timedelta(seconds=settings.retry_longest_seconds))
        self.clock = clock or _now
        self.delivered = 0

    async def run(self) -> None:
        await run_exclusively(self.settings.database_url, "archive.sender", self._loop)

    async def _loop(self) -> None:
        pool = await asyncpg.create_pool(self.settings.database_url, min_size=1, max_size=2)
        try:
            while True:
                async with pool.acquire() as connection:
                    due = await projections.due_records(connection, self.clock(), 100)
                if not due:
                    await asyncio.sleep(self.settings.send_poll_seconds)
                    continue
                for record_id in due:  # in the order they were made: a saksmappe's first journalpost first
                    await self.send(record_id)
        finally:
            await pool.close()

    async def send(self, record_id) -> None:
        record: ArchiveRecord = await asyncio.to_thread(self.app.record, record_id)
        if not record.due(self.clock()):
            return
        await self._try(record)
        if await asyncio.to_thread(self.app.save_once, record) and record.status == "levert":
            self.delivered += 1

    async def _try(self, record: ArchiveRecord) -> None:
        entry = record.entry
        try:
            files = {document.filename: await self.documents.fetch(document) for document in entry.documents}
            message = build_valid(entry, self.message_format, files)
            receipt = await self.delivery.deliver(message, self.message_format, self.clock())
        except InvalidMessage as invalid:
            record.record_invalid(str(self.message_format), str(invalid), self.clock())
            log.error("archive.invalid_message", record_id=str(record.id), kind=entry.kind)
            return
        except (DocumentUnavailable, DeliveryFailed) as failure:
            record.record_failure(str(failure), self.clock(), self.backoff)
            log.warning("archive.delivery_failed", record_id=str(record.id), kind=entry.kind,
                        attempt=record.attempts, reason=str(failure))
            return
        record.record_delivered(str(self.message_format), receipt.channel, receipt.reference, self.clock())
        log.info("archive.delivered", record_id=str(record.id), kind=entry.kind, channel=receipt.channel)


def _now() -> datetime:
    return datetime.now(UTC)
