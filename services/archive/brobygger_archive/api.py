"""HTTP routes of the archive service: each case's and oppdragstaker's journalposter and how far they
got (for the case page), what waits for staff (messages that failed validation, with the validator's
message, and records whose last try failed), a record's arkivmelding as built, and trying one again."""

import asyncio
from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response

from brobygger_archive import projections
from brobygger_archive.application import ArchiveApplication, NotFound
from brobygger_archive.arkivmelding import MessageFormat, build
from brobygger_archive.domain import AlreadyDone, ArchiveRecord, RecordStatus
from brobygger_shared.access_log import ids_in, reading_of
from brobygger_shared.auth import AUTH_RESPONSES, command_responses
from brobygger_shared.case_access import CaseAccess, Staff
from brobygger_shared.problems import Problem
from brobygger_shared.service import ReadConnection

router = APIRouter(tags=["arkiv"])

RESPONSES = command_responses("Fant ikke journalposten", "Journalposten kan ikke prøves igjen nå")


def application(request: Request) -> ArchiveApplication:
    return request.app.state.application


App = Annotated[ArchiveApplication, Depends(application)]


async def _visible(app: ArchiveApplication, record_id: UUID, staff: CaseAccess) -> ArchiveRecord:
    try:
        record = await asyncio.to_thread(app.record, record_id)
    except NotFound:
        raise Problem(404, "Fant ikke journalposten.") from None
    staff.require(bool(record.summary["is_barnevern"]), record.summary["subject_id"],
                  "Fant ikke journalposten.")
    return record


@router.get("/archive/records", responses=AUTH_RESPONSES,
            summary="Journalposter, oldest first: kind, case or oppdragstaker, title, status, tries, the archive's "
                    "reference")
async def get_records(staff: Staff, connection: ReadConnection, read: reading_of("archive records"),
                      status: RecordStatus | None = None, subject_id: UUID | None = None,
                      limit: Annotated[int, Query(ge=1, le=10_000)] = 1000) -> list[dict]:
    rows = await projections.list_records(connection, staff.barnevern, staff.ordinary, limit,
                                          status and status.value, subject_id)
    await read.record(ids_in(rows, "subject_id"))
    return rows


@router.get("/archive/subjects/{subject_id}", responses=AUTH_RESPONSES,
            summary="A case's (or an oppdragstaker's) journalposter and whether each reached the archive: for the "
                    "case page")
async def get_subject(subject_id: UUID, staff: Staff, connection: ReadConnection,
                      _: reading_of("archive records", "subject_id")) -> dict:
    rows = await projections.list_records(connection, staff.barnevern, staff.ordinary, 1000, None, subject_id)
    statuses = {row["status"] for row in rows}
    summary = ("ingen" if not rows else "levert" if statuses == {"levert"}
               else "må_ses_på" if statuses & {"ugyldig", "stoppet"} else "underveis")
    return {"subject_id": subject_id, "status": summary, "records": rows}


@router.get("/archive/staff-tasks", responses=AUTH_RESPONSES,
            summary="What waits for staff: messages that failed validation against the XSD (not sent; `reason` is "
                    "the validator's message) and records whose last try failed")
async def get_staff_tasks(staff: Staff, connection: ReadConnection, read: reading_of("archive tasks")) -> list[dict]:
    rows = await projections.staff_tasks(connection, staff.barnevern, staff.ordinary)
    await read.record(ids_in(rows, "subject_id"))
    return rows


@router.get("/archive/records/{record_id}/arkivmelding.xml", responses={**RESPONSES, 200: {
    "content": {"application/xml": {}}, "description": "The arkivmelding as built from the record"}},
    response_class=Response, summary="A record's arkivmelding as built (the format set, or `format`)")
async def get_message(record_id: UUID, staff: Staff, app: App, request: Request, read: reading_of("arkivmelding"),
                      format: MessageFormat | None = None) -> Response:
    record = await _visible(app, record_id, staff)
    await read.record([record_id, record.summary["subject_id"]])
    if record.erased:
        raise Problem(410, "Journalposten er slettet i Brobygger: personen er slettet. Det som er levert, "
                           "ligger i kommunens arkiv.")
    chosen = format or MessageFormat(request.app.state.runtime.settings.message_format)
    return Response(build(record.entry, chosen), media_type="application/xml")


@router.post("/archive/records/{record_id}/retry", responses=RESPONSES,
             summary="Try a stopped or invalid record again (once the cause is put right)")
async def retry(record_id: UUID, staff: Staff, app: App) -> dict:
    record = await _visible(app, record_id, staff)
    try:
        record.retry(datetime.now(UTC))
    except AlreadyDone as refused:
        raise Problem(409, str(refused)) from None
    if not await asyncio.to_thread(app.save_once, record):
        raise Problem(409, "Journalposten ble endret samtidig; prøv igjen.")
    return {"record_id": record_id, "status": str(record.status)}
