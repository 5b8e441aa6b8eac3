"""What the gateway decides itself: who is signed in, what their roles let them see and do, and when a
web session has run out. Pure: no I/O. The gateway owns nothing of the domain; the services decide
every case, and check every role again themselves."""

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from uuid import UUID

from brobygger_shared.auth import BARNEVERN, CASEWORKER, INNBYGGER, PAYROLL
from brobygger_shared.identity import InvalidIdentityNumber, parse_identity_number

LEADER = "leder"  # follows up self-authorisations and sees every part

REVISOR = "revisor"  # the auditor: reads the access log (who looked at a person), nothing else
STAFF_ROLES = (CASEWORKER, BARNEVERN, PAYROLL, LEADER, REVISOR)


# Self-authorisation ("selvautorisering"): the reasons a caseworker may give for opening, in an
# emergency, a case their roles do not allow; each with a free-text explanation.
SELF_AUTHORISATION_REASONS = {
    "akutt_fare": "Akutt fare for barnets liv eller helse",
    "akuttvedtak": "Akuttvedtak eller hastesak som ikke kan vente",
    "barnevernvakt": "Henvendelse til barnevernvakten utenom arbeidstid",
    "kollega_fravaer": "Saksbehandler med tilgang er fraværende og saken haster",
}


@dataclass(frozen=True)
class StaffUser:
    user_id: str
    name: str
    roles: frozenset[str] = frozenset()
    # Cases opened by self-authorisation, each with when the grant ends (the gateway puts those still
    # running in the tokens it signs: claim `cases`, honoured by brobygger_shared.case_access).
    grants: tuple[tuple[str, datetime], ...] = ()

    @classmethod
    def from_claims(cls, claims: dict, roles_claim: str) -> "StaffUser":
        """A signed-in person from the provider's validated ID-token claims; only the roles we know."""
        raw = claims.get(roles_claim) or []
        if isinstance(raw, str):
            raw = raw.split()
        roles = frozenset(role for role in raw if role in STAFF_ROLES)
        name = claims.get("name") or claims.get("preferred_username") or claims["sub"]
        return cls(user_id=str(claims["sub"]), name=str(name), roles=roles)

    def to_dict(self) -> dict:
        data = {"user_id": self.user_id, "name": self.name, "roles": sorted(self.roles)}
        if self.grants:
            data["grants"] = [[case_id, until.isoformat()] for case_id, until in self.grants]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "StaffUser":
        grants = tuple((str(case_id), datetime.fromisoformat(until)) for case_id, until in data.get("grants", []))
        return cls(user_id=data["user_id"], name=data["name"], roles=frozenset(data["roles"]), grants=grants)

    def granted_cases(self, now: datetime) -> list[str]:
        """The cases opened by self-authorisation whose grant still runs."""
        return sorted({case_id for case_id, until in self.grants if until > now})

    def with_grant(self, case_id: str, until: datetime, now: datetime) -> "StaffUser":
        """This person, having opened `case_id` by self-authorisation until `until` (ended grants dropped)."""
        kept = tuple((case, end) for case, end in self.grants if end > now and case != case_id)
        return replace(self, grants=(*kept, (case_id, until)))

    def has(self, role: str) -> bool:
        return role in self.roles

    # -- what the roles allow (the services check again) ---------------------------------------------

    @property
    def handles_cases(self) -> bool:
        """Søknader, vedtak, oppdragstakere, matching, contracts and timesheets. The case roles compose:
        saksbehandler works on ordinary cases, barnevern on barnevern cases (the services show each only
        the cases its roles allow)."""
        return self.has(CASEWORKER) or self.has(BARNEVERN)

    @property
    def sees_barnevern(self) -> bool:
        return self.has(BARNEVERN)

    @property
    def handles_payroll(self) -> bool:
        return self.has(PAYROLL)

    @property
    def role_names(self) -> list[str]:
        return [ROLE_NAMES[role] for role in STAFF_ROLES if role in self.roles]


ROLE_NAMES = {CASEWORKER: "saksbehandler", BARNEVERN: "barnevern", PAYROLL: "lønn", LEADER: "leder",
              REVISOR: "revisor"}


@dataclass
class SessionTimes:
    """When a web session began (sign-in) and was last used; it ends after `idle` without use or
    `absolute` after it began, whichever comes first."""

    created_at: datetime
    last_seen_at: datetime
    idle: timedelta = field(default=timedelta(minutes=30))
    absolute: timedelta = field(default=timedelta(hours=10))

    def expired(self, now: datetime) -> bool:
        return now - self.last_seen_at >= self.idle or now - self.created_at >= self.absolute

    def worth_touching(self, now: datetime) -> bool:
        """Record use at most once a minute: the idle clock needs no finer grain."""
        return now - self.last_seen_at >= timedelta(minutes=1)


# ID-porten's levels of assurance the portal accepts: substantial (MinID with an app, BankID and the like)
# or high. "idporten-loa-low" and anything unknown are refused.
ACCEPTED_LEVELS = ("idporten-loa-substantial", "idporten-loa-high")


class SignInRefused(Exception):
    """The provider's answer does not let this person into the portal; the message says why, in bokmål."""


@dataclass(frozen=True)
class Person:
    """A person signed in to the portal through ID-porten: `pid` (their identity number) names them;
    `sub` is ID-porten's pseudonym for them, which goes into service tokens as the subject."""

    sub: str
    name: str
    pid: str
    # Case ids the gateway has just checked are this person's own (the applications service's /citizen
    # route answered for them): signed into the service token as `own_cases`, for the access log's route.
    own_cases: tuple[str, ...] = ()

    @classmethod
    def from_claims(cls, claims: dict) -> "Person":
        """From the provider's validated ID-token claims: the level checked, the person by `pid`."""
        if claims.get("acr") not in ACCEPTED_LEVELS:
            raise SignInRefused("Du må logge inn med et høyere sikkerhetsnivå (for eksempel BankID eller MinID "
                                "med app) for å bruke selvbetjeningen.")
        try:
            pid = parse_identity_number(str(claims.get("pid") or "")).value
        except InvalidIdentityNumber:
            raise SignInRefused("Innloggingen ga ikke et gyldig fødselsnummer. Prøv igjen.") from None
        if not claims.get("sub"):
            raise SignInRefused("Innloggingen ble ikke fullført. Prøv igjen.")
        return cls(sub=str(claims["sub"]), name=str(claims.get("name") or ""), pid=pid)

    # The same shape as StaffUser where the gateway signs a service token.
    @property
    def user_id(self) -> str:
        return self.sub

    @property
    def roles(self) -> frozenset[str]:
        return frozenset({INNBYGGER})

    def owning(self, case_id: UUID | str) -> "Person":
        """This person, with a case checked to be their own (never stored in the session)."""
        return replace(self, own_cases=(str(case_id),))

    def to_dict(self) -> dict:
        return {"sub": self.sub, "name": self.name, "pid": self.pid}

    @classmethod
    def from_dict(cls, data: dict) -> "Person":
        return cls(sub=data["sub"], name=data["name"], pid=data["pid"])
