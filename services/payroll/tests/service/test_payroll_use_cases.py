"""Payroll's use cases on its Application, in memory, and what it publishes of them, as a consumer decodes
it off the wire: a timesheet submitted (hours and døgn counted, flags), corrected, approved or returned, a
rate registered, and a run with its pay lines (ordinary, back pay, claw-back; the user's case and scheme)."""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

import pytest

from brobygger_payroll import publishing
from brobygger_payroll.application import PayrollApplication
from brobygger_payroll.domain.contract import ContractWindow
from brobygger_payroll.domain.pay import Component, PayLine
from brobygger_payroll.domain.timesheets import TimesheetEntry
from brobygger_payroll.settings import PayrollSettings
from brobygger_shared.events import payroll as p
from brobygger_shared.events.terms import EngagementType, Scheme, ScopeUnit
from brobygger_dev.inmemory import in_memory, of_type, published

CONTRACT = UUID(int=501)
KARI = UUID(int=1)
CASE = UUID(int=1001)
WINDOW = ContractWindow(date(2026, 1, 1), date(2026, 12, 31), Decimal(4), ScopeUnit.HOURS_PER_WEEK,
                        EngagementType.CONTRACTOR, Scheme.STOTTEKONTAKT)


@pytest.fixture
def app() -> PayrollApplication:
    return in_memory(PayrollApplication, PayrollSettings())


def test_a_timesheet_submitted_corrected_and_approved_is_published_with_its_counts(app):
    entries = [TimesheetEntry(date(2026, 3, 3), "Fotball", Decimal("2.5")), TimesheetEntry(date(2026, 3, 10), "Kino",
                                                                                           Decimal(3))]
    sheet, new = app.submit_timesheet(CONTRACT, KARI, "2026-03", entries, WINDOW, date(2026, 4, 2))
    app.return_for_correction(sheet.id, "Feil dato.", "sara", date(2026, 4, 3))
    app.submit_timesheet(CONTRACT, KARI, "2026-03", entries[:1], WINDOW, date(2026, 4, 9))
    app.approve(sheet.id, "sara", date(2026, 4, 10))

    events = published(app, publishing.to_integration_event)
    assert new and [type(e) for e in events] == [p.TimesheetSubmitted, p.TimesheetRejected, p.TimesheetSubmitted,
                                                 p.TimesheetApproved]
    first, returned, corrected, approved = events
    assert (first.contract_id, first.volunteer_id, first.period) == (CONTRACT, KARI, "2026-03")
    assert (first.entries, first.hours, first.dogn, first.correction, first.flags) == (2, 5.5, 0, False, [])
    assert (returned.reason, returned.period) == ("Feil dato.", "2026-03")
    assert (corrected.entries, corrected.hours, corrected.correction) == (1, 2.5, True)
    assert corrected.flags and "frist" in " ".join(map(str, corrected.flags)).lower()  # after the 5th: late
    assert (approved.contract_id, approved.volunteer_id, approved.approved_on) == (CONTRACT, KARI, date(2026, 4, 10))


def test_a_stay_is_counted_in_dogn(app):
    stay = TimesheetEntry(date(2026, 3, 6), "Helg", stay_start=datetime(2026, 3, 6, 16), stay_end=datetime(2026, 3, 8, 16))
    avlastning = ContractWindow(date(2026, 1, 1), date(2026, 12, 31), Decimal(4), ScopeUnit.DOGN_PER_MONTH,
                                EngagementType.CONTRACTOR, Scheme.PRIVAT_AVLASTNING)
    app.submit_timesheet(CONTRACT, KARI, "2026-03", [stay], avlastning, date(2026, 4, 1))

    [submitted] = published(app, publishing.to_integration_event)
    assert (submitted.dogn, submitted.hours) == (2, 48.0)


def test_a_rate_registered_is_published_with_its_value_and_source(app):
    app.register_rate("sgs1030_hol", "øre_per_time", Decimal("23450"), date(2026, 5, 1), "SGS 1030 2026")

    [changed] = published(app, publishing.to_integration_event)
    assert (changed.code, changed.unit, changed.value, changed.valid_from, changed.source) == (
        "sgs1030_hol", "øre_per_time", "23450", date(2026, 5, 1), "SGS 1030 2026")


def line(amount_ore: int, original_period: str | None = None, component=Component.HOURLY_PAY) -> PayLine:
    return PayLine(CONTRACT, KARI, "2026-04", component, Decimal("2.5"), "sgs1030_hol", Decimal("234.50"),
                   date(2026, 1, 1), amount_ore, original_period=original_period, unit="øre_per_time")


def test_a_run_is_published_with_each_pay_line_its_kind_and_the_users_case_and_scheme(app):
    run = app.record_run("2026-04", [line(58625), line(1200, "2026-03"), line(-500, "2026-02")], "lønn",
                         date(2026, 5, 2), parties={str(CONTRACT): {"application_id": str(CASE),
                                                                    "scheme": "støttekontakt"}})

    [completed] = of_type(published(app, publishing.to_integration_event), p.PayrollRunCompleted)
    assert (completed.aggregate_id, completed.period, completed.lines) == (run.id, "2026-04", 3)
    assert (completed.total_ore, completed.corrections) == (58625 + 1200 - 500, 2)
    assert [(pl.kind, pl.earned_in, pl.amount_ore) for pl in completed.pay_lines] == [
        ("ordinær", "2026-04", 58625), ("etterbetaling", "2026-03", 1200), ("trekk", "2026-02", -500)]
    assert {(pl.contract_id, pl.application_id, pl.volunteer_id, pl.scheme) for pl in completed.pay_lines} == {
        (CONTRACT, CASE, KARI, "støttekontakt")}
    assert completed.pay_lines[0].component == "timelønn" and completed.pay_lines[0].rate_code == "sgs1030_hol"
