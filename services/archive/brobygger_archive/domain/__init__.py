"""The archive service's aggregates and rules. Pure: no I/O, no frameworks.

- `journalpost`: what one journalpost holds (its saksmappe, screening, documents), the kinds there are,
  and the stable ids everything is named by;
- `folder`: Saksmappe, what the archive knows of a citizen's case or an oppdragstaker (one each);
- `record`: ArchiveRecord, one per journalpost: created -> delivered | failed (tried again with backoff)
  | invalid (failed the XSD: not sent, for staff) | stopped (the last try failed: for staff).
"""

from brobygger_archive.domain.folder import Saksmappe, SubjectKind
from brobygger_archive.domain.journalpost import (
    KINDS,
    Classification,
    Correspondent,
    Document,
    Folder,
    Journalpost,
    JournalpostKind,
    KindSpec,
    Screening,
    document_id,
    folder_id,
    record_id,
)
from brobygger_archive.domain.record import AlreadyDone, ArchiveRecord, Backoff, RecordStatus

__all__ = [
    "KINDS", "AlreadyDone", "ArchiveRecord", "Backoff", "Classification", "Correspondent", "Document", "Folder",
    "Journalpost", "JournalpostKind", "KindSpec", "RecordStatus", "Saksmappe", "Screening", "SubjectKind",
    "document_id", "folder_id", "record_id",
]
