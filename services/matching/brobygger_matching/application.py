"""Matching's eventsourcing Application: one method per use case. Proposals and their answers, and the
places each oppdragstaker holds (saved with the proposal that takes or gives back a place).

The read side (the waiting list, the approved candidates, the contracts that ended) is read by the route
and handed in; every rule is checked here or in the domain.
"""

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from uuid import UUID

from eventsourcing.persistence import RecordConflictError

from brobygger_matching.domain import (
    Candidate,
    CandidatePool,
    FollowUpOutcome,
    FollowUpPlan,
    GroupCase,
    GuidanceKind,
    GuidanceSession,
    Match,
    MatchStatus,
    Party,
    Ranked,
    Suggestion,
    VolunteerLoad,
    WaitingCase,
    assign,
    proposable,
    rank,
    require_readable,
)
from brobygger_shared.eventstore import EventSourcedApplication
from brobygger_shared.rules import RuleViolation

ATTEMPTS = 5  # a proposal that lost the race for a person's places is checked again on fresh state

# The waiting list's statuses of a case no proposal can be accepted for.
CLOSED = ("trukket", "avsluttet")


class MatchNotFound(LookupError):
    pass


class MatchingApplication(EventSourcedApplication):
    # -- queries on the read side's facts --

    def pool(self, candidates: Sequence[Candidate], today: date) -> CandidatePool:
        return CandidatePool(candidates, today, self.settings.capacity_per_person, self.settings.attest_rules)

    def ranked(self, case: WaitingCase, candidates: Sequence[Candidate], today: date) -> list[Ranked]:
        """Every approved candidate ranked for one granted case (RuleViolation if it has no vedtak yet, or
        its wishes cannot be read)."""
        if case.waiting_since is None:
            raise RuleViolation("Saken har ikke noe innvilget vedtak ennå.")
        return rank(require_readable(case), self.pool(candidates, today), self.settings.weights)

    def suggestions(self, cases: Sequence[WaitingCase], candidates: Sequence[Candidate],
                    today: date) -> list[Suggestion]:
        """The best proposals for the whole list at once (cases whose wishes cannot be read left out)."""
        return assign(cases, self.pool(candidates, today), self.settings.weights, today)

    def match(self, match_id: UUID) -> Match:
        return self.get_aggregate(match_id, Match, MatchNotFound)

    # -- commands --

    def propose(self, case: WaitingCase, volunteer_id: UUID, candidates: Sequence[Candidate], proposed_by: str,
                today: date, ended_contracts: Iterable[UUID] = frozenset()) -> Match:
        """Propose an oppdragstaker for a waiting case: refused (RuleViolation) unless the case waits, the
        person is approved and no hard constraint excludes them (`proposable`), and the person has a free
        place, open proposals counted as taken."""
        proposable(case, volunteer_id, self.pool(candidates, today), self.settings.weights)

        def attempt() -> Match:
            match = Match.propose(case.application_id, volunteer_id, case.scheme, case.scope, case.scope_unit,
                                  case.period_from, case.period_to, proposed_by, today,
                                  self.settings.proposal_lapse_days, case.birth_date)
            load = self._load(volunteer_id)
            load.hold(match.id, self.settings.capacity_per_person, set(ended_contracts))
            self.save(match, load)
            return match

        return self._retried(attempt)

    def accept(self, match_id: UUID, party: Party, today: date, case_status: str | None = None) -> Match:
        """One side says yes in principle; when both have, the first meeting is to be planned. Refused when
        the case has since been withdrawn or ended (`case_status`, from the waiting list)."""
        if case_status in CLOSED:
            raise RuleViolation(f"Saken er {case_status}; forslaget kan ikke godtas.")
        within = self.settings.first_meeting_within_days
        return self._answer(match_id, lambda match: match.accept(party, today, within))

    def plan_first_meeting(self, match_id: UUID, meeting_on: date, place: str, kommune_attendee: str,
                           today: date) -> Match:
        """Plan (or move) the first meeting of a proposal both sides said yes to."""
        return self._answer(match_id, lambda match: match.plan_first_meeting(meeting_on, place, kommune_attendee,
                                                                             today))

    def confirm(self, match_id: UUID, party: Party, today: date, case_status: str | None = None) -> Match:
        """After the first meeting one side confirms; when both have, the match is made (VolunteerMatched)
        with the scheme's follow-up plan."""
        if case_status in CLOSED:
            raise RuleViolation(f"Saken er {case_status}; matchen kan ikke bekreftes.")
        return self._answer(match_id, lambda match: match.confirm(party, today, self.follow_up_plan(match.scheme)))

    def follow_up_plan(self, scheme: str) -> FollowUpPlan:
        after = self.settings.follow_up_after_days.get(scheme, [14, 91])
        return FollowUpPlan(tuple(after), self.settings.follow_up_every_days)

    def record_follow_up(self, match_id: UUID, held_on: date, held_by: str, note: str, outcome: FollowUpOutcome,
                         today: date) -> Match:
        """A follow-up contact held on a match that is made."""
        return self._answer(match_id, lambda match: match.record_follow_up(held_on, held_by, note, outcome, today))

    def form_group(self, match_id: UUID, members: Sequence[WaitingCase], partner: str | None, today: date,
                   may_mix_barnevern: bool = False) -> Match:
        """A made støttekontakt match covers a group (GroupAssignmentMatched): the other members' cases from the
        waiting list, each with its own granted vedtak."""
        cases = [GroupCase(case.application_id, case.scheme, granted=case.waiting_since is not None,
                           closed=case.status in CLOSED) for case in members]
        return self._answer(match_id, lambda match: match.form_group(cases, partner, today, may_mix_barnevern))

    def decline(self, match_id: UUID, party: Party, reason: str, today: date) -> Match:
        """One side declines, with a reason; the place is given back."""
        return self._answer(match_id, lambda match: match.decline(party, reason, today))

    def lapse_expired(self, match_ids: Iterable[UUID], today: date) -> list[UUID]:
        """Let each proposal past its answer date lapse; the ones answered meanwhile are left as they are."""
        lapsed = []
        for match_id in match_ids:
            try:
                self._answer(match_id, lambda match: match.lapse(today))
            except RuleViolation:
                continue
            lapsed.append(match_id)
        return lapsed

    def record_guidance(self, kind: GuidanceKind, title: str, held_on: date, led_by: str,
                        attendance: dict[UUID, bool], approved: set[UUID], today: date) -> GuidanceSession:
        """A training or guidance session held, with each invited oppdragstaker's attendance; everyone
        named must be an approved oppdragstaker (`approved`, from the read side)."""
        unknown = [volunteer_id for volunteer_id in attendance if volunteer_id not in approved]
        if unknown:
            raise RuleViolation(f"{len(unknown)} av de registrerte er ikke godkjente oppdragstakere.")
        session = GuidanceSession.record(kind, title, held_on, led_by, attendance, today)
        self.save(session)
        return session

    def guidance_session(self, session_id: UUID) -> GuidanceSession:
        return self.get_aggregate(session_id, GuidanceSession, MatchNotFound)

    def _answer(self, match_id: UUID, command: Callable[[Match], None]) -> Match:
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
