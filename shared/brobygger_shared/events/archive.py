"""Integration events published by the archive service (topic brobygger.archive.events).

One ArchiveRecord is one journalpost for the kommune's Noark 5 archive. The events say which case or
oppdragstaker it belongs to (by internal id), its kind and whether it went: never a title, a name or a
document. A failure's `reason` is a short Norwegian sentence naming no person (the validator's full
message stays in the archive service, for staff).
"""

from datetime import date, datetime
from uuid import UUID

from brobygger_shared.events.base import IntegrationEvent, integration_event


class ArchiveEvent(IntegrationEvent):
    subject_id: UUID  # the citizen's case (its id), or the oppdragstaker (volunteer id)
    kind: str  # søknad | foreløpig_svar | vedtak | klage | oversendelse_statsforvalteren | klageresultat |
    #            oppdragstaker_søknad | oppdragsavtale
    is_barnevern: bool


@integration_event
class ArchiveRecordCreated(ArchiveEvent):
    event_type = "ArchiveRecordCreated"

    scheme: str | None = None  # the case's or contract's scheme; none for an oppdragstaker's application
    document_date: date


@integration_event
class ArchiveDelivered(ArchiveEvent):
    event_type = "ArchiveDelivered"

    delivered_at: datetime
    format: str  # eformidling | fiks_arkiv_v1
    archive_reference: str | None = None  # the receiving side's id for the message, when it answers with one


@integration_event
class ArchiveDeliveryFailed(ArchiveEvent):
    event_type = "ArchiveDeliveryFailed"

    reason: str
    attempt: int
    final: bool  # no more tries: it waits for staff
    invalid: bool = False  # the message failed validation against the XSD and was not sent
