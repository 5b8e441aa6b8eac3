"""Which cases a staff member may work on, from the roles in their token. Composable: each role adds
what it allows, and no role is needed to unlock another.

- saksbehandler: ordinary cases (støttekontakt, privat avlastning) and the oppdragstakere;
- barnevern: barnevern cases (støttekontakt in barnevernet, besøkshjem) and the oppdragstakere who
  serve them;
- both: both.

Pure: the FastAPI dependency that reads the token is `staff_access` (the token itself is read by
`auth.current_principal`). Every service that shows cases filters and checks with this one rule.
"""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

from brobygger_shared.auth import ARCHIVE, BARNEVERN, CASEWORKER, Principal, current_principal
from brobygger_shared.events.terms import Scheme
from brobygger_shared.problems import Problem

BARNEVERN_SCHEMES = frozenset({Scheme.STOTTEKONTAKT_BARNEVERN, Scheme.BESOKSHJEM})

NOT_STAFF = "Du har ikke tilgang til dette."
BARNEVERN_ONLY = "Barnevernssaker er bare tilgjengelige for ansatte i barnevernet."
ORDINARY_ONLY = "Saken er ikke en barnevernssak; den er bare tilgjengelig for saksbehandlere."


def is_barnevern(scheme: str) -> bool:
    return str(scheme) in BARNEVERN_SCHEMES


@dataclass(frozen=True)
class CaseAccess:
    """What one staff member's roles allow, case by case."""

    principal: Principal

    @property
    def ordinary(self) -> bool:
        return self.principal.has(CASEWORKER)

    @property
    def barnevern(self) -> bool:
        return self.principal.has(BARNEVERN)

    @property
    def any(self) -> bool:
        """Works with cases of some kind (and so with the oppdragstakere who serve them)."""
        return self.ordinary or self.barnevern

    @property
    def user_id(self) -> str:
        return self.principal.user_id

    @property
    def name(self) -> str:
        return self.principal.name

    def may_see(self, barnevern: bool) -> bool:
        return self.barnevern if barnevern else self.ordinary

    def may_see_scheme(self, scheme: str) -> bool:
        return self.may_see(is_barnevern(scheme))

    def refusal(self, barnevern: bool) -> str | None:
        """Why this case is not for them (a Norwegian sentence), or None when it is."""
        if self.may_see(barnevern):
            return None
        return BARNEVERN_ONLY if barnevern else ORDINARY_ONLY

    def require(self, barnevern: bool) -> None:
        """403 unless their roles allow a case of this kind."""
        reason = self.refusal(barnevern)
        if reason:
            raise Problem(403, reason)

    def require_scheme(self, scheme: str) -> None:
        self.require(is_barnevern(scheme))


def staff_access(principal: Annotated[Principal, Depends(current_principal)]) -> CaseAccess:
    """A FastAPI dependency: staff with a role that allows some cases (saksbehandler, barnevern), or 403."""
    access = CaseAccess(principal)
    if not access.any:
        raise Problem(403, NOT_STAFF)
    return access


Staff = Annotated[CaseAccess, Depends(staff_access)]


class ArchiveAccess(CaseAccess):
    """The archive service (role arkiv): it files every case's documents, ordinary and barnevern alike."""

    def may_see(self, barnevern: bool) -> bool:
        return True


def document_access(principal: Annotated[Principal, Depends(current_principal)]) -> CaseAccess:
    """A FastAPI dependency for the routes that serve a case's documents (a letter, an oppdragsavtale):
    staff as `staff_access` allows them, or the archive service (role arkiv), which may read documents
    of any case and nothing else (no other route accepts the role)."""
    access = CaseAccess(principal)
    if access.any:
        return access
    if principal.has(ARCHIVE):
        return ArchiveAccess(principal)
    raise Problem(403, NOT_STAFF)


DocumentReader = Annotated[CaseAccess, Depends(document_access)]
