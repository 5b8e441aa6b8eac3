"""HTTP routes of the notifications service: what was sent to whom and how it went, the staff tasks
(letters to send by post, messages that failed their last try), and in dev and tests the clock."""

from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi import Path as PathParam
from pydantic import BaseModel

from brobygger_notifications import projections
from brobygger_notifications.application import NotificationsApplication
from brobygger_notifications.domain import NotificationStatus
from brobygger_shared.access_log import ids_in, reading_of
from brobygger_shared.auth import AUTH_RESPONSES
from brobygger_shared.case_access import Staff
from brobygger_shared.inputs import Input, Moment
from brobygger_shared.problems import Problem
from brobygger_shared.service import ReadConnection

router = APIRouter(tags=["varsler"])


def application(request: Request) -> NotificationsApplication:
    return request.app.state.application


@router.get("/notifications", responses=AUTH_RESPONSES,
            summary="Notifications, oldest first: kind, recipient (internal id), status, channel, attempts")
async def get_notifications(
    staff: Staff, connection: ReadConnection, read: reading_of("notifications"),
    status: NotificationStatus | None = None,
    recipient_id: UUID | None = None, limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> list[dict]:
    rows = await projections.list_notifications(connection, limit, status and status.value, recipient_id,
                                                staff.barnevern)
    await read.record(ids_in(rows, "recipient_id", "subject_id"))
    return rows


@router.get("/notifications/staff-tasks", responses=AUTH_RESPONSES,
            summary="Letters to send by post (the person is reserved against digital contact or gave no "
                    "contact details) and messages that failed their last try")
async def get_staff_tasks(staff: Staff, connection: ReadConnection, read: reading_of("notification tasks")) -> list[dict]:
    rows = await projections.staff_tasks(connection, staff.barnevern)
    await read.record(ids_in(rows, "recipient_id", "subject_id"))
    return rows


class ClockIn(Input):
    now: Moment | None = None  # none: back to the system clock


class ClockOut(BaseModel):
    now: datetime


def _settable(request: Request) -> NotificationsApplication:
    if not request.app.state.runtime.settings.settable_clock:
        raise Problem(404, "Fant ikke siden.")
    return request.app.state.application


@router.put("/dev/clock", response_model=ClockOut, tags=["drift"],
            responses={404: {"description": "Klokken kan ikke stilles her (SETTABLE_CLOCK er av)"}},
            summary="Dev and tests (SETTABLE_CLOCK): set the time the service works by; the scheduler runs at once")
async def set_clock(body: ClockIn, app: Annotated[NotificationsApplication, Depends(_settable)]) -> ClockOut:
    if body.now is None:
        app.clock.reset()
    else:
        app.clock.set(body.now)
    return ClockOut(now=app.clock.now())


class MailOut(BaseModel):
    name: str
    to: str
    subject: str
    message_id: str
    received_at: datetime


def _mailbox(request: Request) -> Path:
    directory = request.app.state.runtime.settings.dev_mail_directory
    if not directory:
        raise Problem(404, "Fant ikke siden.")
    return Path(directory)


_DEV_ONLY = {404: {"description": "Bare i utvikling (DEV_MAIL_DIRECTORY er ikke satt)"}}


@router.get("/dev/mailbox", response_model=list[MailOut], tags=["drift"], responses={**AUTH_RESPONSES, **_DEV_ONLY},
            summary="Dev only: the e-mails the dev SMTP server received, newest first")
def get_mailbox(staff: Staff, directory: Annotated[Path, Depends(_mailbox)],
                limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[MailOut]:
    parser = BytesParser(policy=policy.default)
    mails = []
    for path in sorted(directory.glob("*.eml"), reverse=True)[:limit]:
        message = parser.parsebytes(path.read_bytes(), headersonly=True)
        mails.append(MailOut(name=path.name, to=str(message["X-Envelope-To"] or ""),
                             subject=str(message["Subject"] or ""),
                             message_id=str(message["Message-ID"] or "").strip(),
                             received_at=datetime.fromtimestamp(int(path.name.split("-")[0]) / 1e9, UTC)))
    return mails


@router.get("/dev/mailbox/{name}", tags=["drift"], response_class=Response,
            responses={**AUTH_RESPONSES, **_DEV_ONLY, 200: {"content": {"message/rfc822": {}}}},
            summary="Dev only: one received e-mail as it arrived (.eml)")
def get_mail(name: Annotated[str, PathParam(pattern=r"^[0-9]+-[0-9a-f]{8}\.eml$")], staff: Staff,
             directory: Annotated[Path, Depends(_mailbox)]) -> Response:
    path = directory / name
    if not path.is_file():
        raise Problem(404, "Fant ikke e-posten.")
    return Response(path.read_bytes(), media_type="message/rfc822")
