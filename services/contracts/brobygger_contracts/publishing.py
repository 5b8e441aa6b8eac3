"""Domain events -> integration events, for the relay. Drafts and signatures stay private; of a document,
only its number, hash and where to read it go out; of a signing link, only that the contract now waits
for the oppdragstaker (never the token).

The terms go out typed (`published_terms`): every field of the write side's `Terms` is either mapped
or named in `KEPT_PRIVATE`, and any terms the domain accepts map (tests/unit/test_publishing.py).
"""

from decimal import Decimal
from functools import singledispatch
from typing import Any

from brobygger_contracts.domain import Contract, ExpenseKind, MunicipalAccount, Terms
from brobygger_shared.events import contracts as published
from brobygger_shared.events import terms as typed
from brobygger_shared.events.base import IntegrationEvent

# Names of people: the contract and its PDF keep them; no reader of the published language needs them.
KEPT_PRIVATE = frozenset({"contact_persons", "household_members"})


def published_terms(stored: dict[str, Any]) -> typed.Terms:
    """The terms as a Contract event stores them (Terms.as_dict; older events lack the døgn fields)."""
    terms = Terms.from_dict(stored)
    return typed.Terms(
        engagement_type=terms.engagement_type, scope=Decimal(str(terms.scope)), scope_unit=terms.scope_unit,
        hourly_pay=_hourly_pay(terms), dogn_pay=_dogn_pay(terms), expenses=_expenses(terms),
        mileage_covered=terms.mileage_covered, notice_period_days=terms.notice_period_days,
        valid_from=terms.valid_from,
    )


def _hourly_pay(terms: Terms) -> typed.FixedHourlyRate | typed.HourlyRateTable | None:
    # Truthiness as Terms.check reads them: a zero is no choice.
    if terms.hourly_rate_ore:
        return typed.FixedHourlyRate(ore=terms.hourly_rate_ore)
    if terms.hourly_rate_table:
        return typed.HourlyRateTable(table=terms.hourly_rate_table)
    return None


def _dogn_pay(terms: Terms) -> typed.HoursPerDogn | typed.FixedDognRate | typed.DognRateTable | None:
    if terms.dogn_rate_ore:
        return typed.FixedDognRate(ore=terms.dogn_rate_ore)
    if terms.dogn_rate_table:
        return typed.DognRateTable(table=terms.dogn_rate_table)
    if terms.work_hours_per_dogn:
        return typed.HoursPerDogn(hours=Decimal(str(terms.work_hours_per_dogn)))
    return None


def _expenses(terms: Terms) -> typed.NoExpenses | typed.FlatMonthlyExpenses | typed.ExpensesPerDognByAge:
    match ExpenseKind(terms.expense_kind):
        case ExpenseKind.NONE:
            return typed.NoExpenses()
        case ExpenseKind.FLAT_MONTHLY:
            return typed.FlatMonthlyExpenses(ore=terms.expense_flat_monthly_ore)
        case ExpenseKind.PER_DOGN_BY_AGE:
            return typed.ExpensesPerDognByAge(table=terms.expense_rate_table)


@singledispatch
def to_integration_event(domain_event: object) -> IntegrationEvent | None:
    return None


def _contract(e: Any) -> dict[str, Any]:
    return {"aggregate_id": e.originator_id, "occurred_at": e.timestamp, "contract_id": e.originator_id,
            "volunteer_id": e.volunteer_id, "application_id": e.application_id, "scheme": e.scheme}


@to_integration_event.register
def _(e: Contract.Signed) -> IntegrationEvent:
    return published.ContractSigned(
        **_contract(e), user_birth_date=e.user_birth_date, period_from=e.period_from, period_to=e.period_to,
        terms=published_terms(e.terms), signed_on=e.signed_on,
        members=[{"application_id": m} for m in getattr(e, "members", None) or []], partner=getattr(e, "partner", None),
    )


@to_integration_event.register
def _(e: Contract.Amended) -> IntegrationEvent:
    return published.ContractAmended(**_contract(e), terms=published_terms(e.terms), amended_on=e.amended_on,
                                     period_to=getattr(e, "period_to", None))


@to_integration_event.register
def _(e: Contract.Terminated) -> IntegrationEvent:
    return published.ContractTerminated(**_contract(e), ends_on=e.ends_on, terminated_by=e.terminated_by,
                                        reason=e.reason)


@to_integration_event.register
def _(e: Contract.SigningLinkIssued) -> IntegrationEvent | None:
    """The contract waits for the oppdragstaker's signature. The token (its hash, even) stays here: the
    link is a bearer secret, and the topic is read by every service (see ContractReadyForSignature)."""
    if getattr(e, "volunteer_id", None) is None:
        return None  # a link issued before the parties rode along: it was handed over by staff, as all were then
    return published.ContractReadyForSignature(**_contract(e))


@to_integration_event.register
def _(e: Contract.DocumentIssued) -> IntegrationEvent:
    parties = e.parties or {}  # None once the oppdragstaker is erased (sealed under their key): published again without
    return published.ContractDocumentIssued(
        **_contract(e), document_number=e.number, issued_on=e.issued_on, sha256=e.sha256,
        document_path=f"/contracts/{e.originator_id}/documents/{e.number}.pdf",
        user_case_number=parties.get("user_case_number"), volunteer_case_number=parties.get("volunteer_case_number"),
    )


@to_integration_event.register
def _(e: MunicipalAccount.Requested) -> IntegrationEvent:
    return published.MunicipalAccountRequested(aggregate_id=e.originator_id, occurred_at=e.timestamp,
                                               volunteer_id=e.volunteer_id, contract_id=e.contract_id,
                                               requested_on=e.requested_on)


@to_integration_event.register
def _(e: MunicipalAccount.EmailRecorded) -> IntegrationEvent:
    return published.MunicipalEmailRecorded(aggregate_id=e.originator_id, occurred_at=e.timestamp,
                                            volunteer_id=e.volunteer_id, email=e.email, recorded_on=e.recorded_on)


PUBLISHES = [published.ContractSigned, published.ContractAmended, published.ContractTerminated,
             published.ContractDocumentIssued, published.ContractReadyForSignature,
             published.MunicipalAccountRequested, published.MunicipalEmailRecorded]
