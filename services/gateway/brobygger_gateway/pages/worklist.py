"""Arbeidsliste, the start page: what needs doing now, as counts with links. Each count is one call to
the service that knows it, made in parallel; a part that does not answer is named on its tile while
the others show. Counts come from the services' lists as the signed-in person sees them, so a
barnevern case is never counted for someone without the barnevern role: applications and matching leave
them out of their lists, and contracts and timesheets (whose services do not) are filtered by scheme
here. Open proposals and the payroll period come from the gateway's own activity feed."""

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from brobygger_gateway import projections
from brobygger_gateway.application import PART_NAMES, Forbidden, ServiceClient, ServiceUnavailable
from brobygger_gateway.domain import StaffUser
from brobygger_gateway.pages import Services, User, may_see, period_name, render, router
from brobygger_gateway.pages.volunteers import OPEN_STAGES, STAGES
from brobygger_shared.service import ReadConnection


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


def _tiles_for(services: ServiceClient, user: StaffUser, connection) -> list[Awaitable[Tile | None]]:
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
        proposals = await projections.open_proposals(connection, user.sees_barnevern)
        return [Line("Innvilgede saker som venter på oppdragstaker", len(rows), "/matching"),
                Line("Forslag som venter på svar", len(proposals), "/matching#forslag")]

    # The contracts tile and the timesheets tile (for the schemes of their contracts) share one call.
    shared: dict[str, asyncio.Future] = {}

    def every_contract() -> asyncio.Future:
        if "contracts" not in shared:
            shared["contracts"] = asyncio.ensure_future(services.get("contracts", "/contracts", user))
        return asyncio.shield(shared["contracts"])

    async def contracts() -> list[Line]:
        rows, renewals = await asyncio.gather(every_contract(),
                                              services.get("contracts", "/contracts", user, {"renewal_due": "true"}))
        rows = [row for row in rows if may_see(user, row["scheme"])]
        counts = Counter(row["status"] for row in rows)
        return [Line("Utkast som venter på signering", counts.get("utkast", 0), "/kontrakter?status=utkast"),
                Line("Signert av én part", counts.get("delvis_signert", 0), "/kontrakter?status=delvis_signert"),
                Line("Politiattest må fornyes", sum(1 for row in renewals if may_see(user, row["scheme"])),
                     "/kontrakter#fornyes")]

    async def timesheets() -> list[Line]:
        rows, contracts = await asyncio.gather(services.get("payroll", "/timesheets", user, {"status": "sendt_inn"}),
                                               every_contract())
        visible = {str(row["contract_id"]) for row in contracts if may_see(user, row["scheme"])}
        rows = [row for row in rows if str(row["contract_id"]) in visible]
        flagged = sum(1 for row in rows if row.get("flags"))
        return [Line("Timelister til godkjenning", len(rows), "/timelister"),
                Line("… av dem med merknader", flagged, "/timelister")]

    async def payroll() -> list[Line]:
        runs = await projections.payroll_runs(connection, limit=1)
        period = date.today().strftime("%Y-%m")
        paid_this_period = bool(runs) and runs[0]["facts"].get("period") == period
        return [Line(f"Lønn for {period_name(period)} er {'kjørt' if paid_this_period else 'ikke kjørt'}",
                     None, "/lonn"),
                *([Line(f"Siste kjøring ({period_name(runs[0]['facts'].get('period'))})", None,
                        f"/lonn/kjoringer/{runs[0]['run_id']}")] if runs else [])]

    tiles: list[Awaitable[Tile | None]] = []
    if user.handles_cases:
        tiles += [_tile("Søknader", "applications", cases), _tile("Oppdragstakere", "applications", volunteers),
                  _tile("Matching", "matching", waiting), _tile("Kontrakter", "contracts", contracts),
                  _tile("Timelister", "payroll", timesheets)]
    if user.handles_payroll:
        tiles.append(_tile("Lønn", "payroll", payroll))
    return tiles


@router.get("/")
async def worklist(request: Request, user: User, services: Services, connection: ReadConnection) -> Response:
    tiles: list[Any] = [tile for tile in await asyncio.gather(*_tiles_for(services, user, connection))
                        if tile is not None]
    return render(request, "worklist.html", {"tiles": tiles, "parts": PART_NAMES, "title": "Arbeidsliste"})
