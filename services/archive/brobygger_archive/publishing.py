"""Domain event -> integration event, for the relay: a journalpost made, delivered, or failed. Titles,
names and the validator's full message stay in the archive service."""

from brobygger_archive.domain import ArchiveRecord
from brobygger_archive.domain.record import summary_of
from brobygger_shared.events import archive as published
from brobygger_shared.events.base import IntegrationEvent

PUBLISHES = [published.ArchiveRecordCreated, published.ArchiveDelivered, published.ArchiveDeliveryFailed]

INVALID = "Meldingen er ikke gyldig etter XSD-en og ble ikke sendt."


def to_integration_event(domain_event: object) -> IntegrationEvent | None:
    common = {"aggregate_id": domain_event.originator_id, "occurred_at": domain_event.timestamp}
    if isinstance(domain_event, ArchiveRecord.Created):
        entry = getattr(domain_event, "summary", None) or summary_of(domain_event.journalpost)
        return published.ArchiveRecordCreated(
            **common, subject_id=entry["subject_id"], kind=entry["kind"], is_barnevern=entry["is_barnevern"],
            scheme=entry.get("scheme"), document_date=entry["document_date"])
    if isinstance(domain_event, ArchiveRecord.Delivered):
        return published.ArchiveDelivered(
            **common, subject_id=domain_event.subject_id, kind=domain_event.kind,
            is_barnevern=domain_event.is_barnevern, delivered_at=domain_event.at, format=domain_event.format,
            archive_reference=domain_event.reference)
    if isinstance(domain_event, ArchiveRecord.Failed):
        return published.ArchiveDeliveryFailed(
            **common, subject_id=domain_event.subject_id, kind=domain_event.kind,
            is_barnevern=domain_event.is_barnevern, reason=domain_event.reason[:500], attempt=domain_event.attempt,
            final=domain_event.final)
    if isinstance(domain_event, ArchiveRecord.Invalid):
        return published.ArchiveDeliveryFailed(
            **common, subject_id=domain_event.subject_id, kind=domain_event.kind,
            is_barnevern=domain_event.is_barnevern, reason=INVALID, attempt=domain_event.attempt, final=True,
            invalid=True)
    return None
