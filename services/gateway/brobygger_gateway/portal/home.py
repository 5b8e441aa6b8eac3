"""The portal's front page: what a signed-in person can do here."""

from fastapi import Request
from fastapi.responses import Response

from brobygger_gateway.portal import SignedInPerson, render, router


@router.get("")
async def portal_home(request: Request, person: SignedInPerson) -> Response:
    return render(request, "home.html", {"title": "Selvbetjening"})
