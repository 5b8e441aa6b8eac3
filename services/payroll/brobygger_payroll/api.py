"""HTTP routes of the payroll service."""

from typing import Annotated

import asyncpg
from fastapi import APIRouter, Depends

from brobygger_payroll.projections import list_payees
from brobygger_shared.service import read_connection

router = APIRouter(tags=["payroll"])


@router.get("/payees", summary="Known oppdragstakere: the people pay lines can name")
async def get_payees(connection: Annotated[asyncpg.Connection, Depends(read_connection)]) -> list[dict]:
    return await list_payees(connection)
