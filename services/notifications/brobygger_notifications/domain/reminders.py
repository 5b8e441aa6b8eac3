"""Which reminders are due on a day, each under the key that makes it decided once. Pure.

A key is (kind, person, subject, period): the same reminder worked out again, on another day of the
same window, by another replica, or after a restart, has the same key, hence the same notification id.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import NAMESPACE_URL, UUID, uuid5

from brobygger_notifications.domain.kinds import Kind


@dataclass(frozen=True)
class Reminder:
    kind: str
    person: UUID
    subject: str
    period: str
    details: dict

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.person}:{self.subject}:{self.period}"

    @property
    def notification_id(self) -> UUID:
        return uuid5(NAMESPACE_URL, f"brobygger:reminder:{self.key}")


@dataclass(frozen=True)
class ActiveContract:
    contract_id: UUID
    volunteer_id: UUID
    period_from: date
    period_to: date
    ends_on: date | None = None  # terminated from this day

    def active_in(self, first: date, last: date) -> bool:
        end = min(self.period_to, self.ends_on) if self.ends_on else self.period_to
        return self.period_from <= last and end >= first


def _month_before(day: date) -> tuple[date, date]:
    last = day.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def timesheet_reminders(today: date, deadline_day: int, days_before: int, contracts: list[ActiveContract],
                        submitted: set[tuple[UUID, str]]) -> list[Reminder]:
    """Before the kommune's deadline day (the `deadline_day` of each month, for the month before), from
    `days_before` days ahead up to the day itself: one reminder per oppdragstaker and contract that was
    active last month and has no timesheet for it."""
    deadline = today.replace(day=min(deadline_day, 28))
    if not deadline - timedelta(days=days_before) <= today <= deadline:
        return []
    first, last = _month_before(today)
    period = f"{first:%Y-%m}"
    return [
        Reminder(Kind.TIMESHEET_REMINDER, contract.volunteer_id, str(contract.contract_id), period,
                 {"period": period, "deadline": deadline.isoformat()})
        for contract in contracts
        if contract.active_in(first, last) and (contract.contract_id, period) not in submitted
    ]


# -- proposals about to lapse, and the staff's daily digest ---------------------------------------------


@dataclass(frozen=True)
class OpenProposal:
    match_id: UUID
    volunteer_id: UUID
    expires_on: date


def lapsing_proposals(today: date, days_before: int, proposals: list[OpenProposal]) -> list[Reminder]:
    """A reminder to the oppdragstaker when an unanswered proposal lapses within `days_before` days."""
    return [
        Reminder(Kind.PROPOSAL_LAPSING, proposal.volunteer_id, str(proposal.match_id),
                 proposal.expires_on.isoformat(), {"expires_on": proposal.expires_on.isoformat()})
        for proposal in proposals
        if today <= proposal.expires_on <= today + timedelta(days=days_before)
    ]


@dataclass(frozen=True)
class Overdue:
    """What the staff's daily digest counts (never who: the digest names no person or case)."""

    interim_replies: int = 0  # søknader past the foreløpig svar deadline, undecided and unanswered
    proposals: int = 0  # proposals past their answer date, still open
    renewals: int = 0  # politiattester due for renewal and not renewed

    @property
    def any(self) -> bool:
        return bool(self.interim_replies or self.proposals or self.renewals)


def daily_digest(today: date, hour_now: int, digest_hour: int, overdue: Overdue, staff: UUID) -> Reminder | None:
    """The staff's digest of what is overdue: once a day, from `digest_hour`, when anything is."""
    if hour_now < digest_hour or not overdue.any:
        return None
    return Reminder(Kind.STAFF_DIGEST, staff, "", today.isoformat(),
                    {"interim_replies": overdue.interim_replies, "proposals": overdue.proposals,
                     "renewals": overdue.renewals, "day": today.isoformat()})
