"""What an oppdragstaker reads of their own in the portal, in memory: their own timesheets only (another's,
like an unknown id, is not found), and their pay statement per month worked: paid lines with the run that
paid them, lines a run would pay now, a correction under the month it corrects, nobody else's lines."""

from datetime import date
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from brobygger_payroll.application import NotFound, PayrollApplication
from brobygger_payroll.domain.pay import Component, PayLine
from brobygger_payroll.domain.runs import line_as_dict
from brobygger_payroll.domain.statement import pay_statement
from brobygger_payroll.domain.timesheets import TimesheetEntry
from brobygger_payroll.settings import PayrollSettings
from brobygger_dev.inmemory import in_memory

from .test_payroll_use_cases import CONTRACT, KARI, WINDOW

OLA = UUID(int=2)


@pytest.fixture
def app() -> PayrollApplication:
    return in_memory(PayrollApplication, PayrollSettings())


def test_an_oppdragstaker_reads_their_own_timesheet_and_no_one_elses(app):
    sheet, _ = app.submit_timesheet(CONTRACT, KARI, "2026-03", [TimesheetEntry(date(2026, 3, 3), "Kino", Decimal(2))],
                                    WINDOW, date(2026, 4, 2))

    assert app.own_timesheet(sheet.id, KARI).entries[0]["activity"] == "Kino"
    with pytest.raises(NotFound):
        app.own_timesheet(sheet.id, OLA)
    with pytest.raises(NotFound):
        app.own_timesheet(uuid4(), KARI)


def line(volunteer_id: UUID, period: str, amount_ore: int, component=Component.HOURLY_PAY,
         original_period: str | None = None) -> PayLine:
    return PayLine(CONTRACT, volunteer_id, period, component, Decimal(2), "timesats", Decimal(200),
                   date(2026, 1, 1), amount_ore, original_period=original_period, unit="øre_per_time")


def test_the_pay_statement_shows_paid_and_due_lines_per_month_worked_of_their_own_only():
    paid = [("2026-03", date(2026, 4, 20), line_as_dict(line(KARI, "2026-03", 40_000))),
            ("2026-03", date(2026, 4, 20), line_as_dict(line(OLA, "2026-03", 99_900))),
            ("2026-04", date(2026, 5, 20), line_as_dict(line(KARI, "2026-04", 2_000, original_period="2026-03")))]
    due = [line(KARI, "2026-05", 60_000), line(KARI, "2026-05", 1_000, Component.MILEAGE_TAX_FREE),
           line(OLA, "2026-05", 12_300)]

    march, may = pay_statement(KARI, paid, due)[::-1]

    assert (may["period"], may["paid_ore"], may["due_ore"]) == ("2026-05", 0, 61_000)
    assert [row["component"] for row in may["due"]] == ["timelønn", "kjøregodtgjørelse_skattefri"]
    assert (march["period"], march["paid_ore"], march["due_ore"]) == ("2026-03", 42_000, 0)
    assert [(row["run_on"], row["amount_ore"]) for row in march["paid"]] == [(date(2026, 4, 20), 40_000),
                                                                             (date(2026, 5, 20), 2_000)]
    assert pay_statement(UUID(int=3), paid, due) == []


def test_her_own_ledger_settles_to_the_lines_a_run_of_everyone_would_pay_her():
    from brobygger_payroll.domain.contract import ContractTerms
    from brobygger_payroll.domain.pay import WorkEntry, compute_period
    from brobygger_payroll.domain.runs import PayLedger, settle
    from brobygger_payroll.domain.statement import own_ledger
    from brobygger_payroll.rates import shipped_rate_table

    from ..unit.test_corrections import TERMS

    rates = shipped_rate_table()
    hers, his = UUID(int=11), UUID(int=12)
    contracts = {c: ContractTerms(c, who, "privat_avlastning", date(2014, 2, 28), date(2025, 1, 1), date(2025, 12, 31),
                                  (TERMS,)) for c, who in ((hers, KARI), (his, OLA))}
    work = {(c, "2025-03"): [WorkEntry(date(2025, 3, 5), hours=Decimal(n), source="TimesheetApproved@7")]
            for c, n in ((hers, "12"), (his, "5"))}
    paid = compute_period(contracts[hers], [WorkEntry(date(2025, 3, 5), hours=Decimal(10), source="x")], rates,
                          "2025-03")
    everyone = PayLedger(contracts, work, rates, list(paid))

    mine = own_ledger(everyone, KARI)

    assert set(mine.contracts) == {hers} and set(mine.work) == {(hers, "2025-03")}
    assert settle(mine, "2025-04").lines == [line for line in settle(everyone, "2025-04").lines
                                            if line.volunteer_id == KARI]
    assert [line.quantity for line in settle(mine, "2025-04").lines] == [Decimal(2)]  # 12 h due, 10 h paid
