"""The applications domain: the kommune's age limits and the received application."""

from datetime import date
from uuid import uuid4

import pytest

from brobygger_applications.domain import ApplicantTooOld, ApplicantTooYoung, VolunteerApplication, check_age
from brobygger_shared.calendar import age_on

BIRTH_DATE = date(2000, 6, 15)


def test_an_applicant_is_18_on_the_18th_birthday_and_17_the_day_before():
    assert age_on(BIRTH_DATE, date(2018, 6, 15)) == 18
    assert age_on(BIRTH_DATE, date(2018, 6, 14)) == 17


def test_an_applicant_who_turns_18_today_passes_the_minimum_age():
    check_age(BIRTH_DATE, date(2018, 6, 15), minimum=18, maximum=70)


def test_an_applicant_the_day_before_the_18th_birthday_is_too_young():
    with pytest.raises(ApplicantTooYoung, match="18"):
        check_age(BIRTH_DATE, date(2018, 6, 14), minimum=18, maximum=70)


def test_an_applicant_of_70_passes_when_the_maximum_is_70():
    check_age(BIRTH_DATE, date(2071, 6, 14), minimum=18, maximum=70)


def test_an_applicant_on_the_71st_birthday_is_too_old_when_the_maximum_is_70():
    with pytest.raises(ApplicantTooOld, match="70"):
        check_age(BIRTH_DATE, date(2071, 6, 15), minimum=18, maximum=70)


def test_without_a_maximum_an_applicant_of_90_is_accepted():
    check_age(BIRTH_DATE, date(2090, 6, 15), minimum=18, maximum=None)


def test_without_a_maximum_an_applicant_of_17_is_still_too_young():
    with pytest.raises(ApplicantTooYoung):
        check_age(BIRTH_DATE, date(2018, 6, 14), minimum=18, maximum=None)


# Someone born on 29 February has, in a year without one, a birthday on 1 March: on 28 February they
# are still a year younger. (This is how age_on counts; it is also the common Norwegian reading.)
def test_someone_born_on_29_february_turns_18_on_1_march_in_a_common_year():
    born = date(2008, 2, 29)

    with pytest.raises(ApplicantTooYoung):
        check_age(born, date(2026, 2, 28), minimum=18, maximum=None)
    check_age(born, date(2026, 3, 1), minimum=18, maximum=None)


def test_someone_born_on_29_february_turns_a_year_older_on_29_february_in_a_leap_year():
    born = date(2008, 2, 29)

    assert age_on(born, date(2028, 2, 28)) == 19
    assert age_on(born, date(2028, 2, 29)) == 20


def test_a_new_application_records_one_received_event_with_the_given_id_and_fields():
    application_id, volunteer_id = uuid4(), uuid4()
    fields = dict(
        volunteer_id=volunteer_id,
        national_id="17912099997",
        full_name="Test Testesen",
        birth_date=date(1990, 1, 1),
        roles=["støttekontakt", "besøkshjem"],
        area="Sentrum",
        interests=["friluftsliv"],
        languages=["nb", "ar"],
        has_driving_licence=True,
        has_car=False,
        has_spare_bedroom=True,
        commitment_acknowledged=True,
    )

    application = VolunteerApplication(id=application_id, **fields)

    events = application.collect_events()
    assert len(events) == 1
    (received,) = events
    assert isinstance(received, VolunteerApplication.Received)
    assert received.originator_id == application_id
    assert received.originator_version == 1
    assert {name: getattr(received, name) for name in fields} == fields
    assert application.id == application_id
    assert {name: getattr(application, name) for name in fields} == fields
    assert application.collect_events() == []
