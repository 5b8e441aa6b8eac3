"""HTTP routes of the gateway."""

from typing import Annotated

from fastapi import APIRouter, Query

from brobygger_gateway.projections import recent_activity
from brobygger_shared.service import ReadConnection

router = APIRouter(tags=["gateway"])


@router.get("/activity", summary="The newest events of every service")
async def get_activity(
    connection: ReadConnection,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict]:
    return await recent_activity(connection, limit)
