"""PersonErased in payroll's read models, on real PostgreSQL: the oppdragstaker's name and the user's
birth date and a timesheet's notes go, the contract is marked erased (its pay is not computed again), and ids, periods and the
scheme stay; a replay of the whole log shows "slettet" again."""

from datetime import date
from uuid import uuid4

import orjson
import pytest

from brobygger_dev.testing import project, rows
from brobygger_payroll.projections import contracts, ledger
from brobygger_shared.events import applications as a
from brobygger_shared.events import contracts as c
from brobygger_shared.events.terms import EngagementType, HourlyRateTable, NoExpenses, ScopeUnit, Terms

pytestmark = pytest.mark.stack

TERMS = Terms(engagement_type=EngagementType.CONTRACTOR, scope=3, scope_unit=ScopeUnit.HOURS_PER_WEEK,
              hourly_pay=HourlyRateTable(table="sgs1030_hol"), dogn_pay=None, expenses=NoExpenses(),
              mileage_covered=False, notice_period_days=14, valid_from=date(2026, 1, 1))


def test_erasure_blanks_the_payee_and_the_users_birth_date_and_a_replay_shows_slettet(scratch_database):
    volunteer, case, contract = uuid4(), uuid4(), uuid4()
    log = [
        a.VolunteerApplicationReceived(aggregate_id=uuid4(), volunteer_id=volunteer, full_name="Kari Nordmann",
                                       birth_date=date(1990, 5, 1), roles=["støttekontakt"], area="Nord"),
        c.ContractSigned(aggregate_id=contract, contract_id=contract, volunteer_id=volunteer, application_id=case,
                         scheme="privat_avlastning", user_birth_date=date(2014, 6, 9), period_from=date(2026, 1, 1),
                         period_to=date(2026, 12, 31), terms=TERMS, signed_on=date(2025, 12, 20)),
        a.PersonErased(aggregate_id=case, case_ids=[case], volunteer_ids=[volunteer], erased_on=date(2026, 11, 27)),
    ]
    project(scratch_database, ledger)
    rows(scratch_database, "INSERT INTO approved_entries VALUES ($1, $2, '2026-03', $3, 'test') RETURNING 1", uuid4(),
         contract, '[{"day": "2026-03-03", "hours": "2", "note": "Ola Nordmann var syk"}, {"day": "2026-03-04",'
         ' "hours": "3", "note": ""}]')
    project(scratch_database, contracts, *log)
    project(scratch_database, contracts, log[-1])  # again: nothing more changes
    [approved] = rows(scratch_database, "SELECT entries::jsonb AS entries FROM approved_entries")
    assert orjson.loads(approved["entries"]) == [{"day": "2026-03-03", "hours": "2", "note": "slettet"},
                                                 {"day": "2026-03-04", "hours": "3", "note": ""}]  # the pay stays

    def what_is_left() -> tuple:
        return (rows(scratch_database, "SELECT volunteer_id, full_name FROM payees"),
                rows(scratch_database, "SELECT volunteer_id, user_birth_date, period_from, erased_on"
                                       " FROM payroll_contracts"))

    expected = ([{"volunteer_id": volunteer, "full_name": "slettet"}],
                [{"volunteer_id": volunteer, "user_birth_date": None, "period_from": date(2026, 1, 1),
                  "erased_on": date(2026, 11, 27)}])
    assert what_is_left() == expected

    rows(scratch_database, "DELETE FROM payees RETURNING 1")
    rows(scratch_database, "DELETE FROM payroll_contracts RETURNING 1")
    project(scratch_database, contracts, *log)  # a replay from the start of the log
    assert what_is_left() == expected
