"""HTTP routes of the applications service, one module per concept: a citizen's case (`cases`) and
becoming an oppdragstaker (`volunteers`). `router` holds both; `common` what they share.

Submitting a søknad is open (citizens and would-be oppdragstakere use the public forms); everything
else is for signed-in staff, by roles that compose (`brobygger_shared.case_access`): saksbehandler
gives the ordinary cases, barnevern the barnevern cases, both give both; either gives the
oppdragstakere, who serve cases of both kinds. Erasing a person (`persons`) is for the leder.
"""

from fastapi import APIRouter

from brobygger_applications.api import cases, citizen, persons, volunteers
from brobygger_applications.api.cases import ServiceApplicationIn
from brobygger_applications.api.volunteers import VolunteerApplicationIn

__all__ = ["router", "ServiceApplicationIn", "VolunteerApplicationIn"]

router = APIRouter()
router.include_router(cases.router)
router.include_router(volunteers.router)
router.include_router(citizen.router)  # the portal's citizens: their own cases only
router.include_router(persons.router)  # erasure (leder)
