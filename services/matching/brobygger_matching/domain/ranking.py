"""One case: every candidate ranked and explained, and the rule a proposal must meet (the candidate is
approved and no hard constraint excludes them). Pure."""

from dataclasses import dataclass, field
from uuid import UUID

import numpy as np

from brobygger_matching.domain.candidates import Candidate, Weights, WaitingCase, require_readable
from brobygger_matching.domain.pool import CandidatePool
from brobygger_shared.rules import RuleViolation


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


# -- the rule a proposal must meet ----------------------------------------------------------------------


class Excluded(RuleViolation):
    """A hard constraint excludes the candidate from the case; `excluded_because` names each."""

    def __init__(self, ranked: Ranked) -> None:
        super().__init__(ranked.explanation())
        self.excluded_because = ranked.excluded_because


def proposable(case: WaitingCase, volunteer_id: UUID, pool: CandidatePool, weights: Weights) -> Ranked:
    """The candidate as ranked for the case, if they may be proposed for it: the case is on the waiting
    list and its wishes can be read, the person is an approved oppdragstaker, and no hard constraint
    excludes them. RuleViolation (Excluded, UnreadableWishes) says why not."""
    if case.status != "venter":
        raise RuleViolation(f"Saken står ikke på ventelisten (status: {case.status}).")
    require_readable(case)
    ranked = next((r for r in rank(case, pool, weights) if r.candidate.volunteer_id == volunteer_id), None)
    if ranked is None:
        raise RuleViolation("Personen er ikke en godkjent oppdragstaker.")
    if not ranked.eligible:
        raise Excluded(ranked)
    return ranked
