"""An oppdragstaker's pay statement, for the portal: per month worked, the lines already paid (with the run
that paid them) and those a run would pay now, as payroll computes them, their own lines only."""

from collections.abc import Iterable, Sequence
from datetime import date
from uuid import UUID

from brobygger_payroll.domain.pay import PayLine
from brobygger_payroll.domain.runs import PayLedger, line_as_dict


def own_ledger(ledger: PayLedger, volunteer_id: UUID) -> PayLedger:
    """The ledger of one oppdragstaker's contracts only: a run settles each contract on its own, so their
    lines come out as a run of everyone's would compute them, for a fraction of the work."""
    contracts = {key: c for key, c in ledger.contracts.items() if c.volunteer_id == volunteer_id}
    return PayLedger(contracts, {key: work for key, work in ledger.work.items() if key[0] in contracts},
                     ledger.rates, [line for line in ledger.paid if line.contract_id in contracts])


def _month(line: dict) -> str:
    return line.get("original_period") or line["period"]  # a correction belongs to the month it corrects


def pay_statement(volunteer_id: UUID, paid: Iterable[tuple[str, date, dict]],
                  due: Sequence[PayLine]) -> list[dict]:
    """`paid`: (run period, run day, line as stored) of every run; `due`: what a run would pay now. Newest
    month first; each month with its paid and due lines and their sums in øre."""
    months: dict[str, dict] = {}

    def month(name: str) -> dict:
        return months.setdefault(name, {"period": name, "paid": [], "due": [], "paid_ore": 0, "due_ore": 0})

    own = str(volunteer_id)
    for run_period, run_on, line in paid:
        if line["volunteer_id"] == own:
            entry = month(_month(line))
            entry["paid"].append({**line, "run_period": run_period, "run_on": run_on})
            entry["paid_ore"] += int(line["amount_ore"])
    for pay_line in due:
        if pay_line.volunteer_id == volunteer_id:
            line = line_as_dict(pay_line)
            entry = month(_month(line))
            entry["due"].append(line)
            entry["due_ore"] += line["amount_ore"]
    return sorted(months.values(), key=lambda m: m["period"], reverse=True)
