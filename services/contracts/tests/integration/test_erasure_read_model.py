"""PersonErased in contracts' read model of oppdragstakere, on real PostgreSQL: the name and address
the oppdragsavtale names go, ids, case number and certificate dates stay; a replay shows "slettet"."""

from datetime import date
from uuid import uuid4

import pytest

from brobygger_contracts.projections import volunteers
from brobygger_dev.testing import project, rows
from brobygger_shared.events import applications as a

pytestmark = pytest.mark.stack


def test_erasure_blanks_the_oppdragstakers_name_and_address_and_a_replay_shows_slettet(scratch_database):
    volunteer = uuid4()
    log = [
        a.VolunteerApplicationReceived(aggregate_id=uuid4(), volunteer_id=volunteer, full_name="Kari Nordmann",
                                       birth_date=date(1990, 5, 1), roles=["støttekontakt"], area="Nord",
                                       address="Storgata 1, 0155 Oslo", case_number="2026/0143"),
        a.ConfidentialityDeclarationSigned(aggregate_id=uuid4(), volunteer_id=volunteer, signed_on=date(2026, 2, 1)),
        a.PersonErased(aggregate_id=volunteer, volunteer_ids=[volunteer], erased_on=date(2026, 11, 27)),
    ]
    project(scratch_database, volunteers, *log)
    project(scratch_database, volunteers, log[-1])

    def what_is_left() -> list[dict]:
        return rows(scratch_database, "SELECT full_name, address, case_number, declaration_signed_on FROM volunteers")

    expected = [{"full_name": "slettet", "address": "slettet", "case_number": "2026/0143",
                 "declaration_signed_on": date(2026, 2, 1)}]
    assert what_is_left() == expected
    rows(scratch_database, "DELETE FROM volunteers RETURNING 1")
    project(scratch_database, volunteers, *log)
    assert what_is_left() == expected
