"""The case as it stood on a chosen day ("Vis saken slik den var"): the case's events up to the end of that
day in Norwegian time, folded. In memory (the library's POPO recorder) with a set clock: the HTTP route is
covered by the stack tests of the gateway."""

from datetime import UTC, date, datetime

import eventsourcing.domain
import pytest

from brobygger_applications.application import ApplicationsApplication, NewServiceApplication, NotFound
from brobygger_applications.domain import NewDecision
from brobygger_applications.main import ApplicationsSettings
from brobygger_shared.identity import synthetic_identity_number

BORN = date(1990, 11, 17)


@pytest.fixture
def clock(monkeypatch):
    now = {"at": datetime(2026, 2, 1, 10, 0, tzinfo=UTC)}
    monkeypatch.setattr(eventsourcing.domain, "datetime_now_with_tzinfo", lambda: now["at"])
    return now


def test_the_case_as_it_stood_at_the_end_of_a_day_in_norwegian_time(clock):
    app = ApplicationsApplication(ApplicationsSettings(), env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    form = NewServiceApplication(
        national_id=synthetic_identity_number(BORN), full_name="Ola Testesen", birth_date=BORN, address="Testveien 1",
        area="Nord", scheme="støttekontakt", needs="Fotball.", interests=[], wished_activities=[], helper_wishes={},
        carers=[], scope_asked=3)
    case, _ = app.receive_service_application(form, date(2026, 2, 1))
    clock["at"] = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)  # 3 March, 00:30 in Norway
    app.decide(case.id, NewDecision(True, 3, date(2026, 3, 10), date(2026, 12, 31)), "Behov.", "sara",
               "Sara Saksbehandler", date(2026, 3, 3))

    before = app.case_as_of(case.id, date(2026, 3, 2))
    after = app.case_as_of(case.id, date(2026, 3, 3))

    assert (before.status, before.decisions, before.letters) == ("mottatt", [], [])
    assert after.status == "innvilget" and len(after.letters) == 1
    with pytest.raises(NotFound):
        app.case_as_of(case.id, date(2026, 1, 31))
