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
    event_type: Annotated[str | None, Query(max_length=100, pattern="^[A-Za-z]+$",
                                            description="Only events of this type")] = None,
) -> list[dict]:
    return await recent_activity(connection, limit, event_type)
