"""Timesheet rules: what is refused (naming the entry and the field) and what is only flagged."""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

import pytest

from brobygger_payroll.domain.contract import ContractWindow
from brobygger_payroll.domain.pay import WorkEntry
from brobygger_payroll.domain.timesheets import (
    Timesheet,
    TimesheetEntry,
    TimesheetStatus,
    check_entries,
    flags_for_approver,
    late_submission,
)
from brobygger_shared.rules import RuleViolation

TODAY = date(2026, 11, 23)
STOTTEKONTAKT = ContractWindow(date(2026, 1, 1), date(2026, 12, 31), 3, "timer_per_uke", "oppdragstaker",
                               "støttekontakt")
AVLASTER = ContractWindow(date(2026, 1, 1), date(2026, 12, 31), 4, "døgn_per_måned", "arbeidstaker",
                          "privat_avlastning")


def hours(day: int, amount: str, month: int = 11) -> TimesheetEntry:
    return TimesheetEntry(date(2026, month, day), activity="kino", hours=Decimal(amount))


def stay(start: datetime, end: datetime) -> TimesheetEntry:
    return TimesheetEntry(start.date(), activity="avlastning", stay_start=start, stay_end=end)


def problems(entries, contract=STOTTEKONTAKT, period="2026-11"):
    return [(p.entry, p.field) for p in check_entries(entries, period, contract, TODAY)]


def test_valid_entries_give_no_problems():
    assert problems([hours(3, "2"), hours(10, "3.5")]) == []


def test_a_date_outside_the_contract_is_refused_naming_the_entry_and_field():
    short = ContractWindow(date(2026, 11, 5), date(2026, 11, 30), 3, "timer_per_uke", "oppdragstaker", "støttekontakt")
    assert problems([hours(10, "2"), hours(3, "2")], short) == [(1, "day")]


def test_a_date_in_the_future_is_refused():
    assert problems([hours(24, "2")]) == [(0, "day")]


def test_a_date_outside_the_timesheets_month_is_refused():
    assert problems([hours(3, "2", month=10)]) == [(0, "day")]


def test_overlapping_stays_are_refused():
    entries = [stay(datetime(2026, 11, 6, 16), datetime(2026, 11, 8, 16)),
               stay(datetime(2026, 11, 8, 12), datetime(2026, 11, 9, 12))]
    # 8 November also holds 16 + 12 = 28 hours, so that entry is named twice.
    assert problems(entries, AVLASTER) == [(1, "stay_start"), (1, "hours")]


def test_more_than_24_hours_in_a_day_is_refused():
    assert problems([hours(3, "20"), hours(3, "5")]) == [(1, "hours")]


def test_an_entry_with_neither_hours_nor_a_stay_is_refused():
    assert problems([TimesheetEntry(date(2026, 11, 3))]) == [(0, "hours")]


def test_more_hours_than_the_vedtak_in_a_week_is_flagged_not_refused():
    entries = [hours(2, "2"), hours(4, "2")]  # 4 h in ISO week 45, scope 3 h per week
    assert problems(entries) == []
    assert flags_for_approver(entries, STOTTEKONTAKT) == ["Uke 45: 4 timer, mer enn vedtakets 3 timer per uke."]


def test_an_employed_avlaster_over_56_hours_continuous_is_flagged():
    entries = [stay(datetime(2026, 11, 6, 8), datetime(2026, 11, 8, 20))]  # 60 hours
    flags = flags_for_approver(entries, AVLASTER)
    assert flags == ["Opphold 06.11 varer 60 timer sammenhengende (grensen er 56, FOR-2017-06-25-1052)."]


def test_an_employed_avlaster_over_60_hours_in_7_days_is_flagged():
    entries = [stay(datetime(2026, 11, 2, 16), datetime(2026, 11, 4, 16)),   # 48 h
               stay(datetime(2026, 11, 6, 8), datetime(2026, 11, 6, 22))]    # 14 h: 62 h in 7 days
    flags = flags_for_approver(entries, AVLASTER)
    assert flags == ["62 timer de 7 dagene fra 02.11 (grensen er 60)."]


def test_approve_return_and_resubmit_follow_the_rules():
    sheet = Timesheet(id=UUID(int=1), contract_id=UUID(int=2), volunteer_id=UUID(int=3), period="2026-11",
                      entries=[hours(3, "2").as_dict()], flags=[], submitted_on=TODAY)
    sheet.resubmit([hours(3, "3").as_dict()], [], TODAY)  # corrected before anyone approved it
    assert sheet.entries == [hours(3, "3").as_dict()] and sheet.status == TimesheetStatus.SUBMITTED
    with pytest.raises(RuleViolation):
        sheet.return_for_correction(" ", "saksbehandler", TODAY)
    sheet.return_for_correction("Feil dato.", "saksbehandler", TODAY)
    assert sheet.status == TimesheetStatus.RETURNED
    sheet.resubmit([hours(4, "3").as_dict()], [], TODAY)
    sheet.approve("saksbehandler", TODAY)
    with pytest.raises(RuleViolation):
        sheet.approve("saksbehandler", TODAY)
    sheet.resubmit([hours(4, "2").as_dict()], [], TODAY)  # a correction to an approved, maybe paid, sheet
    assert sheet.status == TimesheetStatus.SUBMITTED


def test_an_entry_is_stored_as_plain_json_and_read_back_the_same():
    entry = TimesheetEntry(date(2026, 11, 6), "avlastning", stay_start=datetime(2026, 11, 6, 16),
                           stay_end=datetime(2026, 11, 8, 16), km=Decimal("42.5"), note="hentet på skolen")

    stored = entry.as_dict()

    assert stored == {"day": "2026-11-06", "activity": "avlastning", "hours": None,
                      "stay_start": "2026-11-06T16:00:00", "stay_end": "2026-11-08T16:00:00", "km": "42.5",
                      "note": "hentet på skolen"}
    assert TimesheetEntry.from_dict(stored) == entry


def test_entries_stored_with_typed_values_before_plain_json_are_still_read():
    older = {"day": date(2026, 11, 3), "activity": "kino", "hours": Decimal("2.5"), "stay_start": None,
             "stay_end": None, "km": Decimal(0), "note": ""}

    assert TimesheetEntry.from_dict(older) == hours(3, "2.5")
    assert WorkEntry.from_stored(older, "kilde").hours == Decimal("2.5")


def test_a_timesheet_after_the_deadline_is_flagged_not_refused():
    assert late_submission("2026-10", date(2026, 11, 5), deadline_day=5) is None
    assert late_submission("2026-10", date(2026, 11, 6), deadline_day=5) == (
        "Levert 06.11.2026, etter fristen 05.11.2026.")
    assert late_submission("2026-12", date(2027, 1, 21), deadline_day=20) == (
        "Levert 21.01.2027, etter fristen 20.01.2027.")

