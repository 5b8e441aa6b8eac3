"""A contract as payroll knows it from the contracts topic: the parties, the dates and the typed terms
(the published language's Terms) by the date they apply from."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from brobygger_shared.events.terms import EngagementType, Scheme, ScopeUnit, Terms


@dataclass(frozen=True)
class ContractTerms:
    """A contract as payroll knows it from ContractSigned / ContractAmended / ContractTerminated."""

    contract_id: UUID
    volunteer_id: UUID
    scheme: Scheme
    user_birth_date: date | None  # None once the user is erased
    period_from: date
    period_to: date
    versions: tuple[Terms, ...]  # each with its valid_from, oldest first
    ends_on: date | None = None
    application_id: UUID | None = None  # the user's case (none for a contract learnt before it was kept)
    erased_on: date | None = None  # a party was erased (PersonErased): what was paid stands, never recomputed
    members: frozenset[UUID] = frozenset()  # a group assignment's cases (the contract's own among them); empty for one

    def terms_on(self, day: date) -> Terms:
        for terms in reversed(self.versions):
            if terms.valid_from <= day:
                return terms
        return self.versions[0]

    def terms_until(self, day: date) -> tuple[Terms, date]:
        """The terms on the day, and the first later day other terms may apply from (date.max if none):
        a fold of days in order looks the terms up again only from then."""
        later = [terms.valid_from for terms in self.versions if terms.valid_from > day]
        return self.terms_on(day), min(later, default=date.max)

    @property
    def last_day(self) -> date:
        """The period's end, or the day it was terminated from."""
        return min(self.period_to, self.ends_on or self.period_to)

    def covers(self, day: date) -> bool:
        return self.period_from <= day <= self.last_day

    def window(self) -> "ContractWindow":
        """What a timesheet is checked against, by the latest terms."""
        latest = self.versions[-1]
        return ContractWindow(self.period_from, self.last_day, latest.scope, latest.scope_unit,
                              latest.engagement_type, self.scheme, self.members)


@dataclass(frozen=True)
class ContractWindow:
    """What a timesheet is checked against: the contract's dates, the vedtak's scope, the engagement."""

    period_from: date
    period_to: date
    scope: Decimal
    scope_unit: ScopeUnit
    engagement_type: EngagementType
    scheme: Scheme
    members: frozenset[UUID] = frozenset()  # a group contract's cases: each entry names who of them was present
