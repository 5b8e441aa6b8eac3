"""The applications service's aggregates and their private events. Pure: no I/O, no frameworks.

- `schemes`: the schemes, their legal basis, scope unit and appeal rules.
- `case`: a citizen's søknad (ServiceApplication), from receipt through kartlegging, vedtak and klage to
  withdrawal or ending, and the letters it sends (docs/domain.md, "A citizen's case").
- `case_values`: the case's statuses, letter kinds, the Statsforvalteren's outcomes, what a vedtak decides.
- `volunteer`: a would-be oppdragstaker's way in (VolunteerApplication): interview, formålsbekreftelse,
  politiattest, taushetserklæring, approval.
- `case_numbers`: the kommune's running case numbers, one series a year (2026/0142).
- `erasure`: what blocks erasing a person, and the record that they were (crypto-shredding).

Events carry the context publishing needs (the scheme, the volunteer's id), so that the mapping to
integration events is a function of the event alone. Each command checks its rule first and only then
records an event (a private method decorated with @event), so replaying history never re-checks rules
that may since have changed. A broken rule is a `RuleViolation` whose message a caseworker can read.

The aggregates are stored under topics naming this package (`brobygger_applications.domain:
ServiceApplication.Decided`, from before the domain was split into modules): each declares it as its
__module__, and resolving a stored topic finds the class here.
"""

from brobygger_applications.domain.case import INTERIM_REPLY_AFTER_MONTHS, ServiceApplication
from brobygger_applications.domain.case_values import CaseStatus, LetterKind, NewDecision, StatsforvalterOutcome
from brobygger_applications.domain.case_numbers import CaseNumberSeries
from brobygger_applications.domain.erasure import ContractState, PersonErasure, TimesheetState, erasure_blockers
from brobygger_applications.domain.schemes import APPEAL_RULES, LEGAL_BASIS, MAX_SCOPE, UNIT_WORDS, AppealRule, Scheme
from brobygger_applications.domain.volunteer import (
    ApplicantTooOld,
    ApplicantTooYoung,
    CertificateKind,
    InterviewAssessment,
    Role,
    VolunteerApplication,
    VolunteerStage,
    check_age,
)

__all__ = [
    "APPEAL_RULES", "AppealRule", "CaseNumberSeries",
    "INTERIM_REPLY_AFTER_MONTHS", "LEGAL_BASIS", "MAX_SCOPE", "UNIT_WORDS",
    "ApplicantTooOld", "ApplicantTooYoung", "CaseStatus", "LetterKind", "CertificateKind",
    "InterviewAssessment", "NewDecision", "Role", "Scheme", "ServiceApplication", "StatsforvalterOutcome",
    "VolunteerApplication", "VolunteerStage", "check_age",
    "ContractState", "PersonErasure", "TimesheetState", "erasure_blockers",
]
