"""What one journalpost holds, built once from the source event and the settings, and kept as it was
built: a message made from it again (after a restart, a retry, by a second replica) is the same message.

Ids are UUID version 5, derived from what caused them: a journalpost's from the source service and the
source event's position in that service's log (stable when the broker loses its data and the relay
publishes again, which gives new message ids); a saksmappe's from the case or the oppdragstaker; a
document's from its journalpost and number.
"""

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

ARCHIVE_NAMESPACE = uuid5(NAMESPACE_URL, "https://brobygger.no/arkiv")


def record_id(source: str, source_position: int, kind: str) -> UUID:
    """The journalpost (and its ArchiveRecord, and the message's id) for one source event."""
    return uuid5(ARCHIVE_NAMESPACE, f"journalpost:{source}:{source_position}:{kind}")


def folder_id(subject_id: UUID) -> UUID:
    """The saksmappe of a citizen's case (its id) or of an oppdragstaker (the volunteer id)."""
    return uuid5(ARCHIVE_NAMESPACE, f"saksmappe:{subject_id}")


def document_id(journalpost_id: UUID, number: int) -> UUID:
    return uuid5(ARCHIVE_NAMESPACE, f"dokument:{journalpost_id}:{number}")


class JournalpostKind(StrEnum):
    APPLICATION = "søknad"  # the citizen's søknad, received
    INTERIM_REPLY = "foreløpig_svar"  # the letter, sent
    DECISION = "vedtak"  # the letter, sent
    APPEAL = "klage"  # the citizen's klage, received
    FORWARDED = "oversendelse_statsforvalteren"  # the klage sent on to the Statsforvalteren
    APPEAL_RESULT = "klageresultat"  # the Statsforvalteren's decision, received
    VOLUNTEER_APPLICATION = "oppdragstaker_søknad"  # an application to be oppdragstaker, received
    CONTRACT = "oppdragsavtale"  # the signed oppdragsavtale (and each amendment's issue), sent


INCOMING = "Inngående dokument"
OUTGOING = "Utgående dokument"
SENDER = "Avsender"
RECIPIENT = "Mottaker"


@dataclass(frozen=True)
class KindSpec:
    journalposttype: str  # Noark 5 M082
    document_type: str  # Noark 5 M083 (the receiving archive's list decides the codes)
    correspondent_role: str  # the other party is Avsender (incoming) or Mottaker (outgoing)
    has_document: bool  # a PDF goes with it


KINDS: dict[str, KindSpec] = {
    JournalpostKind.APPLICATION: KindSpec(INCOMING, "Søknad", SENDER, False),
    JournalpostKind.INTERIM_REPLY: KindSpec(OUTGOING, "Brev", RECIPIENT, True),
    JournalpostKind.DECISION: KindSpec(OUTGOING, "Vedtak", RECIPIENT, True),
    JournalpostKind.APPEAL: KindSpec(INCOMING, "Klage", SENDER, False),
    JournalpostKind.FORWARDED: KindSpec(OUTGOING, "Oversendelse", RECIPIENT, False),
    JournalpostKind.APPEAL_RESULT: KindSpec(INCOMING, "Vedtak", SENDER, False),
    JournalpostKind.VOLUNTEER_APPLICATION: KindSpec(INCOMING, "Søknad", SENDER, False),
    JournalpostKind.CONTRACT: KindSpec(OUTGOING, "Avtale", RECIPIENT, True),
}


@dataclass(frozen=True)
class Screening:
    """Skjerming: the access code (tilgangsrestriksjon), the legal reference (skjermingshjemmel), and
    which metadata are screened (skjermingMetadata), from the settings of the scheme."""

    access_code: str
    legal_reference: str
    metadata: tuple[str, ...] = ()
    whole_document: bool = True


@dataclass(frozen=True)
class Classification:
    system: str  # the classification system (e.g. the kommune's K-koder)
    class_id: str
    title: str


@dataclass(frozen=True)
class Folder:
    """The saksmappe a journalpost is filed in, as the archive knew it when the journalpost was made."""

    system_id: UUID
    title: str
    public_title: str  # offentligTittel: the title with what is screened left out
    opened_on: date
    created_at: datetime
    administrative_unit: str
    case_officer: str
    classification: Classification
    screening: Screening
    case_number: str | None = None
    status: str = "Under behandling"


@dataclass(frozen=True)
class Correspondent:
    role: str  # Avsender | Mottaker
    name: str


@dataclass(frozen=True)
class Document:
    """A PDF that goes with the journalpost: where to fetch it, and the SHA-256 it must have."""

    system_id: UUID
    number: int
    title: str
    filename: str
    service: str  # the service that serves it
    path: str
    sha256: str


@dataclass(frozen=True)
class Journalpost:
    system_id: UUID
    kind: str
    title: str
    public_title: str
    document_date: date
    created_at: datetime
    folder: Folder
    screening: Screening
    subject_id: UUID
    is_barnevern: bool
    scheme: str | None = None
    correspondent: Correspondent | None = None
    documents: tuple[Document, ...] = ()
    cross_reference: UUID | None = None  # another saksmappe this concerns (a contract's user case)
    note: str | None = None  # merknad: what the journalpost says beyond its title
    system: str = "Brobygger"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def spec(self) -> KindSpec:
        return KINDS[self.kind]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Journalpost":
        folder = dict(data["folder"])
        folder["classification"] = Classification(**folder["classification"])
        folder["screening"] = _screening(folder["screening"])
        values = dict(data)
        values["folder"] = Folder(**folder)
        values["screening"] = _screening(data["screening"])
        values["correspondent"] = Correspondent(**data["correspondent"]) if data.get("correspondent") else None
        values["documents"] = tuple(Document(**document) for document in data.get("documents") or ())
        return cls(**values)


def _screening(data: dict[str, Any]) -> Screening:
    return Screening(**{**data, "metadata": tuple(data.get("metadata") or ())})
