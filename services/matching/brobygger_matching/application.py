"""Matching's eventsourcing Application: proposals and their answers, and the places each
oppdragstaker holds (saved with the proposal that takes or gives back a place)."""

from collections.abc import Callable
from datetime import date
from uuid import UUID

from eventsourcing.persistence import RecordConflictError

from brobygger_matching.domain import Match, MatchStatus, VolunteerLoad
from brobygger_shared.eventstore import ServiceApplication

ATTEMPTS = 5  # a proposal that lost the race for a person's places is checked again on fresh state


class MatchNotFound(LookupError):
    pass


class MatchingApplication(ServiceApplication):
    def propose(self, application_id: UUID, volunteer_id: UUID, scheme: str, scope: float, scope_unit: str,
                period_from: date, period_to: date, proposed_by: str, today: date, user_birth_date: date,
                ended_contracts: set[UUID] = frozenset()) -> Match:
        """A proposal, if the person has a free place: open proposals count as taken (RuleViolation if not)."""
        def attempt() -> Match:
            match = Match.propose(application_id, volunteer_id, scheme, scope, scope_unit, period_from, period_to,
                                  proposed_by, today, self.settings.proposal_lapse_days, user_birth_date)
            load = self._load(volunteer_id)
            load.hold(match.id, self.settings.capacity_per_person, set(ended_contracts))
            self.save(match, load)
            return match

        return self._retried(attempt)

    def change(self, match_id: UUID, command: Callable[[Match], None]) -> Match:
        """Answer a proposal; one declined or lapsed gives its place back in the same transaction."""
        def attempt() -> Match:
            match = self.match(match_id)
            command(match)
            if match.status in (MatchStatus.DECLINED, MatchStatus.LAPSED):
                load = self._load(match.volunteer_id)
                load.release(match.id)
                self.save(match, load)
            else:
                self.save(match)
            return match

        return self._retried(attempt)

    def match(self, match_id: UUID) -> Match:
        return self.get_aggregate(match_id, Match, MatchNotFound)

    def _load(self, volunteer_id: UUID) -> VolunteerLoad:
        try:
            return self.get_aggregate(VolunteerLoad.create_id(volunteer_id), VolunteerLoad, LookupError)
        except LookupError:
            return VolunteerLoad(volunteer_id=volunteer_id)

    @staticmethod
    def _retried(attempt: Callable[[], Match]) -> Match:
        for _ in range(ATTEMPTS - 1):
            try:
                return attempt()
            except RecordConflictError:
                continue  # someone else changed the same person's places: check again on fresh state
        return attempt()
