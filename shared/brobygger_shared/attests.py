"""Which politiattest kinds satisfy which scheme: one kommune setting, defined here once and used by
approval (applications), matching (exclusion reasons) and contract signing (contracts).

Any kind can be registered for an oppdragstaker; what it is good for is this setting's answer.
Defaults (docs/domain.md, "Becoming an oppdragstaker"): under helse- og omsorgstjenesteloven § 5-4 everyone offered an assignment
presents a politiattest (an attest under politiregisterloven § 39 where the work is with minors);
barnevern work needs a barneomsorgsattest. A barneomsorgsattest is the attest for work with minors,
so by default it also satisfies the ordinary schemes: a person holding one is not excluded from
ordinary cases. A kommune that wants otherwise sets `ATTEST_KINDS_BY_SCHEME` (JSON, every scheme
named, each with at least one kind), the same value for every service.

Criminal-record data is GDPR article 10 data: only the kind, the issue date and whether it had
remarks are kept anywhere, never the text.
"""

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator
from pydantic_settings import BaseSettings

from brobygger_shared.events.terms import Scheme


class AttestKind(StrEnum):
    ORDINARY = "ordinær"  # the politiattest hol § 5-4 asks for
    CHILD_CARE = "barneomsorgsattest"  # politiregisterloven § 39: work with minors; barnevern


# Which schemes an oppdragstaker's role serves (a støttekontakt serves both støttekontakt schemes).
SCHEMES_OF_ROLE: dict[str, tuple[Scheme, ...]] = {
    "støttekontakt": (Scheme.STOTTEKONTAKT, Scheme.STOTTEKONTAKT_BARNEVERN),
    "avlaster": (Scheme.PRIVAT_AVLASTNING,),
    "besøkshjem": (Scheme.BESOKSHJEM,),
}

SCHEME_WORDS = {
    Scheme.STOTTEKONTAKT: "støttekontakt",
    Scheme.STOTTEKONTAKT_BARNEVERN: "støttekontakt i barnevernet",
    Scheme.PRIVAT_AVLASTNING: "privat avlastning",
    Scheme.BESOKSHJEM: "besøkshjem",
}

DEFAULT_ATTEST_KINDS: dict[Scheme, frozenset[AttestKind]] = {
    Scheme.STOTTEKONTAKT: frozenset({AttestKind.ORDINARY, AttestKind.CHILD_CARE}),
    Scheme.PRIVAT_AVLASTNING: frozenset({AttestKind.ORDINARY, AttestKind.CHILD_CARE}),
    Scheme.STOTTEKONTAKT_BARNEVERN: frozenset({AttestKind.CHILD_CARE}),
    Scheme.BESOKSHJEM: frozenset({AttestKind.CHILD_CARE}),
}


def _every_scheme_with_a_kind(kinds: dict[Scheme, frozenset[AttestKind]]) -> dict[Scheme, frozenset[AttestKind]]:
    missing = [scheme.value for scheme in Scheme if not kinds.get(scheme)]
    if missing:
        raise ValueError(f"every scheme needs at least one attest kind; missing: {', '.join(missing)}")
    return kinds


AttestKindsByScheme = Annotated[dict[Scheme, frozenset[AttestKind]], AfterValidator(_every_scheme_with_a_kind)]


KIND_WORDS = {AttestKind.ORDINARY: "ordinær politiattest", AttestKind.CHILD_CARE: "barneomsorgsattest"}


def _words(kinds: Iterable[str]) -> str:
    given = {str(kind) for kind in kinds}
    ordered = [KIND_WORDS[kind] for kind in AttestKind if kind.value in given]
    return ordered[0] if len(ordered) == 1 else ", ".join(ordered[:-1]) + " eller " + ordered[-1]


class AttestRules:
    """The setting as rules: pure, no I/O."""

    def __init__(self, kinds: Mapping[Scheme, Iterable[AttestKind]] | None = None) -> None:
        given = DEFAULT_ATTEST_KINDS if kinds is None else kinds
        self.kinds = _every_scheme_with_a_kind({Scheme(s): frozenset(AttestKind(k) for k in ks)
                                                for s, ks in given.items()})

    def accepted(self, scheme: str) -> frozenset[AttestKind]:
        return self.kinds[Scheme(scheme)]

    def satisfies(self, kind: str | None, scheme: str) -> bool:
        return kind is not None and kind in {str(k) for k in self.accepted(scheme)}

    def accepted_in_words(self, scheme: str) -> str:
        """'barneomsorgsattest', or 'ordinær politiattest eller barneomsorgsattest'."""
        return _words(self.accepted(scheme))

    def missing(self, scheme: str) -> str:
        """The exclusion reason of a candidate without a valid attest this scheme accepts."""
        return f"mangler gyldig {self.accepted_in_words(scheme)}"

    def schemes_of_roles(self, roles: Iterable[str]) -> list[Scheme]:
        return [scheme for scheme in Scheme if any(scheme in SCHEMES_OF_ROLE.get(str(r), ()) for r in roles)]

    def covered(self, kind: str | None, roles: Iterable[str]) -> list[Scheme]:
        """The schemes, of those the roles serve, this kind of attest satisfies."""
        return [scheme for scheme in self.schemes_of_roles(roles) if self.satisfies(kind, scheme)]

    def suggested_kind(self, roles: Iterable[str]) -> AttestKind:
        """The kind to ask for (the formålsbekreftelse names it): the least demanding kind (ordinær before
        barneomsorgsattest) that serves every role in at least one of its schemes; else the kind that
        serves most roles. A støttekontakt who will also serve barnevern cases asks for a
        barneomsorgsattest: staff may name it instead."""
        roles = [str(role) for role in roles]

        def roles_served(kind: AttestKind) -> int:
            return sum(any(self.satisfies(kind, s) for s in SCHEMES_OF_ROLE.get(role, ())) for role in roles)

        for kind in AttestKind:
            if roles_served(kind) == len(roles):
                return kind
        return max(AttestKind, key=roles_served)


class AttestSettings(BaseSettings):
    """Mixed into the settings of every service that judges an attest (applications, matching,
    contracts), so the kommune sets it once: ATTEST_KINDS_BY_SCHEME."""

    attest_kinds_by_scheme: AttestKindsByScheme = DEFAULT_ATTEST_KINDS

    @property
    def attest_rules(self) -> AttestRules:
        return AttestRules(self.attest_kinds_by_scheme)
