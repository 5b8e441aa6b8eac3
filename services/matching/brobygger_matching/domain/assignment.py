"""The whole waiting list assigned at once: a linear assignment (scipy's Jonker-Volgenant solver) over
the score matrix, each candidate's remaining capacity expanded into that many columns, and a zero-score
"no proposal" column per case, so a case stays unassigned rather than take an excluded candidate. Pure."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

import numpy as np
from scipy.optimize import linear_sum_assignment

from brobygger_matching.domain.candidates import Weights, WaitingCase, readable
from brobygger_matching.domain.pool import CandidatePool


@dataclass(frozen=True)
class Suggestion:
    application_id: UUID
    volunteer_id: UUID
    score: float  # the candidate's score for the case, without the waiting bonus


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
