"""HTTP routes of the gateway."""

from typing import Annotated

import asyncpg
from fastapi import APIRouter, Depends, Query

from brobygger_gateway.projections import recent_activity
from brobygger_shared.service import read_connection

router = APIRouter(tags=["gateway"])


@router.get("/activity", summary="The newest events of every service")
async def get_activity(
    connection: Annotated[asyncpg.Connection, Depends(read_connection)],
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict]:
    return await recent_activity(connection, limit)
