"""The staff sign-in provider of `make dev` and the test stack: `oidc-provider-mock`'s OpenID Connect
provider on a free port, in a thread of the launcher, with one synthetic staff member per role. Its
sign-in page lists them; pick one (or post the form field `sub`) to sign in as them. Dev and tests
only: production names the kommune's own provider in the gateway's STAFF_OIDC_ISSUER."""

import logging
from contextlib import AbstractContextManager
from dataclasses import dataclass

from oidc_provider_mock import User, run_server_in_thread


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
)


class StaffProvider:
    def __init__(self) -> None:
        self._running: AbstractContextManager | None = None
        self.url: str | None = None

    def start(self) -> str:
        # The provider logs every request and every code it issues (with the user): keep the console quiet.
        for name in ("werkzeug", "oidc_provider_mock"):
            logging.getLogger(name).setLevel(logging.WARNING)
        users = [User(sub=member.sub, claims={"name": member.name, "roles": list(member.roles)})
                 for member in STAFF_USERS]
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

    def describe(self) -> dict:
        return {"url": self.url, "users": [{"sub": member.sub, "name": member.name, "roles": list(member.roles)}
                                           for member in STAFF_USERS]}
