"""The kernel's request types: what every service's request models refuse, and what they keep."""

from datetime import date, timedelta

import pytest
from pydantic import ValidationError

from brobygger_shared.identity import parse_identity_number
from brobygger_shared.inputs import BirthDate, Day, Input, Line, Paragraphs, PastDay, Period, Words


class Form(Input):
    name: Line(20) = "Kari"
    story: Paragraphs(50) = ""
    tags: Words = []
    wishes: dict[str, str] = {}
    unbounded: str = ""
    day: Day = date(2026, 1, 1)
    happened: PastDay = date(2026, 1, 1)
    born: BirthDate = date(1990, 1, 1)
    period: Period = "2026-01"


def refused(**values) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as raised:
        Form(**values)
    return [(".".join(str(part) for part in error["loc"]), error["type"]) for error in raised.value.errors()]


@pytest.mark.parametrize("values, field", [
    ({"name": "Ka\x00ri"}, "name"),
    ({"story": "Linje\x1b[31m"}, "story"),
    ({"tags": ["ok", "n\x00"]}, "tags"),
    ({"wishes": {"k\x00": "v"}}, "wishes"),
    ({"wishes": {"k": "\x7f"}}, "wishes"),
    ({"unbounded": "\x85"}, "unbounded"),
])
def test_control_characters_are_refused_wherever_they_hide_naming_the_field(values, field):
    assert refused(**values)[0][0].split(".")[0] == field


def test_a_line_refuses_line_breaks_and_paragraphs_keep_them():
    assert refused(name="Kari\nNordmann") == [("name", "line_break")]
    assert Form(story="Første linje.\r\nAndre linje.\tMed tab.").story.count("\n") == 1


def test_every_string_has_a_maximum_length_even_without_its_own():
    assert refused(unbounded="x" * 2001) == [("unbounded", "string_too_long")]
    assert refused(name="x" * 21) == [("name", "string_too_long")]
    assert refused(tags=["x"] * 51) == [("tags", "too_long")]


@pytest.mark.parametrize("values, error", [
    ({"day": date(1, 1, 1)}, ("day", "date_out_of_range")),
    ({"day": date(9999, 12, 31)}, ("day", "date_out_of_range")),
    ({"happened": date.today() + timedelta(days=1)}, ("happened", "date_in_future")),
    ({"born": date(1899, 12, 31)}, ("born", "date_out_of_range")),
    ({"period": "0000-01"}, ("period", "string_pattern_mismatch")),
])
def test_dates_and_periods_outside_what_a_kommune_could_mean_are_refused(values, error):
    assert refused(**values) == [error]


def test_today_is_not_in_the_future():
    assert Form(happened=date.today()).happened == date.today()


@pytest.mark.parametrize("number, birth_date, agrees", [
    ("17912099997", date(2020, 11, 17), True),
    ("17912099997", date(1920, 11, 17), True),  # the century is not in every number
    ("17912099997", date(1990, 11, 17), False),
    ("17912099997", date(2020, 11, 18), False),
    ("57912075186", date(2020, 11, 17), True),  # a D-number: 40 added to the day
])
def test_a_birth_date_agrees_with_the_identity_number_by_day_month_and_two_digit_year(number, birth_date, agrees):
    assert parse_identity_number(number).agrees_with(birth_date) is agrees
