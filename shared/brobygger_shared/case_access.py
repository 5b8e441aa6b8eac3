"""Which cases a staff member may work on, from the roles in their token. Composable: each role adds
what it allows, and no role is needed to unlock another.

- saksbehandler: ordinary cases (støttekontakt, privat avlastning) and the oppdragstakere;
- barnevern: barnevern cases (støttekontakt in barnevernet, besøkshjem) and the oppdragstakere who
  serve them;
- both: both.

A case their roles do not allow does not exist for them: 404 by id, left out of every list, no PDF
(never 403, so ids cannot be probed). One exception, case by case: a case a staff member opened by
self-authorisation (an emergency; the gateway records the reason and mints the grant's case id into
the token, `Principal.granted_cases`, for a limited time) is theirs to see by id while the grant runs.

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
NOT_FOUND = "Fant ikke saken."


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

    def granted(self, case_id: object | None) -> bool:
        """Opened by self-authorisation, and the grant still runs (the token carries it)."""
        return case_id is not None and str(case_id) in self.principal.granted_cases

    def may_see(self, barnevern: bool, case_id: object | None = None) -> bool:
        """Their roles allow a case of this kind, or they opened this case (by its id) by self-authorisation."""
        return (self.barnevern if barnevern else self.ordinary) or self.granted(case_id)

    def may_see_scheme(self, scheme: str, case_id: object | None = None) -> bool:
        return self.may_see(is_barnevern(scheme), case_id)

    def refusal(self, barnevern: bool, case_id: object | None = None) -> str | None:
        """Why this case is not for them (a Norwegian sentence), or None when it is."""
        if self.may_see(barnevern, case_id):
            return None
        return BARNEVERN_ONLY if barnevern else ORDINARY_ONLY

    def require(self, barnevern: bool, case_id: object | None = None, not_found: str = NOT_FOUND) -> None:
        """404 unless their roles (or a running self-authorisation for `case_id`) allow the case: one they
        may not see does not exist for them."""
        if not self.may_see(barnevern, case_id):
            raise Problem(404, not_found)

    def require_scheme(self, scheme: str, case_id: object | None = None, not_found: str = NOT_FOUND) -> None:
        self.require(is_barnevern(scheme), case_id, not_found)


def staff_access(principal: Annotated[Principal, Depends(current_principal)]) -> CaseAccess:
    """A FastAPI dependency: staff with a role that allows some cases (saksbehandler, barnevern), or 403."""
    access = CaseAccess(principal)
    if not access.any:
        raise Problem(403, NOT_STAFF)
    return access


Staff = Annotated[CaseAccess, Depends(staff_access)]


class ArchiveAccess(CaseAccess):
    """The archive service (role arkiv): it files every case's documents, ordinary and barnevern alike."""

    def may_see(self, barnevern: bool, case_id: object | None = None) -> bool:
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
