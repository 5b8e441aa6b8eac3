"""Hvem har sett saken din: for a person in the portal, which roles have looked at their own case and
when, across every service, newest first, with a self-authorisation ("nødtilgang") marked.

The applications service's /citizen route decides first that the case is the person's own (anything
else is 404 and nothing more is asked). Only then does the gateway ask each service's access log, with a
token for the person that names this one case (`own_cases`, brobygger_shared.access_log): a service
answers a person about no other id, and without user ids, purposes or other persons' ids. The gateway's
own log is read the same way (access_records.py). Reads within the same minute by the same role in the same part are one entry.
"""

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response

from brobygger_gateway.access_records import GATEWAY, gathered
from brobygger_gateway.application import PART_NAMES
from brobygger_gateway.portal import PREFIX, ROUTERS, Services, SignedInPerson, render
from brobygger_gateway.portal.citizen import SCHEMES, _case
from brobygger_shared.access_log import for_the_person

router = APIRouter(prefix=PREFIX, include_in_schema=False)
ROUTERS.append(router)

LIMIT = 200
# The roles a person sees, in this order; a role not named here is shown as staff of the kommune.
ROLE_WORDS = {
    "innbygger": "Deg selv",
    "saksbehandler": "Saksbehandler",
    "barnevern": "Barnevernet",
    "lønn": "Lønn",
    "leder": "Leder",
    "revisor": "Revisor",
    "oppdragstaker": "Oppdragstaker",
    "arkiv": "Arkivet (automatisk arkivering)",
}
STAFF = "Ansatt i kommunen"
PARTS = {**PART_NAMES, GATEWAY: "Saksbehandlingsløsningen"}


def who(roles: list[str]) -> str:
    words = [word for role, word in ROLE_WORDS.items() if role in roles]
    return ", ".join(words) or STAFF


def rows(records: list[dict]) -> list[dict]:
    """What the page shows: newest first, one entry per role, part, minute and kind of access."""
    shown, seen = [], set()
    for record in sorted(records, key=lambda record: record["at"], reverse=True):
        row = {"at": record["at"].replace(second=0, microsecond=0), "who": who(record["roles"]),
               "part": PARTS.get(record["service"], record["service"]),
               "emergency": bool(record["self_authorised"])}
        key = tuple(row.values())
        if key not in seen:
            seen.add(key)
            shown.append(row)
    return shown


@router.get("/saker/{case_id}/hvem-har-sett")
async def seen_by(request: Request, case_id: UUID, person: SignedInPerson, services: Services) -> Response:
    case = await _case(services, person, case_id)  # the ownership check: another's case is 404 here
    records, unavailable = await gathered(request, services, person.owning(case_id), str(case_id), LIMIT,
                                          own_view=lambda record: for_the_person(record, str(case_id)))
    return render(request, "seen_by.html", {
        "title": "Hvem har sett saken din", "case": case, "schemes": SCHEMES, "rows": rows(records),
        "unavailable": unavailable,
    })
