"""HTTP routes of the notifications service."""

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Request

from brobygger_notifications.application import NotificationsApplication

router = APIRouter(tags=["varsler"])


def application(request: Request) -> NotificationsApplication:
    return request.app.state.application


@router.get("/notifications", summary="Notifications requested so far, oldest first")
async def get_notifications(app: Annotated[NotificationsApplication, Depends(application)]) -> list[dict]:
    return await asyncio.to_thread(app.requested_notifications)
