"""HTTP routes of the matching service."""

from typing import Annotated

import asyncpg
from fastapi import APIRouter, Depends

from brobygger_matching.projections import list_candidates
from brobygger_shared.service import read_connection

router = APIRouter(tags=["matching"])


@router.get("/candidates", summary="Would-be oppdragstakere, oldest application first")
async def get_candidates(connection: Annotated[asyncpg.Connection, Depends(read_connection)]) -> list[dict]:
    return await list_candidates(connection)
