"""Saksmappe: what the archive knows of a citizen's case or of an oppdragstaker, learnt from their
first event; every journalpost of theirs is filed in it. Pure."""

from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from brobygger_archive.domain.journalpost import folder_id
from brobygger_shared.shredding import ERASED, PersonalData


class SubjectKind(StrEnum):
    CASE = "sak"  # a citizen's søknad and what follows it
    VOLUNTEER = "oppdragstaker"


class Saksmappe(Aggregate):
    @staticmethod
    def create_id(subject_id: UUID) -> UUID:
        return folder_id(subject_id)

    @event("Opened")
    def __init__(self, subject_id: UUID, subject_kind: SubjectKind, opened_on: date, scheme: str | None,
                 is_barnevern: bool, case_number: str | None, opened_at: datetime, name: str | None = None,
                 roles: list[str] | None = None) -> None:
        """`name`: an oppdragstaker's name (a citizen's is not in the published language); `roles`: the
        roles an oppdragstaker applied for."""
        self.subject_id = subject_id
        self.subject_kind = SubjectKind(subject_kind)
        self.opened_on = opened_on
        self.opened_at = opened_at  # when the event that opened it happened: the saksmappe's opprettetDato
        self.scheme = scheme
        self.is_barnevern = is_barnevern
        self.case_number = case_number
        self.name = name if name != ERASED else None
        self.roles = list(roles or [])


# Crypto-shredding: an oppdragstaker's name is sealed under their key (the subject id).
Saksmappe.Opened.personal_data = PersonalData(subject="subject_id", fields=("name",))
