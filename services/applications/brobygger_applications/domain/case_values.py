"""The words of a citizen's case: its statuses, the letters it sends, the Statsforvalteren's outcomes of a
klage, and what a vedtak decides. Pure values; the case itself is `case.ServiceApplication`."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class CaseStatus(StrEnum):
    RECEIVED = "mottatt"
    GRANTED = "innvilget"
    REFUSED = "avslått"
    APPEALED = "klage_til_behandling"
    AT_STATSFORVALTEREN = "hos_statsforvalteren"
    WITHDRAWN = "trukket"  # the søknad withdrawn before any vedtak
    ENDED = "avsluttet"  # the person ended a granted service (from `ended["ended_on"]`)


class LetterKind(StrEnum):
    DECISION = "vedtak"
    INTERIM_REPLY = "foreløpig_svar"


class StatsforvalterOutcome(StrEnum):
    UPHELD = "stadfestet"  # the kommune's decision stands
    REVERSED = "omgjort"  # the Statsforvalteren changed it
    SENT_BACK = "opphevet"  # set aside and sent back for a new decision


@dataclass(frozen=True)
class NewDecision:
    """What a vedtak decides: granted with scope and period, or refused."""

    granted: bool
    scope: float | None = None
    period_from: date | None = None
    period_to: date | None = None
