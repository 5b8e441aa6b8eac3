"""A case's wishes about the helper: typed when the søknad is received, one vocabulary for gender."""

import pytest

from brobygger_shared.rules import InvalidValue
from brobygger_shared.wishes import Gender, HelperWishes


def test_wishes_are_read_into_one_vocabulary():
    wishes = HelperWishes.read({"gender": " Kvinne", "gender_required": "ja", "age_from": "25", "age_to": 40,
                                "language": "arabisk", "siblings": 2})

    assert wishes == HelperWishes(gender=Gender.WOMAN, gender_required=True, language="arabisk", age_from=25,
                                  age_to=40, siblings=2)
    assert wishes.as_dict() == {"gender": "kvinne", "gender_required": True, "language": "arabisk",
                                "age_from": 25, "age_to": 40, "siblings": 2}


@pytest.mark.parametrize(("wishes", "field"), [
    ({"age_from": "25 år"}, "helper_wishes.age_from"),
    ({"age_to": 7}, "helper_wishes.age_to"),
    ({"age_from": 50, "age_to": 30}, "helper_wishes.age_to"),
    ({"gender": "dame"}, "helper_wishes.gender"),
    ({"gender_required": "ja"}, "helper_wishes.gender"),
    ({"siblings": "mange"}, "helper_wishes.siblings"),
    ({"favorittfarge": "blå"}, "helper_wishes.favorittfarge"),
])
def test_a_wish_that_cannot_be_read_is_refused_naming_it(wishes, field):
    with pytest.raises(InvalidValue) as refused:
        HelperWishes.read(wishes)

    assert refused.value.field == field


@pytest.mark.parametrize("text", ["kvinne", "Kvinne", " KVINNE "])
def test_a_stated_gender_is_read_whatever_its_case(text):
    assert Gender.read(text) is Gender.WOMAN


@pytest.mark.parametrize("text", [None, "", "vil ikke oppgi", 3])
def test_anything_else_is_no_stated_gender(text):
    assert Gender.read(text) is None
