"""HTTP routes of the matching service: parse, call, map errors. Staff only, by roles that compose
(`brobygger_shared.case_access`): saksbehandlere work on ordinary cases, barnevern staff on barnevern
cases, staff with both on both; the candidates (oppdragstakere) are for either."""

import asyncio
from datetime import date
from typing import Annotated, Literal
from uuid import UUID

import asyncpg
from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from brobygger_matching import projections
from brobygger_matching.application import MatchingApplication, MatchNotFound
from brobygger_matching.domain import (
    CandidatePool, Match, Party, Ranked, RuleViolation, WaitingCase, assign, rank, readable,
)
from brobygger_shared.auth import AUTH_RESPONSES, command_responses
from brobygger_shared.case_access import CaseAccess, Staff
from brobygger_shared.inputs import Input, Paragraphs
from brobygger_shared.problems import Problem
from brobygger_shared.service import ReadConnection

router = APIRouter(tags=["matching"])

Caseworker = Staff  # saksbehandler or barnevern; which cases each may work on is checked case by case
RESPONSES = command_responses("Fant ikke saken eller forslaget", "Ikke tillatt nå")


def application(request: Request) -> MatchingApplication:
    return request.app.state.application


App = Annotated[MatchingApplication, Depends(application)]


async def _pool(request: Request, connection: asyncpg.Connection) -> CandidatePool:
    candidates = await projections.approved_candidates(connection)
    settings = request.app.state.runtime.settings
    return CandidatePool(candidates, date.today(), settings.capacity_per_person, settings.attest_rules)


async def _waiting_case(connection: asyncpg.Connection, application_id: UUID, staff: CaseAccess) -> dict:
    entry = await projections.waiting_entry(connection, application_id)
    if entry is None:
        raise Problem(404, "Fant ingen sak med denne id-en.")
    staff.require(entry["is_barnevern"])
    return entry


def _explained(ranked: Ranked) -> dict:
    candidate = ranked.candidate
    return {
        "volunteer_id": candidate.volunteer_id, "full_name": candidate.full_name, "eligible": ranked.eligible,
        "score": ranked.score if ranked.eligible else None, "contributions": ranked.contributions, "excluded_because": ranked.excluded_because,
        "explanation": ranked.explanation(),
    }


@router.get("/candidates", responses=AUTH_RESPONSES, summary="Would-be and approved oppdragstakere")
async def get_candidates(staff: Caseworker, connection: ReadConnection,
                         stage: Literal["søkt", "godkjent", "avslått"] | None = None) -> list[dict]:
    return await projections.list_candidates(connection, stage)


@router.get("/waiting-list", responses=AUTH_RESPONSES,
            summary="Granted cases without an oppdragstaker, longest waiting first")
async def get_waiting_list(staff: Caseworker, connection: ReadConnection) -> list[dict]:
    return await projections.waiting_list(connection, date.today(), staff.barnevern, include_ordinary=staff.ordinary)


@router.get("/summary", responses=AUTH_RESPONSES,
            summary="The counts the work queue shows (waiting cases, proposals waiting for an answer), of the "
                    "cases the caller's roles allow")
async def get_summary(staff: Caseworker, connection: ReadConnection) -> dict:
    return await projections.summary(connection, staff.barnevern, staff.ordinary)


@router.get("/matches", responses=AUTH_RESPONSES,
            summary="Proposals by status (foreslått: waiting for an answer), soonest answer date first, of the "
                    "cases the caller's roles allow")
async def get_matches(staff: Caseworker, connection: ReadConnection,
                      status: Literal["foreslått", "matchet", "avslått"] | None = None) -> list[dict]:
    return await projections.proposals(connection, status, staff.barnevern, staff.ordinary)


@router.get("/waiting-list/{application_id}/candidates", responses=RESPONSES,
            summary="Every approved candidate ranked for one case, each score and exclusion explained")
async def rank_candidates(application_id: UUID, request: Request, staff: Caseworker,
                          connection: ReadConnection) -> list[dict]:
    entry = await _waiting_case(connection, application_id, staff)
    if entry["waiting_since"] is None:
        raise Problem(409, "Saken har ikke noe innvilget vedtak ennå.")
    pool = await _pool(request, connection)
    weights = request.app.state.runtime.settings.weights
    return [_explained(ranked) for ranked in rank(_readable_case(entry), pool, weights)]


def _readable_case(entry: dict) -> WaitingCase:
    """The case, or 409 naming the wish that cannot be read (stored before wishes were checked)."""
    case = projections.as_waiting_case(entry)
    left_out = readable([case])[1]
    if left_out:
        raise Problem(409, f"Ønskene i søknaden kan ikke leses: {left_out[0].reason}",
                      errors=[{"field": left_out[0].field, "message": left_out[0].reason}])
    return case


@router.post("/waiting-list/suggestions", responses=AUTH_RESPONSES,
             summary="The best proposals for the whole waiting list at once, to accept one by one; "
                     "cases whose wishes cannot be read are left out and named")
async def suggest(request: Request, staff: Caseworker, connection: ReadConnection) -> dict:
    today = date.today()
    entries = await projections.waiting_list(connection, today, staff.barnevern, include_ordinary=staff.ordinary)
    pool = await _pool(request, connection)
    cases, left_out = readable([projections.as_waiting_case(entry) for entry in entries])
    suggestions = await asyncio.to_thread(assign, cases, pool, request.app.state.runtime.settings.weights, today)
    names = {candidate.volunteer_id: candidate.full_name for candidate in pool.candidates}
    return {
        "suggestions": [{"application_id": s.application_id, "volunteer_id": s.volunteer_id,
                         "full_name": names[s.volunteer_id], "score": s.score} for s in suggestions],
        "left_out": [{"application_id": case.application_id, "field": case.field,
                      "reason": f"Ønskene i søknaden kan ikke leses: {case.reason}"} for case in left_out],
    }


class ProposalIn(Input):
    application_id: UUID
    volunteer_id: UUID


class MatchOut(BaseModel):
    match_id: UUID
    application_id: UUID
    volunteer_id: UUID
    scheme: str
    status: str
    accepted_by: list[str]
    proposed_on: date
    expires_on: date

    @classmethod
    def of(cls, match: Match) -> "MatchOut":
        return cls(match_id=match.id, application_id=match.application_id, volunteer_id=match.volunteer_id,
                   scheme=match.scheme, status=match.status, accepted_by=match.accepted_by,
                   proposed_on=match.proposed_on, expires_on=match.expires_on)


@router.post("/matches", status_code=201, response_model=MatchOut, responses=RESPONSES,
             summary="Propose an oppdragstaker for a waiting case (refused if a hard constraint excludes them)")
async def propose(body: ProposalIn, request: Request, staff: Caseworker, connection: ReadConnection,
                  app: App) -> MatchOut:
    entry = await _waiting_case(connection, body.application_id, staff)
    if entry["status"] != "venter":
        raise Problem(409, f"Saken står ikke på ventelisten (status: {entry['status']}).")
    pool = await _pool(request, connection)
    weights = request.app.state.runtime.settings.weights
    ranked = next((r for r in rank(_readable_case(entry), pool, weights)
                   if r.candidate.volunteer_id == body.volunteer_id), None)
    if ranked is None:
        raise Problem(409, "Personen er ikke en godkjent oppdragstaker.")
    if not ranked.eligible:
        raise Problem(409, ranked.explanation(), excluded_because=ranked.excluded_because)
    ended = await projections.ended_contracts(connection, body.volunteer_id)
    match = await asyncio.to_thread(
        app.propose, body.application_id, body.volunteer_id, entry["scheme"], entry["scope"], entry["scope_unit"],
        entry["period_from"], entry["period_to"], staff.user_id, date.today(), entry["birth_date"], ended,
    )
    return MatchOut.of(match)


def _visible_match(app: MatchingApplication, match_id: UUID, staff: CaseAccess) -> Match:
    try:
        match = app.match(match_id)
    except MatchNotFound:
        raise Problem(404, "Fant ikke forslaget.") from None
    staff.require_scheme(match.scheme)
    return match


def _change(app: MatchingApplication, match_id: UUID, staff: CaseAccess, command) -> MatchOut:
    _visible_match(app, match_id, staff)
    try:
        return MatchOut.of(app.change(match_id, command))
    except MatchNotFound:
        raise Problem(404, "Fant ikke forslaget.") from None


@router.get("/matches/{match_id}", response_model=MatchOut, responses=RESPONSES)
def get_match(match_id: UUID, staff: Caseworker, app: App) -> MatchOut:
    return MatchOut.of(_visible_match(app, match_id, staff))


class AcceptanceIn(Input):
    party: Party


@router.post("/matches/{match_id}/acceptance", response_model=MatchOut, responses=RESPONSES,
             summary="One side accepts; when both have, the match is made (VolunteerMatched)")
async def accept(match_id: UUID, body: AcceptanceIn, staff: Caseworker, app: App,
                 connection: ReadConnection) -> MatchOut:
    match = await asyncio.to_thread(_visible_match, app, match_id, staff)
    entry = await projections.waiting_entry(connection, match.application_id)
    if entry is not None and entry["status"] in projections.CLOSED:
        raise Problem(409, "Saken er " + ("trukket" if entry["status"] == "trukket" else "avsluttet")
                      + "; forslaget kan ikke godtas.")
    return await asyncio.to_thread(_change, app, match_id, staff, lambda m: m.accept(body.party, date.today()))


class DeclineIn(Input):
    party: Party
    reason: Paragraphs(min_length=1)


@router.post("/matches/{match_id}/decline", response_model=MatchOut, responses=RESPONSES,
             summary="One side declines, with a reason; the case goes back on the waiting list")
def decline(match_id: UUID, body: DeclineIn, staff: Caseworker, app: App) -> MatchOut:
    return _change(app, match_id, staff, lambda match: match.decline(body.party, body.reason, date.today()))


@router.post("/matches/lapses", responses=AUTH_RESPONSES,
             summary="Let every proposal past its answer date lapse; their cases go back on the list")
async def lapse_expired(staff: Caseworker, connection: ReadConnection, app: App) -> dict:
    today = date.today()
    lapsed = []
    for match_id in await projections.expired_proposals(connection, today):
        try:
            await asyncio.to_thread(app.change, match_id, lambda match: match.lapse(today))
            lapsed.append(match_id)
        except RuleViolation:
            continue  # answered meanwhile
    return {"lapsed": lapsed}
