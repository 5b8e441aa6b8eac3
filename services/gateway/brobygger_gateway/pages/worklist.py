"""Arbeidsliste, the start page: what needs doing now, as counts with links. Each service that knows
some of the counts is asked once, for its summary (`GET /summary`), and all of them at once; a part
that does not answer is named on its tile while the others show. Each service counts only what the
signed-in person's roles allow (brobygger_shared.case_access), so a barnevern case is never counted
for someone without the barnevern role."""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from brobygger_gateway.application import PART_NAMES, Forbidden, ServiceClient, ServiceUnavailable
from brobygger_gateway.domain import StaffUser
from brobygger_gateway.pages import Services, User, period_name, render, router
from brobygger_gateway.pages.volunteers import OPEN_STAGES, STAGES


@dataclass
class Line:
    label: str
    count: int | None  # None: a line that is a statement, not a count
    href: str | None = None


@dataclass
class Tile:
    title: str
    service: str
    lines: list[Line] = field(default_factory=list)
    unavailable: str | None = None  # the part that did not answer
    note: str = ""


async def _tile(title: str, service: str, fetch: Callable[[], Awaitable[list[Line]]], note: str = "") -> Tile | None:
    try:
        return Tile(title, service, await fetch(), note=note)
    except ServiceUnavailable as error:
        return Tile(title, service, unavailable=error.part)
    except Forbidden:
        return None  # not for this person's roles


def _tiles_for(services: ServiceClient, user: StaffUser) -> list[Awaitable[Tile | None]]:
    # One call per service, all at once: each answers with the counts of what the person's roles allow.
    calls: dict[str, asyncio.Future] = {}

    def summary(service: str) -> asyncio.Future:
        if service not in calls:
            calls[service] = asyncio.ensure_future(services.get(service, "/summary", user))
        return asyncio.shield(calls[service])

    async def cases() -> list[Line]:
        counts = await summary("applications")
        return [Line("Nye søknader uten vedtak", counts["new_cases"], "/soknader?status=mottatt"),
                Line("Foreløpig svar på overtid", counts["interim_replies_overdue"], "/soknader?status=mottatt"),
                Line("Foreløpig svar som snart skal sendes", counts["interim_replies_soon"], "/soknader?status=mottatt")]

    async def volunteers() -> list[Line]:
        stages = (await summary("applications"))["volunteers_by_stage"]
        return [Line(STAGES[stage], stages.get(stage, 0), f"/oppdragstakere?fase={stage}") for stage in OPEN_STAGES]

    async def waiting() -> list[Line]:
        counts = await summary("matching")
        return [Line("Innvilgede saker som venter på oppdragstaker", counts["waiting"], "/matching"),
                Line("Forslag som venter på svar", counts["proposals_waiting"], "/matching#forslag"),
                Line("Venter på første møte eller bekreftelse", counts.get("first_meetings_waiting", 0),
                     "/matching#forste-mote"),
                Line("Oppfølging på overtid", counts.get("follow_ups_overdue", 0), "/matching/oppfolging")]

    async def contracts() -> list[Line]:
        counts = await summary("contracts")
        return [Line("Utkast som venter på signering", counts["drafts"], "/kontrakter?status=utkast"),
                Line("Signert av én part", counts["partly_signed"], "/kontrakter?status=delvis_signert"),
                Line("Politiattest må fornyes", counts["renewal_due"], "/kontrakter#fornyes")]

    async def timesheets() -> list[Line]:
        counts = await summary("payroll")
        return [Line("Timelister til godkjenning", counts["timesheets_to_approve"], "/timelister"),
                Line("… av dem med merknader", counts["timesheets_flagged"], "/timelister")]

    async def payroll() -> list[Line]:
        latest = (await summary("payroll"))["latest_run"]
        period = date.today().strftime("%Y-%m")
        paid_this_period = bool(latest) and latest["period"] == period
        return [Line(f"Lønn for {period_name(period)} er {'kjørt' if paid_this_period else 'ikke kjørt'}",
                     None, "/lonn"),
                *([Line(f"Siste kjøring ({period_name(latest['period'])})", None,
                        f"/lonn/kjoringer/{latest['run_id']}")] if latest else [])]

    tiles: list[Awaitable[Tile | None]] = []
    if user.handles_cases:
        tiles += [_tile("Søknader", "applications", cases), _tile("Oppdragstakere", "applications", volunteers),
                  _tile("Matching", "matching", waiting), _tile("Kontrakter", "contracts", contracts),
                  _tile("Timelister", "payroll", timesheets)]
    if user.handles_payroll:
        tiles.append(_tile("Lønn", "payroll", payroll))
    return tiles


@router.get("/")
async def worklist(request: Request, user: User, services: Services) -> Response:
    tiles: list[Any] = [tile for tile in await asyncio.gather(*_tiles_for(services, user))
                        if tile is not None]
    return render(request, "worklist.html", {"tiles": tiles, "parts": PART_NAMES, "title": "Arbeidsliste"})
