"""Rapport: the latest analytics report (`brobygger-analytics report`), for leaders only; to anyone
else the page does not exist (404). The report is read from its file (REPORT_FILE) on each visit and
shown in the gateway's own layout: the part between its `rapport:start` and `rapport:end` comments,
with its stylesheet (`report.css`, written beside it) served from /rapport/report.css. The report has
no inline style or script, so the gateway's Content-Security-Policy stays as strict as on every page.

The report holds counts and pseudonyms, no names; the analytics command writes it, escaped, from its
own DuckDB file, and the gateway shows it as it is.
"""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import FileResponse, Response

from brobygger_gateway.domain import LEADER, StaffUser
from brobygger_gateway.pages import PageNotFound, User, render, router

OSLO = ZoneInfo("Europe/Oslo")
START, END = "<!-- rapport:start -->", "<!-- rapport:end -->"
STYLESHEET = "report.css"


def leader(user: StaffUser) -> StaffUser:
    if not user.has(LEADER):
        raise PageNotFound()
    return user


def report_file(request: Request) -> Path:
    return Path(request.app.state.report_file)


def report_body(page: str) -> str | None:
    """The report between its markers, or None if the file is not a report page."""
    start, end = page.find(START), page.find(END)
    return page[start + len(START):end] if 0 <= start < end else None


@router.get("/rapport")
async def report(request: Request, user: User) -> Response:
    leader(user)
    path = report_file(request)
    try:
        body = report_body(path.read_text(encoding="utf-8"))
        made = datetime.fromtimestamp(path.stat().st_mtime, OSLO)
    except OSError:
        body, made = None, None
    return render(request, "report.html", {"title": "Rapport", "report": body, "made": made})


@router.get("/rapport/report.css")
async def report_stylesheet(request: Request, user: User) -> Response:
    leader(user)
    path = report_file(request).with_name(STYLESHEET)
    if not path.is_file():
        raise PageNotFound()
    return FileResponse(path, media_type="text/css", headers={"Cache-Control": "no-cache"})
