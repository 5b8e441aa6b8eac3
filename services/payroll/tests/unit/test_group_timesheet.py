"""A group contract's timesheet: each session names the users present (each a member, or the field is named
in a 422), the oppdragstaker is paid for the session's hours once, and each present user's case is counted
the session's hours (hours_by_case on TimesheetSubmitted)."""

from datetime import date
from decimal import Decimal
from uuid import UUID

from brobygger_payroll.domain.contract import ContractWindow
from brobygger_payroll.domain.pay import Component, WorkEntry, compute_period
from brobygger_payroll.domain.timesheets import Timesheet, TimesheetEntry, check_entries, hours_by_case
from brobygger_payroll.publishing import to_integration_event

from .test_pay_golden import RATES, STOTTEKONTAKT_TERMS, contract

TODAY = date(2026, 11, 23)
OWN, SECOND, THIRD, OUTSIDER = UUID(int=11), UUID(int=12), UUID(int=13), UUID(int=99)
GROUP = ContractWindow(date(2026, 1, 1), date(2026, 12, 31), 3, "timer_per_uke", "oppdragstaker", "støttekontakt",
                       frozenset({OWN, SECOND, THIRD}))
ONE_USER = ContractWindow(date(2026, 1, 1), date(2026, 12, 31), 3, "timer_per_uke", "oppdragstaker", "støttekontakt")


def session(day: int, hours: str, *present: UUID) -> TimesheetEntry:
    return TimesheetEntry(date(2026, 11, day), activity="bowling", hours=Decimal(hours), present=tuple(present))


def problems(entries, window=GROUP):
    return [(p.entry, p.field, p.message) for p in check_entries(entries, "2026-11", window, TODAY)]


def test_every_user_present_must_be_a_member_of_the_group_and_the_field_is_named():
    assert problems([session(3, "2", OWN, SECOND), session(10, "3", THIRD)]) == []
    assert problems([session(3, "2", OWN, OUTSIDER)]) == [
        (0, "present", "en bruker som var med, hører ikke til gruppen i avtalen")]
    assert problems([session(3, "2")]) == [(0, "present", "oppgi hvilke brukere i gruppen som var med")]
    assert problems([session(3, "2", OWN, OWN)]) == [(0, "present", "en bruker er oppgitt mer enn én gang")]


def test_a_one_user_contract_names_nobody_present():
    assert problems([session(3, "2")], ONE_USER) == []
    assert [p[:2] for p in problems([session(3, "2", OWN)], ONE_USER)] == [(0, "present")]


def test_each_sessions_hours_count_against_each_present_users_case():
    entries = [session(3, "2", OWN, SECOND), session(10, "3.5", OWN, SECOND, THIRD), session(17, "1", THIRD)]

    assert hours_by_case(entries) == {OWN: Decimal("5.5"), SECOND: Decimal("5.5"), THIRD: Decimal("4.5")}
    assert hours_by_case([TimesheetEntry(date(2026, 11, 3), hours=Decimal(2))]) == {}


def test_the_published_timesheet_carries_hours_by_case_and_the_oppdragstaker_is_paid_each_hour_once():
    entries = [session(3, "2", OWN, SECOND), session(10, "3", OWN, SECOND, THIRD)]
    sheet = Timesheet(id=UUID(int=5), contract_id=UUID(int=1), volunteer_id=UUID(int=2), period="2026-11",
                      entries=[entry.as_dict() for entry in entries], flags=[], submitted_on=TODAY)
    [submitted] = sheet.collect_events()

    published = to_integration_event(submitted)

    assert published.hours == 5.0
    assert {(c.application_id, c.hours) for c in published.hours_by_case} == {(OWN, 5.0), (SECOND, 5.0), (THIRD, 3.0)}
    stored = [TimesheetEntry.from_dict(entry) for entry in sheet.entries]
    assert stored == entries  # the users present survive the stored form
    work = [WorkEntry.from_stored(entry, "test") for entry in sheet.entries]
    lines = compute_period(contract(STOTTEKONTAKT_TERMS), work, RATES, "2026-11")
    [hourly] = [line for line in lines if line.component == Component.HOURLY_PAY]
    assert (hourly.quantity, hourly.amount_ore) == (Decimal(5), 90000)  # 5 h × 180,00 kr, not per user
