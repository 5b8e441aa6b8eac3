"""Contact details for notices: optional, validated at the door, kept on the Received events and
published in their own fields, with the identity number for the KRR lookup; events stored before they
existed still replay and publish none."""

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest
from pydantic import ValidationError

from brobygger_applications.api import ServiceApplicationIn, VolunteerApplicationIn
from brobygger_applications.domain import ServiceApplication, VolunteerApplication
from brobygger_applications.publishing import to_integration_event
from brobygger_shared.identity import synthetic_identity_number

BIRTH_DATE = date(1990, 11, 17)


def volunteer_form(**contact) -> dict:
    return {"national_id": synthetic_identity_number(BIRTH_DATE), "full_name": "Test Testesen",
            "birth_date": BIRTH_DATE.isoformat(), "roles": ["støttekontakt"], "area": "Sentrum",
            "commitment_acknowledged": True, **contact}


def test_contact_details_are_optional_and_normalised():
    assert VolunteerApplicationIn(**volunteer_form()).email is None
    form = VolunteerApplicationIn(**volunteer_form(email=" Kari.Nordmann@Example.ORG ", mobile="912 34 567"))
    assert (form.email, form.mobile) == ("Kari.Nordmann@example.org", "+4791234567")


@pytest.mark.parametrize("field, value", [
    ("email", "ikke-en-adresse"), ("email", "a@b"), ("email", "x" * 250 + "@example.org"),
    ("email", "kari@example.org\nBcc: noen@example.org"), ("mobile", "12345678"), ("mobile", "+47 1234 5678"),
    ("mobile", "9" * 31), ("mobile", "ring meg"),
])
def test_invalid_contact_details_are_refused_naming_the_field(field, value):
    with pytest.raises(ValidationError) as raised:
        VolunteerApplicationIn(**volunteer_form(**{field: value}))
    assert {error["loc"][0] for error in raised.value.errors()} == {field}


def test_a_søknad_takes_contact_details_too():
    form = ServiceApplicationIn(
        national_id=synthetic_identity_number(BIRTH_DATE), full_name="Test Testesen", birth_date=BIRTH_DATE,
        address="Gata 1", area="Sentrum", scheme="støttekontakt", needs="Trenger følge", email="kari@example.org")
    assert form.email == "kari@example.org" and form.mobile is None


def _case(**contact) -> ServiceApplication:
    return ServiceApplication(
        id=uuid4(), person_id=uuid4(), national_id=synthetic_identity_number(BIRTH_DATE), full_name="Test Testesen",
        birth_date=BIRTH_DATE, address="Gata 1", area="Sentrum", scheme="støttekontakt", needs="Følge",
        interests=[], wished_activities=[], helper_wishes={}, carers=[], scope_asked=None,
        received_on=date(2026, 11, 2), case_number="2026/0001", **contact)


def test_received_events_publish_contact_details_in_their_own_fields():
    case = _case(email="kari@example.org", mobile="+4791234567")
    published = to_integration_event(case.collect_events()[0])
    assert (published.email, published.mobile) == ("kari@example.org", "+4791234567")
    volunteer = VolunteerApplication(
        id=uuid4(), volunteer_id=uuid4(), national_id=synthetic_identity_number(BIRTH_DATE), full_name="Test Testesen",
        birth_date=BIRTH_DATE, roles=["avlaster"], area="Nord", interests=[], languages=[],
        has_driving_licence=False, has_car=False, has_spare_bedroom=False, commitment_acknowledged=True,
        email="ola@example.org")
    published = to_integration_event(volunteer.collect_events()[0])
    assert (published.email, published.mobile) == ("ola@example.org", None)
    # The identity number goes with them, for notifications' lookup in KRR before an important letter.
    assert published.national_id == synthetic_identity_number(BIRTH_DATE)


def test_the_identity_number_is_not_published_where_no_contact_details_were_given():
    assert to_integration_event(_case().collect_events()[0]).national_id is None
    assert to_integration_event(_case(mobile="+4791234567").collect_events()[0]).national_id == \
        synthetic_identity_number(BIRTH_DATE)


def test_a_received_event_stored_before_contact_details_replays_and_publishes_none():
    received = _case().collect_events()[0]
    for name in ("email", "mobile"):
        vars(received).pop(name, None)  # as an event stored before the fields existed
    replayed = received.mutate(None)
    assert (replayed.email, replayed.mobile) == (None, None)
    published = to_integration_event(received)
    assert (published.email, published.mobile) == (None, None)


def test_an_interview_appointment_is_published_with_its_place_for_the_invitation():
    volunteer = VolunteerApplication(
        id=uuid4(), volunteer_id=uuid4(), national_id=synthetic_identity_number(BIRTH_DATE), full_name="Test",
        birth_date=BIRTH_DATE, roles=["avlaster"], area="Nord", interests=[], languages=[],
        has_driving_licence=False, has_car=False, has_spare_bedroom=False, commitment_acknowledged=True)
    at = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    volunteer.schedule_interview(at, "Rådhuset, rom 3")
    scheduled = volunteer.collect_events()[-1]
    published = to_integration_event(scheduled)
    assert (published.volunteer_id, published.at, published.address) == (volunteer.volunteer_id, at, "Rådhuset, rom 3")
    vars(scheduled).pop("volunteer_id")  # as an appointment stored before invitations were published
    assert to_integration_event(scheduled) is None
