"""The sign-in providers of `make dev` and the test stack: `oidc-provider-mock`'s OpenID Connect
provider on a free port, in a thread of the launcher, twice:

- staff: one synthetic staff member per role (production: the kommune's own provider, STAFF_OIDC_ISSUER);
- ID-porten's stand-in for the portal: synthetic persons with the claims ID-porten gives, `pid` (the
  identity number) and `acr` (the level of assurance) (production: ID-porten, IDPORTEN_ISSUER).

Each sign-in page lists its people; pick one (or post the form field `sub`) to sign in as them. Dev and
tests only. Every identity number here is synthetic (month + 80), never a real person's.
"""

import logging
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date

from oidc_provider_mock import User, run_server_in_thread

from brobygger_shared.identity import synthetic_identity_number


@dataclass(frozen=True)
class StaffMember:
    sub: str
    name: str
    roles: tuple[str, ...]


# Synthetic people, listed in the README; roles as the gateway reads them from the `roles` claim.
STAFF_USERS = (
    StaffMember("sara.saksbehandler", "Sara Saksbehandler", ("saksbehandler",)),
    StaffMember("bjorn.barnevern", "Bjørn Barnevern", ("saksbehandler", "barnevern")),
    StaffMember("lise.lonn", "Lise Lønn", ("lønn",)),
    StaffMember("leo.leder", "Leo Leder", ("saksbehandler", "barnevern", "lønn", "leder")),
    StaffMember("rita.revisor", "Rita Revisor", ("revisor",)),
)


SUBSTANTIAL = "idporten-loa-substantial"
LOW = "idporten-loa-low"


@dataclass(frozen=True)
class Person:
    """A synthetic person as ID-porten's stand-in knows them: `sub` is what the mock's sign-in page
    lists (ID-porten's own `sub` is a pseudonym per client), `pid` the identity number."""

    sub: str
    name: str
    pid: str
    acr: str = SUBSTANTIAL


# A child of Kari Forelder: has no sign-in of their own; their parent enters this number in a søknad.
CHILD = ("Nora Forelder", synthetic_identity_number(date(2016, 5, 2)))

KARI_FORELDER = Person("kari.forelder", "Kari Forelder", synthetic_identity_number(date(1985, 3, 14)))
ARNE_INNBYGGER = Person("arne.innbygger", "Arne Innbygger", synthetic_identity_number(date(1990, 7, 21)))
# Signs in at the low level only: the portal refuses them (it asks for substantial or high).
LARS_LAVNIVA = Person("lars.lavniva", "Lars Lavnivå", synthetic_identity_number(date(1979, 9, 9)), acr=LOW)

OPPDRAGSTAKERE = (
    Person("ola.oppdragstaker", "Ola Oppdragstaker", synthetic_identity_number(date(1995, 2, 10))),
    Person("siri.stottekontakt", "Siri Støttekontakt", synthetic_identity_number(date(1988, 11, 3))),
)
"""Two would-be oppdragstakere: they apply in the portal (a VolunteerApplication by their `pid`), then
sign contracts, send timesheets and see their pay there."""

CITIZENS = (KARI_FORELDER, ARNE_INNBYGGER, LARS_LAVNIVA)
"""Citizens: a parent who applies for their child (CHILD), an adult who applies for themselves, and one
at the low level of assurance whom the portal refuses."""

PORTAL_PERSONS = (*CITIZENS, *OPPDRAGSTAKERE)


class _Provider:
    def __init__(self) -> None:
        self._running: AbstractContextManager | None = None
        self.url: str | None = None

    def _users(self) -> list[User]:
        raise NotImplementedError

    def start(self) -> str:
        # The provider logs every request and every code it issues (with the user): keep the console quiet.
        for name in ("werkzeug", "oidc_provider_mock"):
            logging.getLogger(name).setLevel(logging.WARNING)
        users = self._users()
        self._running = run_server_in_thread(port=0, require_client_registration=False, require_nonce=True,
                                             user_claims=users)
        server = self._running.__enter__()
        host = server.server_address[0]
        self.url = f"http://{'[' + host + ']' if ':' in host else host}:{server.server_port}"
        return self.url

    def stop(self) -> None:
        if self._running is not None:
            running, self._running = self._running, None
            try:
                running.__exit__(None, None, None)
            except TimeoutError:
                # It waits only a second for the server thread; on a busy machine the thread finishes
                # shutting down a moment later by itself. Nothing to clean up here.
                pass


class StaffProvider(_Provider):
    def _users(self) -> list[User]:
        return [User(sub=member.sub, claims={"name": member.name, "roles": list(member.roles)})
                for member in STAFF_USERS]

    def describe(self) -> dict:
        return {"url": self.url, "users": [{"sub": member.sub, "name": member.name, "roles": list(member.roles)}
                                           for member in STAFF_USERS]}


class IdportenProvider(_Provider):
    """ID-porten's stand-in: the ID token carries `pid` and `acr` as ID-porten's does."""

    def _users(self) -> list[User]:
        return [User(sub=person.sub, claims={"name": person.name, "pid": person.pid, "acr": person.acr})
                for person in PORTAL_PERSONS]

    def describe(self) -> dict:
        return {"url": self.url,
                "persons": [{"sub": person.sub, "name": person.name, "pid": person.pid, "acr": person.acr}
                            for person in PORTAL_PERSONS],
                "child": {"name": CHILD[0], "pid": CHILD[1], "parent": KARI_FORELDER.sub}}
