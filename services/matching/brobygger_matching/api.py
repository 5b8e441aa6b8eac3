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
    Excluded,
    FollowUpOutcome,
    GuidanceKind,
    Match,
    Party,
    Ranked,
    UnreadableWishes,
    WaitingCase,
    readable,
)
from brobygger_shared.access_log import ids_in, reading_of
from brobygger_shared.auth import AUTH_RESPONSES, command_responses
from brobygger_shared.case_access import CaseAccess, Staff
from brobygger_shared.inputs import Day, Input, Line, Paragraphs, PastDay
from brobygger_shared.problems import Problem
from brobygger_shared.service import ReadConnection

router = APIRouter(tags=["matching"])

Caseworker = Staff  # saksbehandler or barnevern; which cases each may work on is checked case by case
RESPONSES = command_responses("Fant ikke saken eller forslaget", "Ikke tillatt nå")


def application(request: Request) -> MatchingApplication:
    return request.app.state.application


App = Annotated[MatchingApplication, Depends(application)]


async def _waiting_case(connection: asyncpg.Connection, application_id: UUID, staff: CaseAccess) -> WaitingCase:
    entry = await projections.waiting_entry(connection, application_id)
    if entry is None:
        raise Problem(404, "Fant ingen sak med denne id-en.")
    staff.require(entry["is_barnevern"], application_id, "Fant ingen sak med denne id-en.")
    return projections.as_waiting_case(entry)


def _ruled(use_case, *args):
    """Run a use case; a case whose wishes cannot be read, or a candidate a hard constraint excludes, is a
    409 that names the wish, or each exclusion."""
    try:
        return use_case(*args)
    except UnreadableWishes as error:
        raise Problem(409, str(error), errors=[{"field": error.field, "message": error.reason}]) from None
    except Excluded as error:
        raise Problem(409, str(error), excluded_because=error.excluded_because) from None


def _explained(ranked: Ranked) -> dict:
    candidate = ranked.candidate
    return {
        "volunteer_id": candidate.volunteer_id, "full_name": candidate.full_name, "eligible": ranked.eligible,
        "score": ranked.score if ranked.eligible else None, "contributions": ranked.contributions, "excluded_because": ranked.excluded_because,
        "explanation": ranked.explanation(),
    }


@router.get("/candidates", responses=AUTH_RESPONSES, summary="Would-be and approved oppdragstakere")
async def get_candidates(staff: Caseworker, connection: ReadConnection, read: reading_of("candidates"),
                         stage: Literal["søkt", "godkjent", "avslått"] | None = None) -> list[dict]:
    rows = await projections.list_candidates(connection, stage)
    await read.record(ids_in(rows, "volunteer_id", "application_id"))
    return rows


@router.get("/waiting-list", responses=AUTH_RESPONSES,
            summary="Granted cases without an oppdragstaker, longest waiting first")
async def get_waiting_list(staff: Caseworker, connection: ReadConnection, read: reading_of("waiting list")) -> list[dict]:
    rows = await projections.waiting_list(connection, date.today(), staff.barnevern, include_ordinary=staff.ordinary)
    await read.record(ids_in(rows, "application_id"))
    return rows


@router.get("/summary", responses=AUTH_RESPONSES,
            summary="The counts the work queue shows (waiting cases, proposals waiting for an answer), of the "
                    "cases the caller's roles allow")
async def get_summary(staff: Caseworker, connection: ReadConnection) -> dict:
    return await projections.summary(connection, staff.barnevern, staff.ordinary, date.today())


@router.get("/matches", responses=AUTH_RESPONSES,
            summary="Proposals by status (foreslått: waiting for an answer), soonest answer date first, of the "
                    "cases the caller's roles allow")
async def get_matches(staff: Caseworker, connection: ReadConnection, read: reading_of("matches"),
                      status: Literal["foreslått", "første_møte", "matchet", "avslått"] | None = None) -> list[dict]:
    rows = await projections.proposals(connection, status, staff.barnevern, staff.ordinary)
    await read.record(ids_in(rows, "match_id", "application_id", "volunteer_id"))
    return rows


@router.get("/waiting-list/{application_id}/candidates", responses=RESPONSES,
            summary="Every approved candidate ranked for one case, each score and exclusion explained")
async def rank_candidates(application_id: UUID, staff: Caseworker, connection: ReadConnection,
                          app: App, read: reading_of("ranked candidates")) -> list[dict]:
    case = await _waiting_case(connection, application_id, staff)
    candidates = await projections.approved_candidates(connection)
    ranked = [_explained(ranked) for ranked in _ruled(app.ranked, case, candidates, date.today())]
    await read.record([application_id, *ids_in(ranked, "volunteer_id")])
    return ranked


@router.post("/waiting-list/suggestions", responses=AUTH_RESPONSES,
             summary="The best proposals for the whole waiting list at once, to accept one by one; "
                     "cases whose wishes cannot be read are left out and named")
async def suggest(staff: Caseworker, connection: ReadConnection, app: App) -> dict:
    today = date.today()
    entries = await projections.waiting_list(connection, today, staff.barnevern, include_ordinary=staff.ordinary)
    candidates = await projections.approved_candidates(connection)
    cases = [projections.as_waiting_case(entry) for entry in entries]
    suggestions = await asyncio.to_thread(app.suggestions, cases, candidates, today)
    left_out = readable(cases)[1]
    names = {candidate.volunteer_id: candidate.full_name for candidate in candidates}
    return {
        "suggestions": [{"application_id": s.application_id, "volunteer_id": s.volunteer_id,
                         "full_name": names[s.volunteer_id], "score": s.score} for s in suggestions],
        "left_out": [{"application_id": case.application_id, "field": case.field,
                      "reason": f"Ønskene i søknaden kan ikke leses: {case.reason}"} for case in left_out],
    }


class ProposalIn(Input):
    application_id: UUID
    volunteer_id: UUID


class FirstMeetingOut(BaseModel):
    meeting_on: date
    place: str
    kommune_attendee: str


class FollowUpOut(BaseModel):
    held_on: date
    held_by: str
    note: str
    outcome: str
    due_on: date | None


class MatchOut(BaseModel):
    match_id: UUID
    application_id: UUID
    volunteer_id: UUID
    scheme: str
    status: str
    accepted_by: list[str]
    proposed_on: date
    expires_on: date  # the answer's deadline; after both said yes, the first meeting's
    first_meeting: FirstMeetingOut | None = None
    confirmed_by: list[str] = []
    matched_on: date | None = None
    follow_ups: list[FollowUpOut] = []
    next_follow_up_on: date | None = None
    group_members: list[UUID] = []  # a group assignment's cases, this match's first; empty for one user
    group_partner: str | None = None

    @classmethod
    def of(cls, match: Match) -> "MatchOut":
        meeting = getattr(match, "meeting_on", None)
        return cls(match_id=match.id, application_id=match.application_id, volunteer_id=match.volunteer_id,
                   scheme=match.scheme, status=match.status, accepted_by=match.accepted_by,
                   proposed_on=match.proposed_on, expires_on=match.expires_on,
                   first_meeting=FirstMeetingOut(meeting_on=meeting, place=match.meeting_place,
                                                 kommune_attendee=match.meeting_kommune_attendee) if meeting else None,
                   confirmed_by=getattr(match, "confirmed_by", []), matched_on=getattr(match, "matched_on", None),
                   follow_ups=[FollowUpOut(**held) for held in getattr(match, "follow_ups", [])],
                   next_follow_up_on=match.next_follow_up_on,
                   group_members=getattr(match, "group_members", []),
                   group_partner=getattr(match, "group_partner", None))


@router.post("/matches", status_code=201, response_model=MatchOut, responses=RESPONSES,
             summary="Propose an oppdragstaker for a waiting case (refused if a hard constraint excludes them)")
async def propose(body: ProposalIn, staff: Caseworker, connection: ReadConnection, app: App) -> MatchOut:
    case = await _waiting_case(connection, body.application_id, staff)
    candidates = await projections.approved_candidates(connection)
    ended = await projections.ended_contracts(connection, body.volunteer_id)
    match = await asyncio.to_thread(_ruled, app.propose, case, body.volunteer_id, candidates, staff.user_id,
                                    date.today(), ended)
    return MatchOut.of(match)


def _visible_match(app: MatchingApplication, match_id: UUID, staff: CaseAccess) -> Match:
    try:
        match = app.match(match_id)
    except MatchNotFound:
        raise Problem(404, "Fant ikke forslaget.") from None
    staff.require_scheme(match.scheme, match.application_id, "Fant ikke forslaget.")
    return match


def _answer(app: MatchingApplication, match_id: UUID, staff: CaseAccess, use_case, *args) -> MatchOut:
    _visible_match(app, match_id, staff)
    try:
        return MatchOut.of(use_case(match_id, *args))
    except MatchNotFound:
        raise Problem(404, "Fant ikke forslaget.") from None


@router.get("/matches/{match_id}", response_model=MatchOut, responses=RESPONSES)
def get_match(match_id: UUID, staff: Caseworker, app: App, _: reading_of("match", "match_id")) -> MatchOut:
    return MatchOut.of(_visible_match(app, match_id, staff))


class AcceptanceIn(Input):
    party: Party


@router.post("/matches/{match_id}/acceptance", response_model=MatchOut, responses=RESPONSES,
             summary="One side says yes in principle; when both have, the first meeting is to be planned")
async def accept(match_id: UUID, body: AcceptanceIn, staff: Caseworker, app: App,
                 connection: ReadConnection) -> MatchOut:
    match = await asyncio.to_thread(_visible_match, app, match_id, staff)
    entry = await projections.waiting_entry(connection, match.application_id)
    return await asyncio.to_thread(_answer, app, match_id, staff, app.accept, body.party, date.today(),
                                   entry["status"] if entry else None)


class DeclineIn(Input):
    party: Party
    reason: Paragraphs(min_length=1)


@router.post("/matches/{match_id}/decline", response_model=MatchOut, responses=RESPONSES,
             summary="One side declines, with a reason (to the proposal, or after the first meeting); the case "
                     "goes back on the waiting list")
def decline(match_id: UUID, body: DeclineIn, staff: Caseworker, app: App) -> MatchOut:
    return _answer(app, match_id, staff, app.decline, body.party, body.reason, date.today())


@router.post("/matches/lapses", responses=AUTH_RESPONSES,
             summary="Let every proposal past its answer date lapse; their cases go back on the list")
async def lapse_expired(staff: Caseworker, connection: ReadConnection, app: App) -> dict:
    today = date.today()
    expired = await projections.expired_proposals(connection, today)
    return {"lapsed": await asyncio.to_thread(app.lapse_expired, expired, today)}


class FirstMeetingIn(Input):
    meeting_on: Day
    place: Line(200, min_length=1)
    kommune_attendee: Line(200, min_length=1)


@router.put("/matches/{match_id}/first-meeting", response_model=MatchOut, responses=RESPONSES,
            summary="Plan (or move) the first meeting of a proposal both sides said yes to: date, place, and who "
                    "from the kommune attends")
def plan_first_meeting(match_id: UUID, body: FirstMeetingIn, staff: Caseworker, app: App) -> MatchOut:
    return _answer(app, match_id, staff, app.plan_first_meeting, body.meeting_on, body.place, body.kommune_attendee,
                   date.today())


class ConfirmationIn(Input):
    party: Party


@router.post("/matches/{match_id}/confirmation", response_model=MatchOut, responses=RESPONSES,
             summary="After the first meeting one side confirms; when both have, the match is made "
                     "(VolunteerMatched) with the scheme's follow-up plan")
async def confirm(match_id: UUID, body: ConfirmationIn, staff: Caseworker, app: App,
                  connection: ReadConnection) -> MatchOut:
    match = await asyncio.to_thread(_visible_match, app, match_id, staff)
    entry = await projections.waiting_entry(connection, match.application_id)
    return await asyncio.to_thread(_answer, app, match_id, staff, app.confirm, body.party, date.today(),
                                   entry["status"] if entry else None)


class GroupIn(Input):
    members: list[UUID] = Field(min_length=1, max_length=20)  # the other users' cases
    partner: Line(200) | None = None  # a partner organisation's name


@router.put("/matches/{match_id}/group", response_model=MatchOut, responses=RESPONSES,
            summary="Make a made støttekontakt match a group assignment (GroupAssignmentMatched): the other users' "
                    "cases, each with its own granted vedtak, and optionally a partner organisation")
async def form_group(match_id: UUID, body: GroupIn, staff: Caseworker, app: App,
                     connection: ReadConnection) -> MatchOut:
    await asyncio.to_thread(_visible_match, app, match_id, staff)
    members = [await _waiting_case(connection, member, staff) for member in body.members]
    return await asyncio.to_thread(_answer, app, match_id, staff, app.form_group, members, body.partner,
                                   date.today(), staff.barnevern)


class FollowUpIn(Input):
    held_on: PastDay
    held_by: Line(200, min_length=1)
    note: Paragraphs(max_length=2000) = ""
    outcome: FollowUpOutcome


@router.post("/matches/{match_id}/follow-ups", response_model=MatchOut, responses=RESPONSES,
             summary="Record a follow-up contact held: date, who, a short note (personal data: never logged), "
                     "and whether the assignment continues, changes or should end")
def record_follow_up(match_id: UUID, body: FollowUpIn, staff: Caseworker, app: App) -> MatchOut:
    return _answer(app, match_id, staff, app.record_follow_up, body.held_on, body.held_by, body.note, body.outcome,
                   date.today())


@router.get("/follow-ups/due", responses=AUTH_RESPONSES,
            summary="Matches whose next follow-up is due today or overdue, of the cases the caller's roles allow")
async def follow_ups_due(staff: Caseworker, connection: ReadConnection, read: reading_of("follow-ups")) -> list[dict]:
    rows = await projections.follow_ups_due(connection, date.today(), staff.barnevern, staff.ordinary)
    await read.record(ids_in(rows, "match_id", "application_id", "volunteer_id"))
    return rows


class AttendanceIn(Input):
    volunteer_id: UUID
    present: bool


class GuidanceSessionIn(Input):
    session_kind: GuidanceKind
    title: Line(200, min_length=1)
    held_on: PastDay
    led_by: Line(200) = ""
    attendance: Annotated[list[AttendanceIn], Field(min_length=1, max_length=200)]


@router.post("/guidance-sessions", status_code=201, responses=RESPONSES,
             summary="Record a training or guidance session held for oppdragstakere (kurs, veiledning_gruppe, "
                     "veiledning_individuell), with each invited approved oppdragstaker's attendance")
async def record_guidance(body: GuidanceSessionIn, staff: Caseworker, connection: ReadConnection, app: App) -> dict:
    approved = {candidate.volunteer_id for candidate in await projections.approved_candidates(connection)}
    attendance = {row.volunteer_id: row.present for row in body.attendance}
    session = await asyncio.to_thread(app.record_guidance, body.session_kind, body.title, body.held_on, body.led_by,
                                      attendance, approved, date.today())
    return {"session_id": session.id, "kind": session.kind, "title": session.title, "held_on": session.held_on,
            "present": session.present, "absent": session.absent}


@router.get("/candidates/{volunteer_id}/guidance", responses=AUTH_RESPONSES,
            summary="The training and guidance sessions one oppdragstaker was invited to, with attendance")
async def guidance_of(volunteer_id: UUID, staff: Caseworker, connection: ReadConnection,
                      _: reading_of("guidance attendance", "volunteer_id")) -> list[dict]:
    return await projections.guidance_of(connection, volunteer_id)
