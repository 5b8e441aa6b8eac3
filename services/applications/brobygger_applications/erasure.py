"""Erasing a person (crypto-shredding, docs/privacy.md): the use case behind `POST /persons/{id}/erasure`.

`{id}` is a case id or a volunteer id (or a VolunteerApplication's id). Every case about the person with
the same identity number, and every oppdragstaker application of theirs, is erased with it: unless
something still needs their data (domain.erasure_blockers), their keys are deleted, the record is kept
as PersonErasure (published as PersonErased, ids only), and this service's read models are blanked.
Letters are not stored here (they are rendered from the events, which now read "slettet"): the copies
already sent to the kommune's Noark 5 archive stay there under archive law.
"""

import asyncio
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

import asyncpg

from brobygger_applications import projections
from brobygger_applications.application import ApplicationsApplication, NotFound
from brobygger_applications.domain import PersonErasure, erasure_blockers
from brobygger_shared.shredding import ERASED


@dataclass
class ErasureRefused(Exception):
    """Something still needs the person's data; each reason in Norwegian."""

    reasons: list[str] = field(default_factory=list)


def kept(retention_years: int, access_log_days: int) -> list[str]:
    """What stays after an erasure, and why, in the words the answer gives staff."""
    return [
        f"Lønn: beløp, perioder og oppdragstakerens nummer beholdes i {retention_years} år etter "
        "bokføringsloven § 13, uten navn eller fødselsnummer; utbetalte perioder regnes ikke om.",
        "Arkiv: brev og oppdragsavtaler som allerede er sendt til kommunens Noark 5-arkiv, blir der etter "
        "arkivloven (Riksarkivarens forskrift § 7-29). Brobyggers egne kopier er slettet.",
        f"Tilgangsloggen: hvem som så på saken, med id-er og uten personopplysninger, i {access_log_days} dager.",
        "Sakenes id-er, datoer, vedtakenes omfang og beløp, uten personopplysninger.",
    ]


async def _person_of(app: ApplicationsApplication, connection: asyncpg.Connection, person_id: UUID) -> str:
    """The identity number of the person `person_id` names (a case, a volunteer id or an application)."""
    try:
        return app.case(person_id).national_id
    except NotFound:
        application_id = await projections.volunteer_application_of(connection, person_id)
        if application_id is None:
            raise
        return app.volunteer(application_id).national_id


async def erase_person(app: ApplicationsApplication, connection: asyncpg.Connection, person_id: UUID,
                       today: date, erased_by: str) -> PersonErasure:
    """Erase the person `person_id` names, or raise ErasureRefused with every reason it cannot be done
    today (NotFound if the id names nobody). Asked again for the same id, it deletes the keys again."""
    erasure = app.erasure_of(person_id)
    if erasure is None:
        national_id = await _person_of(app, connection, person_id)
        if national_id == ERASED:
            raise ErasureRefused(["Personen er allerede slettet."])
        named, applications = await projections.records_of_person(connection, national_id)
        cases = [case for case in map(app.case, dict.fromkeys([*named, *_case_id(app, person_id)]))
                 if case.national_id == national_id]
        case_ids = [case.id for case in cases]
        volunteer_ids = list(dict.fromkeys(row["volunteer_id"] for row in applications))
        contracts, timesheets = await projections.obligations_of(connection, case_ids, volunteer_ids)
        reasons = erasure_blockers(cases, contracts, timesheets, today)
        if reasons:
            raise ErasureRefused(reasons)
        erasure = await asyncio.to_thread(app.erase, person_id, case_ids, volunteer_ids, today, erased_by)
    else:
        await asyncio.to_thread(app.erase, person_id, erasure.case_ids, erasure.volunteer_ids, today, erased_by)
    await projections.blank_person(connection, erasure.case_ids, erasure.volunteer_ids)
    return erasure


def _case_id(app: ApplicationsApplication, person_id: UUID) -> list[UUID]:
    """The asked id itself when it is a case (its read model may not have it yet)."""
    try:
        return [app.case(person_id).id]
    except NotFound:
        return []
