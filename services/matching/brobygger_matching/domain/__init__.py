"""Who fits whom, and the Match aggregate. Pure: no I/O, no frameworks (numpy and scipy do the sums).

- `candidates`: the two sides (Candidate, WaitingCase with its wishes) and the weights.
- `pool`: the candidates as arrays; each hard constraint a mask, each soft criterion its points.
- `ranking`: one case, every candidate ranked and explained; `proposable`, the rule a proposal meets.
- `assignment`: the whole waiting list assigned at once.
- `match`: the Match aggregate, a proposal answered by both sides, the first meeting, the follow-up.
- `load`: the places one oppdragstaker holds (VolunteerLoad).
- `guidance`: training and guidance sessions for oppdragstakere, with each one's attendance.

Ranking: hard constraints exclude a candidate and say which; soft criteria score, each with its
contribution, with weights from settings.

A case's wishes about the helper (from the søknad's `helper_wishes`) use these keys: `gender`
("kvinne"/"mann"), `gender_required` ("ja" makes the gender a hard constraint), `language`,
`age_from`, `age_to`, `siblings` (a besøkshjem case with siblings placed together).

The aggregates are stored under topics naming this package (`brobygger_matching.domain:Match.Proposed`,
from before the domain was split into modules): each declares it as its __module__ (`stored`), and
resolving a stored topic finds the class here.
"""

from brobygger_matching.domain.assignment import Suggestion, assign
from brobygger_matching.domain.candidates import (
    ROLE_FOR_SCHEME,
    Candidate,
    LeftOut,
    UnreadableWishes,
    WaitingCase,
    Weights,
    readable,
    require_readable,
)
from brobygger_matching.domain.guidance import GuidanceKind, GuidanceSession
from brobygger_matching.domain.load import VolunteerLoad, contract_id_of
from brobygger_matching.domain.match import FollowUpOutcome, FollowUpPlan, GroupCase, Match, MatchStatus, Party
from brobygger_matching.domain.pool import CandidatePool
from brobygger_matching.domain.ranking import NOT_MET, Excluded, Ranked, proposable, rank
from brobygger_shared.rules import RuleViolation

__all__ = [
    "GroupCase",
    "NOT_MET", "ROLE_FOR_SCHEME", "Candidate", "CandidatePool", "Excluded", "FollowUpOutcome", "FollowUpPlan",
    "GuidanceKind", "GuidanceSession", "LeftOut", "Match", "MatchStatus",
    "Party", "Ranked", "RuleViolation", "Suggestion", "UnreadableWishes", "VolunteerLoad", "WaitingCase", "Weights",
    "assign", "contract_id_of", "proposable", "rank", "readable", "require_readable",
]
