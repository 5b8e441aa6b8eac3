"""The archive service's Application: its aggregates (Saksmappe, ArchiveRecord), loaded and saved.

- `filing`: classes, screening, units and case officers per scheme (settings);
- `policy`: which published events become which journalposter, each built once;
- `documents`: the letters' and contracts' PDFs, fetched from the service that issued them and checked
  against the SHA-256 the event named;
- `delivery`: where messages go: a folder drop (one package per message) or HTTP in the manner of
  Digdir's integrasjonspunkt;
- `sender`: builds, validates and delivers each due record once, and records what happened.
"""

from uuid import UUID

from eventsourcing.persistence import IntegrityError

from brobygger_archive.domain import ArchiveRecord
from brobygger_shared.eventstore import ProcessingApplication


class NotFound(LookupError):
    pass


class ArchiveApplication(ProcessingApplication):
    def record(self, record_id: UUID) -> ArchiveRecord:
        return self.get_aggregate(record_id, ArchiveRecord, NotFound)

    def save_once(self, *aggregates) -> bool:
        """Save; False when another process (or an earlier life of this one) saved that version first."""
        try:
            self.save(*aggregates)
        except IntegrityError:
            return False
        return True
