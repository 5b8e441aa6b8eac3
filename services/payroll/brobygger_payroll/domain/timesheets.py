"""Timesheets (timelister): a month's entries for one contract, refused when they cannot be right,
flagged for the approver where they might not be, then approved or returned."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from brobygger_payroll.domain.contract import ContractWindow
from brobygger_payroll.domain.days import dogn_in_stay, period_of
from brobygger_payroll.domain.stored import TOPIC_MODULE, as_date, as_datetime, as_decimal, as_text
from brobygger_shared.calendar import add_months
from brobygger_shared.events.terms import EngagementType, Scheme, ScopeUnit
from brobygger_shared.rules import RuleViolation
from brobygger_shared.shredding import PersonalData


@dataclass(frozen=True)
class EntryProblem:
    entry: int  # index in the submitted list
    field: str
    message: str


# What a timesheet could mean in a kommune, refused outside with 422 naming the field.
MAX_ENTRIES = 100  # a month's days, some of them more than once
MAX_ENTRIES_PER_DAY = 6
MAX_KM_PER_ENTRY = Decimal(1000)


class InvalidTimesheet(ValueError):
    """Entries that cannot be accepted; each problem names the entry and the field."""

    def __init__(self, problems: list[EntryProblem]) -> None:
        super().__init__("; ".join(f"rad {p.entry + 1}, {p.field}: {p.message}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class TimesheetEntry:
    day: date
    activity: str = ""
    hours: Decimal | None = None
    stay_start: datetime | None = None
    stay_end: datetime | None = None
    km: Decimal = Decimal(0)
    note: str = ""
    present: tuple[UUID, ...] = ()  # a group contract's session: the cases of the users present; () for one user

    def as_dict(self) -> dict:
        """The entry as the timesheet's events store it: plain JSON values, as an analyst reads them (the
        users present only on a group contract's entries)."""
        stored = {"day": self.day.isoformat(), "activity": self.activity, "hours": as_text(self.hours),
                  "stay_start": as_text(self.stay_start), "stay_end": as_text(self.stay_end), "km": str(self.km),
                  "note": self.note}
        return {**stored, "present": [str(case) for case in self.present]} if self.present else stored

    @classmethod
    def from_dict(cls, data: dict) -> "TimesheetEntry":
        return cls(as_date(data["day"]), data["activity"], as_decimal(data["hours"]),
                   as_datetime(data["stay_start"]), as_datetime(data["stay_end"]),
                   as_decimal(data["km"]) or Decimal(0), data["note"],
                   tuple(UUID(str(case)) for case in data.get("present") or ()))

    @property
    def total_hours(self) -> Decimal:
        return sum(self.hours_by_day().values(), Decimal(0))

    def hours_by_day(self) -> dict[date, Decimal]:
        """Hours worked per calendar day (a stay is split at midnight)."""
        if self.hours is not None:
            return {self.day: self.hours}
        result: dict[date, Decimal] = defaultdict(Decimal)
        cursor = self.stay_start
        while cursor < self.stay_end:
            next_midnight = datetime.combine(cursor.date() + timedelta(days=1), datetime.min.time())
            until = min(next_midnight, self.stay_end)
            result[cursor.date()] += Decimal((until - cursor).total_seconds()) / 3600
            cursor = until
        return dict(result)


def check_present(entries: Sequence[TimesheetEntry], members: frozenset[UUID]) -> list[EntryProblem]:
    """A group contract's session names the users present, each a member of the group, each once; a one-user
    contract's entries name nobody."""
    problems = []
    for index, entry in enumerate(entries):
        if not members and entry.present:
            problems.append(EntryProblem(index, "present", "avtalen gjelder én bruker; oppgi ikke hvem som var med"))
        elif members and not entry.present:
            problems.append(EntryProblem(index, "present", "oppgi hvilke brukere i gruppen som var med"))
        elif len(set(entry.present)) != len(entry.present):
            problems.append(EntryProblem(index, "present", "en bruker er oppgitt mer enn én gang"))
        elif not set(entry.present) <= members:
            problems.append(EntryProblem(index, "present", "en bruker som var med, hører ikke til gruppen i avtalen"))
    return problems


def hours_by_case(entries: Sequence[TimesheetEntry]) -> dict[UUID, Decimal]:
    """A group contract's hours per user's case: each session's hours counted against each user present
    (the oppdragstaker is paid for the session's hours once). Empty for a one-user contract's entries."""
    result: dict[UUID, Decimal] = defaultdict(Decimal)
    for entry in entries:
        for case in entry.present:
            result[case] += entry.total_hours
    return dict(result)


def check_entries(entries: Sequence[TimesheetEntry], period: str, contract: ContractWindow,
                  today: date) -> list[EntryProblem]:
    """Reasons to refuse entries (422): outside the contract or the month, in the future, overlapping,
    more than 24 hours in a day, or neither hours nor a stay; on a group contract, users present who are
    not members (or none named)."""
    problems = check_present(entries, contract.members)
    for index, entry in enumerate(entries):
        if (entry.hours is None) == (entry.stay_start is None or entry.stay_end is None):
            problems.append(EntryProblem(index, "hours", "oppgi enten timer eller start og slutt på et opphold"))
            continue
        if entry.hours is not None and not (Decimal(0) < entry.hours <= 24):
            problems.append(EntryProblem(index, "hours", "timer må være mellom 0 og 24"))
        if entry.stay_start and entry.stay_end and entry.stay_end <= entry.stay_start:
            problems.append(EntryProblem(index, "stay_end", "oppholdet må slutte etter at det begynner"))
            continue
        last_day = entry.stay_end.date() if entry.stay_end else entry.day
        if period_of(entry.day) != period:
            problems.append(EntryProblem(index, "day", f"datoen hører ikke til timelisten for {period}"))
        if entry.day < contract.period_from or last_day > contract.period_to:
            problems.append(EntryProblem(index, "day", "datoen er utenfor oppdragsavtalens periode"))
        if last_day > today:
            problems.append(EntryProblem(index, "day", "datoen er fram i tid"))
        if not Decimal(0) <= entry.km <= MAX_KM_PER_ENTRY:
            problems.append(EntryProblem(index, "km", f"kilometer må være mellom 0 og {MAX_KM_PER_ENTRY}"))
    if problems:
        return problems

    stays = [(i, e) for i, e in enumerate(entries) if e.stay_start]
    for position, (i, first) in enumerate(stays):
        for j, second in stays[position + 1:]:
            if first.stay_start < second.stay_end and second.stay_start < first.stay_end:
                problems.append(EntryProblem(j, "stay_start", f"overlapper med rad {i + 1}"))
    entries_on: dict[date, int] = defaultdict(int)
    for index, entry in enumerate(entries):
        entries_on[entry.day] += 1
        if entries_on[entry.day] == MAX_ENTRIES_PER_DAY + 1:
            problems.append(EntryProblem(index, "day", f"mer enn {MAX_ENTRIES_PER_DAY} rader samme dag"))
    per_day: dict[date, Decimal] = defaultdict(Decimal)
    for index, entry in enumerate(entries):
        for day, hours in entry.hours_by_day().items():
            per_day[day] += hours
            if per_day[day] > 24:
                problems.append(EntryProblem(index, "hours", f"mer enn 24 timer {day.isoformat()}"))
    return problems


def flags_for_approver(entries: Sequence[TimesheetEntry], contract: ContractWindow,
                       max_continuous_hours: int = 56, max_hours_in_7_days: int = 60) -> list[str]:
    """Not refusals: things the approver should look at before approving."""
    flags = []
    if contract.scope_unit == ScopeUnit.HOURS_PER_WEEK:
        per_week: dict[tuple, Decimal] = defaultdict(Decimal)
        for entry in entries:
            for day, hours in entry.hours_by_day().items():
                per_week[day.isocalendar()[:2]] += hours
        for (_year, week), hours in sorted(per_week.items()):
            if hours > contract.scope:
                flags.append(f"Uke {week}: {hours:g} timer, mer enn vedtakets {contract.scope:g} timer per uke.")
    else:
        dogn = sum(len(dogn_in_stay(e.stay_start, e.stay_end)) for e in entries if e.stay_start)
        if dogn > contract.scope:
            flags.append(f"{dogn} døgn, mer enn vedtakets {contract.scope:g} døgn per måned.")
    if contract.engagement_type == EngagementType.EMPLOYEE and contract.scheme == Scheme.PRIVAT_AVLASTNING:
        for entry in entries:
            if entry.stay_start:
                length = (entry.stay_end - entry.stay_start).total_seconds() / 3600
                if length > max_continuous_hours:
                    flags.append(f"Opphold {entry.stay_start:%d.%m} varer {length:g} timer sammenhengende "
                                 f"(grensen er {max_continuous_hours}, FOR-2017-06-25-1052).")
        hours_by_day: dict[date, Decimal] = defaultdict(Decimal)
        for entry in entries:
            for day, hours in entry.hours_by_day().items():
                hours_by_day[day] += hours
        for start in sorted(hours_by_day):
            window = sum(hours for day, hours in hours_by_day.items() if start <= day < start + timedelta(days=7))
            if window > max_hours_in_7_days:
                flags.append(f"{window:g} timer de 7 dagene fra {start:%d.%m} (grensen er {max_hours_in_7_days}).")
                break
    return flags


def late_submission(period: str, submitted_on: date, deadline_day: int) -> str | None:
    """A flag when the month's timesheet comes after the kommune's deadline (a day of the next month)."""
    year, month = map(int, period.split("-"))
    deadline = add_months(date(year, month, 1), 1).replace(day=deadline_day)
    if submitted_on <= deadline:
        return None
    return f"Levert {submitted_on:%d.%m.%Y}, etter fristen {deadline:%d.%m.%Y}."


class TimesheetStatus(StrEnum):
    SUBMITTED = "sendt_inn"
    APPROVED = "godkjent"
    RETURNED = "returnert"


class Timesheet(Aggregate):
    """One month's timesheet for one contract. Corrections resubmit the same timesheet."""

    __module__ = TOPIC_MODULE  # see stored.TOPIC_MODULE
    id: UUID  # derived from contract and period: one timesheet per contract and month

    @event("Submitted")
    def __init__(self, contract_id: UUID, volunteer_id: UUID, period: str, entries: list[dict], flags: list[str],
                 submitted_on: date) -> None:
        self.contract_id = contract_id
        self.volunteer_id = volunteer_id
        self.period = period
        self.entries = entries
        self.flags = flags
        self.submitted_on = submitted_on
        self.status = TimesheetStatus.SUBMITTED
        self.approved_on: date | None = None
        self.returned_reason: str | None = None

    def resubmit(self, entries: list[dict], flags: list[str], submitted_on: date) -> None:
        """A corrected timesheet: before approval it replaces what waits (the approver sees the latest,
        and approval records exactly the entries approved); after return or approval it waits again."""
        self._resubmitted(contract_id=self.contract_id, volunteer_id=self.volunteer_id, period=self.period,
                          entries=entries, flags=flags, submitted_on=submitted_on)

    @event("Resubmitted")
    def _resubmitted(self, contract_id: UUID, volunteer_id: UUID, period: str, entries: list[dict],
                     flags: list[str], submitted_on: date) -> None:
        self.entries, self.flags, self.submitted_on = entries, flags, submitted_on
        self.status = TimesheetStatus.SUBMITTED
        self.returned_reason = None

    def approve(self, approved_by: str, approved_on: date) -> None:
        if self.status != TimesheetStatus.SUBMITTED:
            raise RuleViolation(f"Bare en innsendt timeliste kan godkjennes (denne er {self.status}).")
        self._approved(contract_id=self.contract_id, volunteer_id=self.volunteer_id, period=self.period,
                       entries=self.entries, approved_by=approved_by, approved_on=approved_on)

    @event("Approved")
    def _approved(self, contract_id: UUID, volunteer_id: UUID, period: str, entries: list[dict], approved_by: str,
                  approved_on: date) -> None:
        self.status = TimesheetStatus.APPROVED
        self.approved_on = approved_on

    def return_for_correction(self, reason: str, returned_by: str, returned_on: date) -> None:
        if self.status != TimesheetStatus.SUBMITTED:
            raise RuleViolation(f"Bare en innsendt timeliste kan returneres (denne er {self.status}).")
        if not reason.strip():
            raise RuleViolation("Oppgi hvorfor timelisten returneres.")
        self._returned(contract_id=self.contract_id, period=self.period, reason=reason, returned_by=returned_by,
                       returned_on=returned_on, volunteer_id=self.volunteer_id)

    @event("Returned")
    def _returned(self, contract_id: UUID, period: str, reason: str, returned_by: str, returned_on: date,
                  volunteer_id: UUID | None = None) -> None:  # events recorded before it was kept name none
        self.status = TimesheetStatus.RETURNED
        self.returned_reason = reason


# Crypto-shredding (docs/privacy.md): why staff returned a timesheet is free text that may name people,
# sealed under the oppdragstaker's key ("slettet" once erased). The entries stay as they are: they are the
# pay, which bookkeeping keeps, and the rebuild reads them straight from the events table.
Timesheet.Returned.personal_data = PersonalData(subject="volunteer_id", fields=("reason",))


# -- rates registered by staff, and payroll runs ------------------------------------------------------
