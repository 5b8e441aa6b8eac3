"""The two sides of a match as the ranking reads them: a candidate (an approved oppdragstaker) and a
waiting case with the wishes of its søknad, and the weights of the soft criteria. Pure."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date
from uuid import UUID

from brobygger_shared.rules import InvalidValue, RuleViolation
from brobygger_shared.wishes import Gender, HelperWishes


ROLE_FOR_SCHEME = {
    "støttekontakt": "støttekontakt",
    "støttekontakt_barnevern": "støttekontakt",
    "privat_avlastning": "avlaster",
    "besøkshjem": "besøkshjem",
}


@dataclass(frozen=True)
class Weights:
    """Points per criterion (settings). Waiting time only weighs in when the whole list is assigned."""

    per_shared_interest: float = 10.0
    max_shared_interests: int = 3
    same_area: float = 15.0
    language: float = 10.0
    age_fit: float = 10.0
    gender_wish: float = 5.0
    per_day_waited: float = 0.1


@dataclass(frozen=True)
class Candidate:
    volunteer_id: UUID
    full_name: str
    roles: frozenset[str]
    interests: frozenset[str]
    languages: frozenset[str]
    gender: str | None
    birth_date: date | None  # None once the person is erased
    area: str
    has_car: bool
    has_spare_bedroom: bool
    certificate_kind: str | None
    certificate_valid: bool  # verified, and no renewal due since
    assignments: int  # places taken: open proposals and matches whose contract has not ended
    spare_beds: int = 1
    has_driving_licence: bool = True


@dataclass(frozen=True)
class WaitingCase:
    application_id: UUID
    scheme: str
    area: str
    interests: frozenset[str]
    birth_date: date | None  # None once the person is erased
    waiting_since: date | None  # the day of the vedtak that granted it; None before one
    helper_wishes: dict = field(default_factory=dict)
    # What a match for it records and publishes (the granted scope and period, and the case's place on the
    # waiting list: only a case "venter" can be proposed for).
    status: str = "venter"
    scope: float | None = None
    scope_unit: str | None = None
    period_from: date | None = None
    period_to: date | None = None

    @property
    def required_role(self) -> str:
        return ROLE_FOR_SCHEME[self.scheme]

    @cached_property
    def wishes(self) -> HelperWishes:
        """The wishes, read with the kernel's vocabulary; `InvalidValue` names one that cannot be read."""
        return HelperWishes.read(self.helper_wishes, ignore_unknown=True)

    @property
    def wished_gender(self) -> Gender | None:
        return self.wishes.gender

    @property
    def gender_required(self) -> bool:
        return self.wishes.gender_required

    @property
    def wished_language(self) -> str | None:
        return self.wishes.language

    @property
    def wished_ages(self) -> tuple[int, int] | None:
        wishes = self.wishes
        if wishes.age_from is None and wishes.age_to is None:
            return None
        return wishes.age_from or 0, wishes.age_to or 200

    @property
    def siblings(self) -> int:
        return self.wishes.siblings or 0


@dataclass(frozen=True)
class LeftOut:
    """A case the whole-list assignment could not consider, and why, so staff can see to it."""

    application_id: UUID
    field: str
    reason: str


class UnreadableWishes(RuleViolation):
    """A case whose wishes cannot be read (stored before wishes were checked): it cannot be ranked."""

    def __init__(self, case: LeftOut) -> None:
        super().__init__(f"Ønskene i søknaden kan ikke leses: {case.reason}")
        self.field = case.field
        self.reason = case.reason


def require_readable(case: WaitingCase) -> WaitingCase:
    """The case, if its wishes can be read (UnreadableWishes naming the wish if not)."""
    left_out = readable([case])[1]
    if left_out:
        raise UnreadableWishes(left_out[0])
    return case


def readable(cases: Sequence[WaitingCase]) -> tuple[list[WaitingCase], list[LeftOut]]:
    """The cases whose wishes can be read, and the others named: one case's unreadable wish (stored
    before wishes were checked) must never stop the list for everyone."""
    ok, left_out = [], []
    for case in cases:
        try:
            case.wishes  # noqa: B018 - reading the wishes validates them
        except InvalidValue as error:
            left_out.append(LeftOut(case.application_id, error.field, error.message))
        else:
            ok.append(case)
    return ok, left_out
