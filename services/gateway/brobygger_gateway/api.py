"""HTTP routes of the gateway."""

from typing import Annotated

from fastapi import APIRouter, Query

from brobygger_gateway.projections import recent_activity
from brobygger_shared.access_log import ids_in, reading_of
from brobygger_shared.auth import AUTH_RESPONSES
from brobygger_shared.case_access import Staff
from brobygger_shared.service import ReadConnection

router = APIRouter(tags=["gateway"])


@router.get("/activity", responses=AUTH_RESPONSES,
            summary="The newest events of every service (staff only; a barnevern case's only for the barnevern role)")
async def get_activity(
    staff: Staff,
    connection: ReadConnection,
    read: reading_of("activity"),
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    event_type: Annotated[str | None, Query(max_length=100, pattern="^[A-Za-z]+$",
                                            description="Only events of this type")] = None,
) -> list[dict]:
    rows = await recent_activity(connection, limit, event_type, staff.barnevern)
    await read.record(ids_in(rows, "aggregate_id"))
    return rows
