"""Erasing a person (crypto-shredding, docs/privacy.md): parse, call the use case, map its refusal."""

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from brobygger_applications.api.common import App
from brobygger_applications.application import NotFound
from brobygger_applications.erasure import ErasureRefused, erase_person, kept
from brobygger_shared.auth import AUTH_RESPONSES, Principal, require_role
from brobygger_shared.problems import PROBLEM_RESPONSES, Problem
from brobygger_shared.service import ReadConnection

router = APIRouter()

Leader = Annotated[Principal, Depends(require_role("leder"))]


class ErasureOut(BaseModel):
    """What was erased (ids only) and what is kept, and why."""

    case_ids: list[UUID]
    volunteer_ids: list[UUID]
    erased_on: date
    kept: list[str]


@router.post("/persons/{person_id}/erasure", tags=["personvern"],
             responses={**AUTH_RESPONSES, **PROBLEM_RESPONSES,
                        404: {"description": "Ingen sak eller oppdragstaker med denne id-en"},
                        409: {"description": "Noe trenger fortsatt personens opplysninger (`reasons`), "
                                             "eller personen er allerede slettet"}},
             summary="Erase a person by crypto-shredding: every case and oppdragstaker application with "
                     "their identity number")
async def erase(person_id: UUID, leader: Leader, app: App, connection: ReadConnection,
                request: Request) -> ErasureOut:
    try:
        erasure = await erase_person(app, connection, person_id, date.today(), leader.user_id)
    except NotFound:
        raise Problem(404, "Fant ingen sak eller oppdragstaker med denne id-en.") from None
    except ErasureRefused as refused:
        raise Problem(409, "Personen kan ikke slettes ennå: " + " ".join(refused.reasons),
                      reasons=refused.reasons) from None
    settings = request.app.state.runtime.settings
    return ErasureOut(case_ids=erasure.case_ids, volunteer_ids=erasure.volunteer_ids, erased_on=erasure.erased_on,
                      kept=kept(settings.bookkeeping_retention_years, settings.access_log_retention_days))
