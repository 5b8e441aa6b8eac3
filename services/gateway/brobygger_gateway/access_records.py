"""Who has read a given id, gathered across Brobygger: each service's access log (`GET /access-log`,
brobygger_shared.access_log) over HTTP as the caller, and the gateway's own log read directly (the
runtime's service list names the gateway too; over HTTP its records would be there twice).

The caller decides what the services answer: the auditor (role revisor) gets whole records, a person in
the portal only those about their own case, reduced (`own_view` reduces the gateway's own records the
same way). Both the Tilgangslogg page and the portal's "Hvem har sett saken din" read through here.
"""

from collections.abc import Callable
from datetime import datetime

from fastapi import Request

from brobygger_gateway.application import PART_NAMES, ServiceClient, ServiceError
from brobygger_gateway.domain import Person, StaffUser
from brobygger_shared.access_log import AccessRecord

GATEWAY = "gateway"


async def gathered(request: Request, services: ServiceClient, caller: StaffUser | Person, person_id: str,
                   limit: int, own_view: Callable[[AccessRecord], AccessRecord] = lambda record: record,
                   ) -> tuple[list[dict], list[str]]:
    """The records naming `person_id`, newest first, and the parts (in words) that did not answer."""
    records, unavailable = [], []
    for service in services.urls:
        if service == GATEWAY:
            continue
        try:
            answer = await services.get(service, "/access-log", caller, params={"person_id": person_id, "limit": limit})
        except ServiceError:
            unavailable.append(PART_NAMES.get(service, service))
            continue
        records.extend(answer["records"])
    own = await request.app.state.runtime.access_log.about(person_id, limit)
    records.extend(own_view(record).model_dump(mode="json") for record in own)
    for record in records:
        record["at"] = datetime.fromisoformat(record["at"]) if isinstance(record["at"], str) else record["at"]
    records.sort(key=lambda record: record["at"], reverse=True)
    return records, unavailable
