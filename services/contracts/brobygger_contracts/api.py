"""HTTP routes of the contracts service."""

from typing import Annotated

import asyncpg
from fastapi import APIRouter, Depends

from brobygger_contracts.projections import list_volunteers
from brobygger_shared.service import read_connection

router = APIRouter(tags=["contracts"])


@router.get("/volunteers", summary="Known oppdragstakere: the parties a contract can name")
async def get_volunteers(connection: Annotated[asyncpg.Connection, Depends(read_connection)]) -> list[dict]:
    return await list_volunteers(connection)
