"""Arbeidsliste, the start page: what needs doing now, as counts with links. Each count is one call to
the service that knows it, made in parallel; a part that does not answer is named on its tile while
the others show. Counts come from the services' lists as the signed-in person sees them, so a
barnevern case is never counted for someone without the barnevern role."""

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from brobygger_gateway.application import PART_NAMES, Forbidden, ServiceClient, ServiceUnavailable
from brobygger_gateway.domain import StaffUser
from brobygger_gateway.pages import Services, User, render, router
from brobygger_gateway.pages.volunteers import OPEN_STAGES, STAGES


@dataclass
class Line:
    label: str
    count: int
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
    async def cases() -> list[Line]:
        new, replies = await asyncio.gather(
            services.get("applications", "/service-applications", user, {"status": "mottatt"}),
            services.get("applications", "/service-applications/overdue-interim-replies", user))
        overdue = sum(1 for row in replies if row.get("overdue"))
        return [Line("Nye søknader uten vedtak", len(new), "/soknader?status=mottatt"),
                Line("Foreløpig svar på overtid", overdue, "/soknader?status=mottatt"),
                Line("Foreløpig svar som snart skal sendes", len(replies) - overdue, "/soknader?status=mottatt")]

    async def volunteers() -> list[Line]:
        rows = await services.get("applications", "/volunteer-applications", user)
        counts = Counter(row.get("stage") for row in rows)
        return [Line(STAGES[stage], counts.get(stage, 0), f"/oppdragstakere?fase={stage}") for stage in OPEN_STAGES]

    async def waiting() -> list[Line]:
        rows = await services.get("matching", "/waiting-list", user)
        return [Line("Innvilgede saker som venter på oppdragstaker", len(rows))]

    async def contracts() -> list[Line]:
        drafts, partly, renewals = await asyncio.gather(
            services.get("contracts", "/contracts", user, {"status": "utkast"}),
            services.get("contracts", "/contracts", user, {"status": "delvis_signert"}),
            services.get("contracts", "/contracts", user, {"renewal_due": "true"}))
        return [Line("Utkast som venter på signering", len(drafts)),
                Line("Signert av én part", len(partly)),
                Line("Politiattest må fornyes", len(renewals))]

    async def timesheets() -> list[Line]:
        rows = await services.get("payroll", "/timesheets", user, {"status": "sendt_inn"})
        flagged = sum(1 for row in rows if row.get("flags"))
        return [Line("Timelister til godkjenning", len(rows)), Line("… av dem med merknader", flagged)]

    later = "Sidene for dette kommer."
    tiles: list[Awaitable[Tile | None]] = []
    if user.handles_cases:
        tiles += [_tile("Søknader", "applications", cases), _tile("Oppdragstakere", "applications", volunteers),
                  _tile("Venteliste", "matching", waiting, note=later),
                  _tile("Kontrakter", "contracts", contracts, note=later),
                  _tile("Timelister", "payroll", timesheets, note=later)]
    return tiles


@router.get("/")
async def worklist(request: Request, user: User, services: Services) -> Response:
    tiles: list[Any] = [tile for tile in await asyncio.gather(*_tiles_for(services, user)) if tile is not None]
    return render(request, "worklist.html", {"tiles": tiles, "parts": PART_NAMES, "title": "Arbeidsliste"})
