"""The Match aggregate: a proposal of one oppdragstaker for one case, answered by both sides in principle,
then a first meeting the coordinator plans with them, after which each side confirms (or declines with a
reason); only then is the match made. A made match is the assignment: its follow-up plan and the
follow-up contacts held are recorded here too."""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from brobygger_matching.domain.stored import TOPIC_MODULE
from brobygger_shared.rules import RuleViolation
from brobygger_shared.shredding import PersonalData


class MatchStatus(StrEnum):
    PROPOSED = "foreslått"
    FIRST_MEETING = "første_møte"  # both said yes in principle: the first meeting is planned, then confirmed
    MATCHED = "matchet"
    DECLINED = "avslått"
    LAPSED = "utløpt"


OPEN = (MatchStatus.PROPOSED, MatchStatus.FIRST_MEETING)
STOTTEKONTAKT = ("støttekontakt", "støttekontakt_barnevern")  # the schemes a group assignment may be of


class Party(StrEnum):
    USER = "bruker"
    VOLUNTEER = "oppdragstaker"


class FollowUpOutcome(StrEnum):
    CONTINUES = "fortsetter"
    CHANGES = "endres"
    SHOULD_END = "bør_avsluttes"


@dataclass(frozen=True)
class FollowUpPlan:
    """When follow-up contacts are due, counted from the day the match was made: after each of
    `after_days` in turn, then every `then_every_days` after the last of them."""

    after_days: tuple[int, ...] = (14, 91)
    then_every_days: int = 365

    def due_on(self, matched_on: date, held: int) -> date:
        """The due date of follow-up number `held` (0: the first), however many have been held."""
        if held < len(self.after_days):
            return matched_on + timedelta(days=self.after_days[held])
        last = self.after_days[-1] if self.after_days else 0
        return matched_on + timedelta(days=last + self.then_every_days * (held - len(self.after_days) + 1))


@dataclass(frozen=True)
class GroupCase:
    """A user's case as a group assignment needs it: its scheme, whether a vedtak granted it, and whether it is
    closed."""

    application_id: UUID
    scheme: str
    granted: bool
    closed: bool = False


class Match(Aggregate):
    """A proposal of one oppdragstaker for one case, answered by both sides."""

    __module__ = TOPIC_MODULE  # the topic its events were first stored under (see `stored`)

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
        self.confirmed_by: list[str] = []
        self.meeting_on: date | None = None
        self.meeting_place: str | None = None
        self.meeting_kommune_attendee: str | None = None
        self.matched_on: date | None = None
        self.follow_up_after_days: list[int] = []
        self.follow_up_every_days = 365
        self.follow_ups: list[dict] = []
        self.status = MatchStatus.PROPOSED
        self.group_members: list[UUID] = []  # a group assignment's cases, this match's first; empty for one user
        self.group_partner: str | None = None

    @classmethod
    def propose(cls, application_id: UUID, volunteer_id: UUID, scheme: str, scope: float, scope_unit: str,
                period_from: date, period_to: date, proposed_by: str, today: date, lapse_after_days: int,
                user_birth_date: date | None = None) -> "Match":
        return cls(application_id=application_id, volunteer_id=volunteer_id, scheme=scheme, scope=scope,
                   scope_unit=scope_unit, period_from=period_from, period_to=period_to, proposed_by=proposed_by,
                   proposed_on=today, expires_on=today + timedelta(days=lapse_after_days),
                   user_birth_date=user_birth_date)

    # -- the answer in principle ----------------------------------------------------------------------

    def accept(self, party: Party, today: date, first_meeting_within_days: int = 30) -> None:
        """One side says yes in principle; when both have, the first meeting is to be planned and held
        (and both sides' confirmation given) within `first_meeting_within_days`, or the proposal lapses."""
        self._require(MatchStatus.PROPOSED, today)
        if party in self.accepted_by:
            raise RuleViolation(f"Forslaget er allerede godtatt av {party}.")
        self._accepted(party=Party(party), accepted_on=today)
        if set(self.accepted_by) == {Party.USER, Party.VOLUNTEER}:
            self._accepted_in_principle(**self._ids(), accepted_on=today,
                                        meeting_by=today + timedelta(days=first_meeting_within_days))

    @event("Accepted")
    def _accepted(self, party: Party, accepted_on: date) -> None:
        self.accepted_by = [*self.accepted_by, str(party)]

    @event("AcceptedInPrinciple")
    def _accepted_in_principle(self, application_id: UUID, volunteer_id: UUID, scheme: str, accepted_on: date,
                               meeting_by: date) -> None:
        self.status = MatchStatus.FIRST_MEETING
        self.expires_on = meeting_by

    # -- the first meeting ----------------------------------------------------------------------------

    def plan_first_meeting(self, meeting_on: date, place: str, kommune_attendee: str, today: date) -> None:
        """Plan (or move, while nobody has confirmed) the first meeting: a date by the deadline, a place,
        and who from the kommune attends."""
        self._require(MatchStatus.FIRST_MEETING, today)
        if self.confirmed_by:
            raise RuleViolation("Det første møtet er holdt og bekreftet; det kan ikke flyttes.")
        if not place.strip():
            raise RuleViolation("Skriv hvor det første møtet holdes.")
        if not kommune_attendee.strip():
            raise RuleViolation("Skriv hvem fra kommunen som deltar på møtet.")
        if meeting_on < self.proposed_on:
            raise RuleViolation("Det første møtet kan ikke være før forslaget ble laget.")
        if meeting_on > self.expires_on:
            raise RuleViolation(f"Det første møtet må holdes innen {self.expires_on:%d.%m.%Y}.")
        self._first_meeting_planned(**self._ids(), meeting_on=meeting_on, place=place.strip(),
                                    kommune_attendee=kommune_attendee.strip(), planned_on=today,
                                    meeting_by=self.expires_on)

    @event("FirstMeetingPlanned")
    def _first_meeting_planned(self, application_id: UUID, volunteer_id: UUID, scheme: str, meeting_on: date,
                               place: str, kommune_attendee: str, planned_on: date, meeting_by: date) -> None:
        self.meeting_on = meeting_on
        self.meeting_place = place
        self.meeting_kommune_attendee = kommune_attendee

    def confirm(self, party: Party, today: date, follow_up: FollowUpPlan = FollowUpPlan()) -> None:
        """After the first meeting, one side confirms; when both have, the match is made, with its
        follow-up plan."""
        self._require(MatchStatus.FIRST_MEETING, today)
        if self.meeting_on is None:
            raise RuleViolation("Det første møtet er ikke planlagt ennå.")
        if today < self.meeting_on:
            raise RuleViolation(f"Det første møtet er {self.meeting_on:%d.%m.%Y}; bekreft etter møtet.")
        if party in self.confirmed_by:
            raise RuleViolation(f"Matchen er allerede bekreftet av {party}.")
        self._confirmed(party=Party(party), confirmed_on=today)
        if set(self.confirmed_by) == {Party.USER, Party.VOLUNTEER}:
            self._matched(application_id=self.application_id, volunteer_id=self.volunteer_id, scheme=self.scheme,
                          scope=self.scope, scope_unit=self.scope_unit, period_from=self.period_from,
                          period_to=self.period_to, matched_on=today, user_birth_date=self.user_birth_date)
            self._follow_up_planned(**self._ids(), after_days=list(follow_up.after_days), every_days=follow_up.then_every_days,
                                    next_due_on=follow_up.due_on(today, 0))

    @event("Confirmed")
    def _confirmed(self, party: Party, confirmed_on: date) -> None:
        self.confirmed_by = [*self.confirmed_by, str(party)]

    @event("Matched")
    def _matched(self, application_id: UUID, volunteer_id: UUID, scheme: str, scope: float, scope_unit: str,
                 period_from: date, period_to: date, matched_on: date, user_birth_date: date | None = None) -> None:
        self.status = MatchStatus.MATCHED
        self.matched_on = matched_on

    # -- declining and lapsing ------------------------------------------------------------------------

    def decline(self, party: Party, reason: str, today: date) -> None:
        """Either side says no, with a reason: to the proposal, or after the first meeting."""
        self._require_open(today)
        if not reason.strip():
            raise RuleViolation("Et avslag må begrunnes.")
        self._declined(application_id=self.application_id, volunteer_id=self.volunteer_id, scheme=self.scheme,
                       declined_by=str(Party(party)), reason=reason, declined_on=today)

    def lapse(self, today: date) -> None:
        if self.status not in OPEN or today <= self.expires_on:
            raise RuleViolation("Forslaget er ikke utløpt.")
        reason = ("Forslaget ble ikke besvart i tide." if self.status == MatchStatus.PROPOSED
                  else "Det første møtet ble ikke holdt og bekreftet i tide.")
        self._declined(application_id=self.application_id, volunteer_id=self.volunteer_id, scheme=self.scheme,
                       declined_by="utløpt", reason=reason, declined_on=today)

    @event("Declined")
    def _declined(self, application_id: UUID, volunteer_id: UUID, scheme: str, declined_by: str, reason: str,
                  declined_on: date) -> None:
        self.status = MatchStatus.LAPSED if declined_by == "utløpt" else MatchStatus.DECLINED

    # -- follow-up ------------------------------------------------------------------------------------

    @property
    def follow_up_plan(self) -> FollowUpPlan:
        return FollowUpPlan(tuple(self.follow_up_after_days), self.follow_up_every_days)

    @property
    def next_follow_up_on(self) -> date | None:
        if self.status != MatchStatus.MATCHED or self.matched_on is None:
            return None
        return self.follow_up_plan.due_on(self.matched_on, len(self.follow_ups))

    @event("FollowUpPlanned")
    def _follow_up_planned(self, application_id: UUID, volunteer_id: UUID, scheme: str, after_days: list[int],
                           every_days: int, next_due_on: date) -> None:
        self.follow_up_after_days = list(after_days)
        self.follow_up_every_days = every_days

    def record_follow_up(self, held_on: date, held_by: str, note: str, outcome: FollowUpOutcome,
                         today: date) -> None:
        """A follow-up contact held: when, who from the kommune, a short note (personal data: it stays in
        this service), and whether the assignment continues, changes or should end."""
        if self.status != MatchStatus.MATCHED:
            raise RuleViolation("Oppfølging registreres på en match som er inngått.")
        if held_on > today:
            raise RuleViolation("En oppfølging registreres når den er holdt, ikke før.")
        if self.matched_on and held_on < self.matched_on:
            raise RuleViolation("Oppfølgingen kan ikke være før matchen ble inngått.")
        if not held_by.strip():
            raise RuleViolation("Skriv hvem som holdt oppfølgingen.")
        outcome = FollowUpOutcome(outcome)
        due_on = self.next_follow_up_on
        self._follow_up_held(**self._ids(), held_on=held_on, held_by=held_by.strip(), note=note.strip(), outcome=str(outcome),
                             due_on=due_on, next_due_on=self.follow_up_plan.due_on(self.matched_on,
                                                                                  len(self.follow_ups) + 1))

    @event("FollowUpHeld")
    def _follow_up_held(self, application_id: UUID, volunteer_id: UUID, scheme: str, held_on: date, held_by: str, note: str, outcome: str, due_on: date | None,
                        next_due_on: date) -> None:
        self.follow_ups = [*self.follow_ups, {"held_on": held_on, "held_by": held_by, "note": note,
                                              "outcome": outcome, "due_on": due_on}]

    # -- a group assignment ---------------------------------------------------------------------------

    def form_group(self, members: list[GroupCase], partner: str | None, today: date,
                   may_mix_barnevern: bool = False) -> None:
        """A made støttekontakt match covers a group: the other users' cases (`members`), each with their own
        granted støttekontakt vedtak, one oppdragstaker, optionally a partner organisation. A barnevern
        støttekontakt case (støttekontakt_barnevern) is not mixed with ordinary ones unless the caller has the
        barnevern role too (`may_mix_barnevern`)."""
        if self.status != MatchStatus.MATCHED:
            raise RuleViolation("Et gruppeoppdrag dannes av en match som er inngått.")
        if self.scheme not in STOTTEKONTAKT:
            raise RuleViolation("Bare støttekontakt kan være et gruppeoppdrag.")
        if getattr(self, "group_members", []):
            raise RuleViolation("Matchen er allerede et gruppeoppdrag.")
        others = [member for member in members if member.application_id != self.application_id]
        if not others or len({m.application_id for m in others}) != len(others):
            raise RuleViolation("Et gruppeoppdrag må ha minst én bruker til, hver bare én gang.")
        for member in others:
            if member.scheme not in STOTTEKONTAKT:
                raise RuleViolation(f"Saken {member.application_id} gjelder {member.scheme}, ikke støttekontakt.")
            if not member.granted:
                raise RuleViolation(f"Saken {member.application_id} har ikke noe innvilget vedtak om støttekontakt.")
            if member.closed:
                raise RuleViolation(f"Saken {member.application_id} er avsluttet eller trukket.")
        if len({self.scheme, *(m.scheme for m in others)}) > 1 and not may_mix_barnevern:
            raise RuleViolation("Barnevernssaker kan bare stå i en gruppe med andre saker når du har "
                                "barnevernsrollen.")
        partner = (partner or "").strip() or None
        self._group_formed(**self._ids(), members=[self.application_id, *(m.application_id for m in others)],
                           partner=partner, formed_on=today)

    @event("GroupFormed")
    def _group_formed(self, application_id: UUID, volunteer_id: UUID, scheme: str, members: list[UUID],
                      partner: str | None, formed_on: date) -> None:
        self.group_members = list(members)
        self.group_partner = partner

    # -- guards ---------------------------------------------------------------------------------------

    def _ids(self) -> dict:
        return {"application_id": self.application_id, "volunteer_id": self.volunteer_id, "scheme": self.scheme}

    def _require(self, status: MatchStatus, today: date) -> None:
        self._require_open(today)
        if self.status != status:
            if status == MatchStatus.PROPOSED:
                raise RuleViolation("Begge har allerede sagt ja; nå gjelder det første møtet.")
            raise RuleViolation("Begge sider må si ja til forslaget før det første møtet.")

    def _require_open(self, today: date) -> None:
        if self.status not in OPEN:
            raise RuleViolation(f"Forslaget er {self.status}; det kan ikke besvares.")
        if today > self.expires_on:
            raise RuleViolation(f"Forslaget utløp {self.expires_on:%d.%m.%Y}.")


# Crypto-shredding (docs/privacy.md): what a match says of the user's case is sealed under the case's key
# (application_id): the user's birth date, where the first meeting is (it may be a home), why a proposal was
# declined and the follow-up note. Erased: None or "slettet"; ids, dates and outcomes stay.
Match.Proposed.personal_data = PersonalData(subject="application_id", fields=("user_birth_date",))
Match.Matched.personal_data = PersonalData(subject="application_id", fields=("user_birth_date",))
Match.FirstMeetingPlanned.personal_data = PersonalData(subject="application_id", fields=("place",))
Match.Declined.personal_data = PersonalData(subject="application_id", fields=("reason",))
Match.FollowUpHeld.personal_data = PersonalData(subject="application_id", fields=("note",))
