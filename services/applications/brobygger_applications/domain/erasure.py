"""Erasing a person (crypto-shredding, docs/privacy.md): what may block it, and the record of it. Pure.

A person is erased with every case and oppdragstaker application that names their identity number. It
is refused while something still needs their data: a case not yet decided, a vedtak in force or within
its klage deadline, a klage being handled, a contract not ended (or waiting for signature), or a
timesheet not yet paid. Each blocker is named in Norwegian, for the staff member who asked.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from brobygger_applications.domain.case import ServiceApplication
from brobygger_applications.domain.case_values import CaseStatus
from brobygger_applications.domain.schemes import APPEAL_RULES
from brobygger_applications.domain.stored import TOPIC_MODULE
from brobygger_shared.calendar import norwegian_date


@dataclass(frozen=True)
class ContractState:
    """What applications knows of a contract, from contracts' events."""

    contract_id: UUID
    application_id: UUID
    volunteer_id: UUID
    state: str  # til_signering | signert | avsluttet
    period_to: date | None
    ends_on: date | None


@dataclass(frozen=True)
class TimesheetState:
    """What applications knows of a timesheet, from payroll's events."""

    contract_id: UUID
    volunteer_id: UUID | None
    period: str  # YYYY-MM
    state: str  # innsendt | godkjent | avvist | utbetalt


def case_blockers(case: ServiceApplication, today: date) -> list[str]:
    """Why this case still needs the person's data, if it does."""
    name = f"Sak {case.case_number}" if getattr(case, "case_number", None) else f"Sak {case.id}"
    if case.status == CaseStatus.RECEIVED:
        return [f"{name}: søknaden er ikke avgjort."]
    pending = case.appeal_pending_at
    if pending:
        return [f"{name}: en klage er til behandling hos {'Statsforvalteren' if pending == 'statsforvalteren' else 'kommunen'}."]
    decision = case.decision
    if decision is None or case.status == CaseStatus.WITHDRAWN:
        return []
    if case.status == CaseStatus.ENDED and case.ended.get("decision_due"):
        return [f"{name}: et nytt vedtak skal fattes etter klage."]
    blockers = []
    if case.status == CaseStatus.GRANTED and decision["granted"] and decision["period_to"] >= today:
        blockers.append(f"{name}: vedtaket gjelder til {norwegian_date(decision['period_to'])}.")
    deadline = decision["decided_on"] + timedelta(weeks=APPEAL_RULES[case.scheme].weeks)
    if not decision.get("final") and deadline >= today and not case.appeal:
        blockers.append(f"{name}: klagefristen løper til {norwegian_date(deadline)}.")
    return blockers


def contract_blockers(contract: ContractState, today: date) -> list[str]:
    if contract.state == "til_signering":
        return [f"Oppdragsavtale {contract.contract_id}: venter på signering."]
    if contract.state == "signert":
        last_day = min(day for day in (contract.period_to, contract.ends_on) if day) \
            if contract.period_to or contract.ends_on else None
        if last_day is None or last_day >= today:
            until = f" til {norwegian_date(last_day)}" if last_day else ""
            return [f"Oppdragsavtale {contract.contract_id}: er aktiv{until}."]
    return []


def timesheet_blockers(timesheet: TimesheetState) -> list[str]:
    if timesheet.state in ("innsendt", "godkjent"):
        return [f"Timeliste for {timesheet.period} (oppdragsavtale {timesheet.contract_id}): er ikke utbetalt."]
    return []


def erasure_blockers(cases: list[ServiceApplication], contracts: list[ContractState],
                     timesheets: list[TimesheetState], today: date) -> list[str]:
    """Every reason the person cannot be erased today; none means they can."""
    return ([reason for case in cases for reason in case_blockers(case, today)]
            + [reason for contract in contracts for reason in contract_blockers(contract, today)]
            + [reason for timesheet in timesheets for reason in timesheet_blockers(timesheet)])


class PersonErasure(Aggregate):
    """The record that a person was erased: ids only. Its id follows from the id the erasure was asked
    for, so asking again finds it (and deletes the keys again) instead of recording a second."""

    __module__ = TOPIC_MODULE
    id: UUID  # from the id the erasure was asked for

    @event("Recorded")
    def __init__(self, asked_for: UUID, case_ids: list[UUID], volunteer_ids: list[UUID], erased_on: date,
                 erased_by: str) -> None:
        self.asked_for = asked_for
        self.case_ids = case_ids
        self.volunteer_ids = volunteer_ids
        self.erased_on = erased_on
        self.erased_by = erased_by
