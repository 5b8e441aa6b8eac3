"""The candidate pool as arrays, built once and scored against one case or the whole list: each hard
constraint a mask, each soft criterion its points. Pure (numpy does the sums)."""

from collections.abc import Sequence
from datetime import date

import numpy as np

from brobygger_shared.attests import AttestRules
from brobygger_shared.calendar import age_on
from brobygger_shared.wishes import Gender
from brobygger_matching.domain.candidates import ROLE_FOR_SCHEME, Candidate, Weights, WaitingCase


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
        # an erased person's birth date is gone (crypto-shredding): no age, so no age wish fits them
        self.age = np.array([age_on(c.birth_date, today) if c.birth_date else -1 for c in cs], dtype=np.int64)
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
