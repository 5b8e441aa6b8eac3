"""Crypto-shredding in payroll, in memory: why staff returned a timesheet (free text, which may name people)
is sealed under the oppdragstaker's key in the stored events and reads "slettet" once it is deleted, while
the timesheet's period, entries and status, which are the pay bookkeeping keeps, stay."""

from datetime import date
from decimal import Decimal

from brobygger_dev.inmemory import in_memory
from brobygger_payroll.application import PayrollApplication
from brobygger_payroll.domain.timesheets import TimesheetEntry
from brobygger_payroll.settings import PayrollSettings
from brobygger_shared.shredding import erase_keys

from .test_payroll_use_cases import CONTRACT, KARI, WINDOW


def test_a_returned_timesheets_reason_is_sealed_and_reads_slettet_after_erasure(keys_in_memory):
    app = in_memory(PayrollApplication, PayrollSettings())
    sheet, _ = app.submit_timesheet(CONTRACT, KARI, "2026-03", [TimesheetEntry(date(2026, 3, 3), "Kino", Decimal(2))],
                                    WINDOW, date(2026, 4, 2))
    app.return_for_correction(sheet.id, "Ola Nordmann var syk den dagen", "sara", date(2026, 4, 3))

    stored = b"".join(n.state for n in app.recorder.select_notifications(start=1, limit=100))
    assert b"Nordmann" not in stored
    assert app.timesheet(sheet.id).returned_reason == "Ola Nordmann var syk den dagen"

    erase_keys([KARI])
    erased = app.timesheet(sheet.id)
    assert erased.returned_reason == "slettet"
    assert (erased.period, erased.status, erased.entries[0]["hours"]) == ("2026-03", "returnert", "2")
