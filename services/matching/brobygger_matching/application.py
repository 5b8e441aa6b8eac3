"""Matching's eventsourcing Application: proposals and their answers."""

from collections.abc import Callable
from datetime import date
from uuid import UUID

from brobygger_matching.domain import Match
from brobygger_shared.eventstore import ServiceApplication


class MatchNotFound(LookupError):
    pass


class MatchingApplication(ServiceApplication):
    def propose(self, application_id: UUID, volunteer_id: UUID, scheme: str, scope: float, scope_unit: str,
                period_from: date, period_to: date, proposed_by: str, today: date, user_birth_date: date) -> Match:
        match = Match.propose(application_id, volunteer_id, scheme, scope, scope_unit, period_from, period_to,
                              proposed_by, today, self.settings.proposal_lapse_days, user_birth_date)
        self.save(match)
        return match

    def change(self, match_id: UUID, command: Callable[[Match], None]) -> Match:
        match = self.match(match_id)
        command(match)
        self.save(match)
        return match

    def match(self, match_id: UUID) -> Match:
        return self.get_aggregate(match_id, Match, MatchNotFound)
