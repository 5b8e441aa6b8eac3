"""Which published events become which journalposter, each built once and kept as built.

A citizen's case gets a saksmappe from its ApplicationReceived, and journalposter for the søknad
(inngående), each letter (foreløpig svar and vedtak, utgående, with the PDF), a klage (inngående), its
forwarding to the Statsforvalteren (utgående) and the Statsforvalteren's result (inngående). An
oppdragstaker gets a saksmappe from the application, a journalpost for it (inngående), and one for each
issue of a signed oppdragsavtale (utgående, with the PDF; filed with the oppdragstaker and cross-referenced
to the user's case). The politiattest is never archived: no event about it becomes a journalpost.

Each journalpost's id comes from the source service and the event's position in that service's log
(`record_id`), so a redelivered or republished event finds the record it made and makes none.
"""

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from brobygger_archive.application.filing import ROLE_LABELS, SCHEME_LABELS, Filing
from brobygger_archive.domain import (
    ArchiveRecord,
    Correspondent,
    Document,
    Folder,
    Journalpost,
    JournalpostKind,
    Saksmappe,
    SubjectKind,
    document_id,
    folder_id,
    record_id,
)
from brobygger_archive.domain.record import summary_of
from brobygger_shared.case_access import is_barnevern
from brobygger_shared.delivery import Delivered
from brobygger_shared.events import applications as a
from brobygger_shared.events import contracts as c

HIDDEN = "*****"
NAME = "Korrespondansepart navn"  # the skjermingMetadata for a person's name as correspondent  # what an offentligTittel shows in place of what is screened

RESOLUTIONS = {"stadfestet": "vedtaket stadfestet", "omgjort": "vedtaket omgjort", "opphevet": "vedtaket opphevet"}


class Unit:
    """What the policy may read: aggregates saved earlier, or made earlier in the same batch."""

    def __init__(self, get: Callable[[UUID], Any]) -> None:
        self.get = get


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _label(scheme: str | None) -> str:
    return SCHEME_LABELS.get(scheme or "", scheme or "")


def _public_label(scheme: str | None) -> str:
    """Barnevern is itself screened: the public title does not say which scheme it is."""
    return HIDDEN if scheme and is_barnevern(scheme) else _label(scheme)


def folder_of(mappe: Saksmappe, filing: Filing, created_at: datetime) -> Folder:
    rule = filing.rule(mappe.scheme if mappe.subject_kind == SubjectKind.CASE else None)
    number = f"sak {mappe.case_number}" if mappe.case_number else "sak uten nummer"
    if mappe.subject_kind == SubjectKind.CASE:
        title = f"{_label(mappe.scheme).capitalize()} – {number}"
        public = f"{_public_label(mappe.scheme).capitalize()} – {number}"
    else:
        who = mappe.name or number
        title = f"Oppdragstaker – {who}" + (f" ({number})" if mappe.name else "")
        public = f"Oppdragstaker – {HIDDEN}" + (f" ({number})" if mappe.name else "")
    return Folder(
        system_id=mappe.id, title=title, public_title=public, opened_on=mappe.opened_on, created_at=created_at,
        administrative_unit=rule.administrative_unit, case_officer=rule.case_officer,
        classification=rule.classification(), screening=rule.screening.screening(), case_number=mappe.case_number,
    )


def policy(filing: Filing) -> Callable[[Unit, Delivered], Iterable[Any]]:
    def apply(unit: Unit, delivered: Delivered) -> Iterable[Any]:
        return [aggregate for aggregate in _answer(unit, delivered, filing) if aggregate is not None]

    return apply


def _answer(unit: Unit, delivered: Delivered, filing: Filing) -> Iterable[Any]:
    event = delivered.event
    meta = delivered.meta
    at = _utc(event.occurred_at)

    def record(kind: JournalpostKind, mappe: Saksmappe, title: str, public_title: str, document_date: date,
               scheme: str | None, barnevern: bool, correspondent: Correspondent | None = None,
               documents: Callable[[UUID], tuple[Document, ...]] = lambda _: (), note: str | None = None,
               cross_reference: UUID | None = None, screened_as: str | None = "scheme") -> ArchiveRecord | None:
        identifier = record_id(meta.source, meta.source_position, kind)
        if unit.get(identifier) is not None:
            return None  # made before: a redelivered or republished event
        screening = filing.rule(scheme if screened_as == "scheme" else screened_as).screening.screening()
        if correspondent and correspondent.name != filing.statsforvalter and NAME not in screening.metadata:
            screening = replace(screening, metadata=(*screening.metadata, NAME))
        entry = Journalpost(
            system_id=identifier, kind=str(kind), title=title, public_title=public_title,
            document_date=document_date, created_at=at, folder=folder_of(mappe, filing, _utc(mappe.opened_at)),
            screening=screening, subject_id=mappe.subject_id, is_barnevern=barnevern,
            scheme=scheme, correspondent=correspondent, documents=documents(identifier), note=note,
            cross_reference=cross_reference, system=filing.system,
        )
        journalpost = entry.to_dict()
        return ArchiveRecord(id=identifier, journalpost=journalpost, created_at=at, subject_id=entry.subject_id,
                             summary=summary_of(journalpost))

    match event:
        case a.ApplicationReceived():
            mappe = unit.get(folder_id(event.aggregate_id))
            if mappe is None:
                mappe = Saksmappe(subject_id=event.aggregate_id, subject_kind=SubjectKind.CASE,
                                  opened_on=event.received_on, scheme=event.scheme, is_barnevern=event.is_barnevern,
                                  case_number=event.case_number, opened_at=at)
                yield mappe
            label = _label(event.scheme)
            yield record(JournalpostKind.APPLICATION, mappe, f"Søknad om {label}",
                         f"Søknad om {_public_label(event.scheme)}", event.received_on, event.scheme,
                         event.is_barnevern)
        case a.LetterIssued() if event.kind in (JournalpostKind.DECISION, JournalpostKind.INTERIM_REPLY):
            mappe = unit.get(folder_id(event.aggregate_id))
            if mappe is None:
                return
            kind = JournalpostKind(event.kind)
            what = "Vedtak om" if kind == JournalpostKind.DECISION else "Foreløpig svar på søknad om"
            filename = f"{'vedtak' if kind == JournalpostKind.DECISION else 'forelopig-svar'}-{event.letter_number}.pdf"
            title = f"{what} {_label(event.scheme)}"

            def letter(identifier: UUID) -> tuple[Document, ...]:
                return (Document(system_id=document_id(identifier, 1), number=1, title=title, filename=filename,
                                 service="applications", path=event.document_path, sha256=event.sha256),)

            yield record(kind, mappe, title, f"{what} {_public_label(event.scheme)}", event.issued_on,
                         event.scheme, event.is_barnevern, documents=letter)
        case a.ApplicationAppealed():
            mappe = unit.get(folder_id(event.aggregate_id))
            if mappe is None:
                return
            yield record(JournalpostKind.APPEAL, mappe, f"Klage på vedtak om {_label(event.scheme)}",
                         f"Klage på vedtak om {_public_label(event.scheme)}", event.received_on, event.scheme,
                         event.is_barnevern, note="Klagen kom etter klagefristen." if event.late else None)
        case a.AppealResolved():
            mappe = unit.get(folder_id(event.aggregate_id))
            if mappe is None:
                return
            statsforvalter = filing.statsforvalter
            if event.resolution == "oversendt_statsforvalteren":
                yield record(JournalpostKind.FORWARDED, mappe,
                             f"Oversendelse av klage til {statsforvalter} – {_label(event.scheme)}",
                             f"Oversendelse av klage til {statsforvalter} – {_public_label(event.scheme)}",
                             event.resolved_on, event.scheme, event.is_barnevern,
                             correspondent=Correspondent("Mottaker", statsforvalter))
            elif event.resolution in RESOLUTIONS:
                outcome = RESOLUTIONS[event.resolution]
                yield record(JournalpostKind.APPEAL_RESULT, mappe,
                             f"{statsforvalter}s avgjørelse i klagesak – {_label(event.scheme)}: {outcome}",
                             f"{statsforvalter}s avgjørelse i klagesak – {_public_label(event.scheme)}",
                             event.resolved_on, event.scheme, event.is_barnevern,
                             correspondent=Correspondent("Avsender", statsforvalter), note=f"Utfall: {outcome}.")
        case a.VolunteerApplicationReceived():
            mappe = unit.get(folder_id(event.volunteer_id))
            if mappe is None:
                mappe = Saksmappe(subject_id=event.volunteer_id, subject_kind=SubjectKind.VOLUNTEER,
                                  opened_on=at.date(), scheme=None, is_barnevern=False,
                                  case_number=event.case_number, name=event.full_name, roles=list(event.roles),
                                  opened_at=at)
                yield mappe
            roles = ", ".join(ROLE_LABELS.get(role, role) for role in event.roles)
            yield record(JournalpostKind.VOLUNTEER_APPLICATION, mappe, f"Søknad om oppdrag som {roles}",
                         f"Søknad om oppdrag som {roles}", at.date(), None, False,
                         correspondent=Correspondent("Avsender", event.full_name))
        case c.ContractDocumentIssued():
            scheme = str(event.scheme)
            mappe = unit.get(folder_id(event.volunteer_id))
            if mappe is None:  # the oppdragstaker's application not seen yet: a saksmappe from what this says
                mappe = Saksmappe(subject_id=event.volunteer_id, subject_kind=SubjectKind.VOLUNTEER,
                                  opened_on=event.issued_on, scheme=None, is_barnevern=False,
                                  case_number=event.volunteer_case_number, opened_at=at)
                yield mappe
            user_case = f", sak {event.user_case_number}" if event.user_case_number else ""
            number = event.document_number
            what = "Oppdragsavtale" if number == 1 else f"Oppdragsavtale, endring {number - 1}"
            title = f"{what} – {_label(scheme)}{user_case}"

            def contract(identifier: UUID) -> tuple[Document, ...]:
                return (Document(system_id=document_id(identifier, 1), number=1, title=title,
                                 filename=f"oppdragsavtale-{number}.pdf", service="contracts",
                                 path=event.document_path, sha256=event.sha256),)

            yield record(JournalpostKind.CONTRACT, mappe, title, f"{what} – {_public_label(scheme)}{user_case}",
                         event.issued_on, scheme, is_barnevern(scheme),
                         screened_as=scheme if is_barnevern(scheme) else None,
                         correspondent=Correspondent("Mottaker", mappe.name) if mappe.name else None,
                         documents=contract, cross_reference=folder_id(event.application_id))

