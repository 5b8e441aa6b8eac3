"""Who fits whom, and the Match aggregate. Pure: no I/O, no frameworks (numpy and scipy do the sums).

Ranking: hard constraints exclude a candidate and say which; soft criteria score, each with its
contribution, with weights from settings. The whole waiting list is assigned at once by a linear
assignment (scipy's Jonker-Volgenant solver) over the score matrix, each candidate's remaining
capacity expanded into that many columns, and a zero-score "no proposal" column per case, so a case
stays unassigned rather than take an excluded candidate.

A case's wishes about the helper (from the søknad's `helper_wishes`) use these keys: `gender`
("kvinne"/"mann"), `gender_required` ("ja" makes the gender a hard constraint), `language`,
`age_from`, `age_to`, `siblings` (a besøkshjem case with siblings placed together).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date, timedelta
from enum import StrEnum
from uuid import NAMESPACE_URL, UUID, uuid5

import numpy as np
from eventsourcing.domain import Aggregate, event
from scipy.optimize import linear_sum_assignment

from brobygger_shared.attests import AttestRules
from brobygger_shared.calendar import age_on
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
    birth_date: date
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
    birth_date: date
    waiting_since: date
    helper_wishes: dict = field(default_factory=dict)

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


# -- the candidate pool as arrays: built once, scored against one case or the whole list -------------


class CandidatePool:
    def __init__(self, candidates: Sequence[Candidate], today: date, capacity: int,
                 attests: AttestRules | None = None) -> None:
        self.candidates = sorted(candidates, key=lambda c: str(c.volunteer_id))  # deterministic order
        self.today = today
        self.capacity = capacity
        self.attests = attests or AttestRules()  # the kommune's setting: which attest kinds satisfy which scheme
        cs = self.candidates
        self.interest_vocabulary = sorted({i for c in cs for i in c.interests})
        self.language_vocabulary = sorted({lang for c in cs for lang in c.languages})
        self.interests = _one_hot([c.interests for c in cs], self.interest_vocabulary)
        self.languages = _one_hot([c.languages for c in cs], self.language_vocabulary)
        self.area = np.array([c.area for c in cs], dtype=object)
        self.gender = np.array([Gender.read(c.gender) or "" for c in cs], dtype=object)
        self.age = np.array([age_on(c.birth_date, today) for c in cs], dtype=np.int64)
        self.has_car = np.array([c.has_car for c in cs], dtype=bool)
        self.has_licence = np.array([c.has_driving_licence for c in cs], dtype=bool)
        self.has_bedroom = np.array([c.has_spare_bedroom for c in cs], dtype=bool)
        self.spare_beds = np.array([c.spare_beds if c.has_spare_bedroom else 0 for c in cs], dtype=np.int64)
        self.certificate_valid = np.array([c.certificate_valid for c in cs], dtype=bool)
        self.certificate_kind = np.array([c.certificate_kind or "" for c in cs], dtype=object)
        self.capacity_left = np.array([max(capacity - c.assignments, 0) for c in cs], dtype=np.int64)
        self.roles = {role: np.array([role in c.roles for c in cs], dtype=bool) for role in set(ROLE_FOR_SCHEME.values())}

    def __len__(self) -> int:
        return len(self.candidates)

    def constraints(self, case: WaitingCase) -> dict[str, np.ndarray]:
        """Each hard constraint as a mask of the candidates that meet it, with its reason as key."""
        masks = {
            f"kan ikke være {case.required_role}": self.roles[case.required_role],
            self.attests.missing(case.scheme):
                self.certificate_valid & np.isin(self.certificate_kind, [str(kind) for kind in
                                                                         self.attests.accepted(case.scheme)]),
            "har ikke ledig kapasitet": self.capacity_left > 0,
        }
        if case.scheme == "privat_avlastning":
            masks["har ikke bil til henting og levering"] = self.has_car
            masks["har ikke førerkort til henting og levering"] = self.has_licence
            masks["har ikke eget soverom til overnatting"] = self.has_bedroom
        if case.scheme == "besøkshjem" and case.siblings > 1:
            masks[f"har ikke plass til {case.siblings} søsken sammen"] = self.spare_beds >= case.siblings
        if case.gender_required and case.wished_gender:
            stated = self.gender != ""
            masks["har ikke oppgitt kjønn, og søkeren krever " + case.wished_gender] = stated
            masks[f"er ikke {case.wished_gender}, som søkeren krever"] = ~stated | (self.gender == case.wished_gender)
        return masks

    @staticmethod
    def maxima(case: WaitingCase, weights: Weights) -> dict[str, float]:
        """The most each soft criterion of `contributions` can give for this case."""
        most = {"felles interesser": weights.max_shared_interests * weights.per_shared_interest,
                "samme område": weights.same_area}
        if case.wished_language:
            most["snakker ønsket språk"] = weights.language
        if case.wished_ages:
            most["alder som ønsket"] = weights.age_fit
        if case.wished_gender and not case.gender_required:
            most["kjønn som ønsket"] = weights.gender_wish
        return most

    def contributions(self, case: WaitingCase, weights: Weights) -> dict[str, np.ndarray]:
        """Each soft criterion's points for every candidate."""
        case_interests = _one_hot([case.interests], self.interest_vocabulary)[0]
        shared = self.interests @ case_interests
        points = {
            "felles interesser": np.minimum(shared, weights.max_shared_interests) * weights.per_shared_interest,
            "samme område": (self.area == case.area) * weights.same_area,
        }
        if case.wished_language:
            spoken = self.languages[:, self.language_vocabulary.index(case.wished_language)] \
                if case.wished_language in self.language_vocabulary else np.zeros(len(self), dtype=bool)
            points["snakker ønsket språk"] = spoken * weights.language
        if case.wished_ages:
            low, high = case.wished_ages
            points["alder som ønsket"] = ((self.age >= low) & (self.age <= high)) * weights.age_fit
        if case.wished_gender and not case.gender_required:
            points["kjønn som ønsket"] = (self.gender == case.wished_gender) * weights.gender_wish
        return points


def _one_hot(sets: Sequence[frozenset[str]], vocabulary: list[str]) -> np.ndarray:
    index = {word: position for position, word in enumerate(vocabulary)}
    matrix = np.zeros((len(sets), max(len(vocabulary), 1)), dtype=np.float64)
    for row, words in enumerate(sets):
        for word in words:
            if word in index:
                matrix[row, index[word]] = 1.0
    return matrix


# -- one case: every candidate ranked and explained ---------------------------------------------------


# How a criterion that gave no points reads in an explanation.
NOT_MET = {
    "felles interesser": "ingen felles interesser",
    "samme område": "ikke samme område",
    "snakker ønsket språk": "snakker ikke ønsket språk",
    "alder som ønsket": "alder ikke som ønsket",
    "kjønn som ønsket": "kjønn ikke som ønsket",
}


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    score: float
    contributions: dict[str, float]
    excluded_because: list[str]
    maxima: dict[str, float] = field(default_factory=dict)  # the most each criterion could give

    @property
    def eligible(self) -> bool:
        return not self.excluded_because

    def explanation(self) -> str:
        """Why this person stands where they do: an exclusion (without a score, which would read as a
        near miss), or the points of each criterion met and the ones not met."""
        name = self.candidate.full_name
        if self.excluded_because:
            return f"{name} er utelukket: {', '.join(self.excluded_because)}."
        met = [f"{label} (+{points:g})" for label, points in self.contributions.items() if points]
        not_met = [f"{NOT_MET.get(label, label + ' ikke oppfylt')}, 0 av {self.maxima[label]:g}"
                   for label, points in self.contributions.items() if not points and self.maxima.get(label)]
        text = f"{name}: {self.score:g} poeng" + (" for " + ", ".join(met) if met else "")
        return text + ("; ikke oppfylt: " + "; ".join(not_met) if not_met else "") + "."


def rank(case: WaitingCase, pool: CandidatePool, weights: Weights) -> list[Ranked]:
    """Eligible candidates best first (ties by id), then the excluded ones with their reasons."""
    masks = pool.constraints(case)
    points = pool.contributions(case, weights)
    total = sum(points.values(), np.zeros(len(pool)))
    eligible = np.logical_and.reduce(list(masks.values())) if masks else np.ones(len(pool), dtype=bool)
    order = np.lexsort((np.arange(len(pool)), -total, ~eligible))
    maxima = pool.maxima(case, weights)
    ranked = []
    for i in order:
        excluded = [] if eligible[i] else [reason for reason, mask in masks.items() if not mask[i]]
        ranked.append(Ranked(pool.candidates[i], float(total[i]),
                             {label: float(values[i]) for label, values in points.items()}, excluded, maxima))
    return ranked


# -- the whole waiting list ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    application_id: UUID
    volunteer_id: UUID
    score: float  # the candidate's score for the case, without the waiting bonus


@dataclass(frozen=True)
class LeftOut:
    """A case the whole-list assignment could not consider, and why, so staff can see to it."""

    application_id: UUID
    field: str
    reason: str


def readable(cases: Sequence[WaitingCase]) -> tuple[list[WaitingCase], list[LeftOut]]:
    """The cases whose wishes can be read, and the others named: one case's unreadable wish (stored
    before wishes were checked) must never stop the list for everyone."""
    ok, left_out = [], []
    for case in cases:
        try:
            case.wishes
        except InvalidValue as error:
            left_out.append(LeftOut(case.application_id, error.field, error.message))
        else:
            ok.append(case)
    return ok, left_out


def assign(cases: Sequence[WaitingCase], pool: CandidatePool, weights: Weights, today: date) -> list[Suggestion]:
    """The proposals that maximise the total score under the hard constraints and each person's
    capacity; every day a case has waited adds to its pairs, so long waits are served first. Cases
    whose wishes cannot be read are not considered (`readable` names them)."""
    cases = sorted(readable(cases)[0], key=lambda c: str(c.application_id))
    if not cases or not len(pool):
        return []
    scores = np.empty((len(cases), len(pool)))
    feasible = np.empty((len(cases), len(pool)), dtype=bool)
    for row, case in enumerate(cases):
        scores[row] = sum(pool.contributions(case, weights).values(), np.zeros(len(pool)))
        masks = pool.constraints(case)
        feasible[row] = np.logical_and.reduce(list(masks.values()))
    waited = np.array([(today - case.waiting_since).days for case in cases], dtype=float)
    # +1 so that an eligible pair with no soft points still beats leaving the case without a proposal.
    benefit = np.where(feasible, scores + 1.0 + weights.per_day_waited * waited[:, None], -1e9)

    columns = np.repeat(np.arange(len(pool)), pool.capacity_left)  # one column per free place
    stay_unassigned = np.full((len(cases), len(cases)), -1e9)
    np.fill_diagonal(stay_unassigned, 0.0)
    matrix = np.hstack([benefit[:, columns], stay_unassigned])
    rows, chosen = linear_sum_assignment(matrix, maximize=True)

    suggestions = []
    for row, column in zip(rows, chosen):
        if column < len(columns) and feasible[row, columns[column]]:
            candidate = columns[column]
            suggestions.append(Suggestion(cases[row].application_id, pool.candidates[candidate].volunteer_id,
                                          float(scores[row, candidate])))
    return suggestions


# -- the Match aggregate ------------------------------------------------------------------------------



class MatchStatus(StrEnum):
    PROPOSED = "foreslått"
    MATCHED = "matchet"
    DECLINED = "avslått"
    LAPSED = "utløpt"


class Party(StrEnum):
    USER = "bruker"
    VOLUNTEER = "oppdragstaker"


class Match(Aggregate):
    """A proposal of one oppdragstaker for one case, answered by both sides."""

    @event("Proposed")
    def __init__(self, application_id: UUID, volunteer_id: UUID, scheme: str, scope: float, scope_unit: str,
                 period_from: date, period_to: date, proposed_by: str, proposed_on: date, expires_on: date,
                 user_birth_date: date | None = None) -> None:
        self.application_id = application_id
        self.user_birth_date = user_birth_date
        self.volunteer_id = volunteer_id
        self.scheme = scheme
        self.scope = scope
        self.scope_unit = scope_unit
        self.period_from = period_from
        self.period_to = period_to
        self.proposed_on = proposed_on
        self.expires_on = expires_on
        self.accepted_by: list[str] = []
        self.status = MatchStatus.PROPOSED

    @classmethod
    def propose(cls, application_id: UUID, volunteer_id: UUID, scheme: str, scope: float, scope_unit: str,
                period_from: date, period_to: date, proposed_by: str, today: date, lapse_after_days: int,
                user_birth_date: date | None = None) -> "Match":
        return cls(application_id=application_id, volunteer_id=volunteer_id, scheme=scheme, scope=scope,
                   scope_unit=scope_unit, period_from=period_from, period_to=period_to, proposed_by=proposed_by,
                   proposed_on=today, expires_on=today + timedelta(days=lapse_after_days),
                   user_birth_date=user_birth_date)

    def accept(self, party: Party, today: date) -> None:
        self._require_open(today)
        if party in self.accepted_by:
            raise RuleViolation(f"Forslaget er allerede godtatt av {party}.")
        self._accepted(party=Party(party), accepted_on=today)
        if set(self.accepted_by) == {Party.USER, Party.VOLUNTEER}:
            self._matched(application_id=self.application_id, volunteer_id=self.volunteer_id, scheme=self.scheme,
                          scope=self.scope, scope_unit=self.scope_unit, period_from=self.period_from,
                          period_to=self.period_to, matched_on=today, user_birth_date=self.user_birth_date)

    @event("Accepted")
    def _accepted(self, party: Party, accepted_on: date) -> None:
        self.accepted_by = [*self.accepted_by, str(party)]

    @event("Matched")
    def _matched(self, application_id: UUID, volunteer_id: UUID, scheme: str, scope: float, scope_unit: str,
                 period_from: date, period_to: date, matched_on: date, user_birth_date: date | None = None) -> None:
        self.status = MatchStatus.MATCHED

    def decline(self, party: Party, reason: str, today: date) -> None:
        self._require_open(today)
        if not reason.strip():
            raise RuleViolation("Et avslag må begrunnes.")
        self._declined(application_id=self.application_id, volunteer_id=self.volunteer_id, scheme=self.scheme,
                       declined_by=str(Party(party)), reason=reason, declined_on=today)

    def lapse(self, today: date) -> None:
        if self.status != MatchStatus.PROPOSED or today <= self.expires_on:
            raise RuleViolation("Forslaget er ikke utløpt.")
        self._declined(application_id=self.application_id, volunteer_id=self.volunteer_id, scheme=self.scheme,
                       declined_by="utløpt", reason="Forslaget ble ikke besvart i tide.", declined_on=today)

    @event("Declined")
    def _declined(self, application_id: UUID, volunteer_id: UUID, scheme: str, declined_by: str, reason: str,
                  declined_on: date) -> None:
        self.status = MatchStatus.LAPSED if declined_by == "utløpt" else MatchStatus.DECLINED

    def _require_open(self, today: date) -> None:
        if self.status != MatchStatus.PROPOSED:
            raise RuleViolation(f"Forslaget er {self.status}; det kan ikke besvares.")
        if today > self.expires_on:
            raise RuleViolation(f"Forslaget utløp {self.expires_on:%d.%m.%Y}.")


# -- the places one oppdragstaker holds ----------------------------------------------------------------


def contract_id_of(match_id: UUID) -> UUID:
    """The id the contracts service gives the contract it drafts from a match (draft_on_match)."""
    return uuid5(NAMESPACE_URL, f"contract-for-match:{match_id}")


class VolunteerLoad(Aggregate):
    """The places one oppdragstaker holds: open proposals, and matches whose contract has not ended.

    Saved in the same transaction as the Match it changes; its version is the lock, so two proposals
    made at the same moment cannot both take the last place (the loser reloads and is checked again).
    """

    @staticmethod
    def create_id(volunteer_id: UUID) -> UUID:
        return uuid5(NAMESPACE_URL, f"volunteer-load:{volunteer_id}")

    @event("Opened")
    def __init__(self, volunteer_id: UUID) -> None:
        self.volunteer_id = volunteer_id
        self.places: list[str] = []  # match ids

    def hold(self, match_id: UUID, capacity: int, ended_contracts: set[UUID]) -> None:
        """Take a place for a new proposal, after giving back those whose contract has ended."""
        for held in list(self.places):
            if contract_id_of(UUID(held)) in ended_contracts:
                self._released(match_id=UUID(held))
        if len(self.places) >= capacity:
            raise RuleViolation(f"Personen har ikke ledig kapasitet: {len(self.places)} av {capacity} plasser er "
                                "tatt av forslag som venter på svar og avtaler som løper.")
        self._held(match_id=match_id)

    def release(self, match_id: UUID) -> None:
        """A proposal declined or lapsed gives its place back."""
        if str(match_id) in self.places:
            self._released(match_id=match_id)

    @event("PlaceHeld")
    def _held(self, match_id: UUID) -> None:
        self.places = [*self.places, str(match_id)]

    @event("PlaceReleased")
    def _released(self, match_id: UUID) -> None:
        self.places = [held for held in self.places if held != str(match_id)]
