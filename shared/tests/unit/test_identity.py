"""Norwegian identity numbers, checked with Skatteetaten's synthetic test population only (month + 80).

No real person's number appears here: every number is either one of the published synthetic examples
or built by the tests themselves with a month above 80.
"""

from datetime import date

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from brobygger_shared.identity import (
    K1_WEIGHTS,
    K2_WEIGHTS,
    IdentityKind,
    InvalidIdentityNumber,
    parse_identity_number,
)

# No example database on disk: these are pure unit tests.
pure = settings(database=None)


def weighted_sum(weights: tuple[int, ...], digits: str) -> int:
    return sum(weight * int(digit) for weight, digit in zip(weights, digits))


def with_second_control_digit(first_ten: str) -> str | None:
    k2 = (11 - weighted_sum(K2_WEIGHTS, first_ten) % 11) % 11
    return None if k2 == 10 else first_ten + str(k2)


def classic_number(first_nine: str) -> str | None:
    """The pre-2032 rule: (sum1 + K1) mod 11 == 0. None when K1 or K2 would have to be 10."""
    k1 = (11 - weighted_sum(K1_WEIGHTS, first_nine) % 11) % 11
    return None if k1 == 10 else with_second_control_digit(first_nine + str(k1))


def number_from_2032(first_nine: str, remainder: int) -> str | None:
    """The 2032 rule: (sum1 + K1) mod 11 == remainder, for remainder 1, 2 or 3. None when impossible."""
    k1 = (remainder - weighted_sum(K1_WEIGHTS, first_nine)) % 11
    return None if k1 == 10 else with_second_control_digit(first_nine + str(k1))


def synthetic_prefix(birth_date: date, individual: int, d_number: bool = False) -> str:
    day = birth_date.day + (40 if d_number else 0)
    return f"{day:02d}{birth_date.month + 80:02d}{birth_date.year % 100:02d}{individual:03d}"


birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2039, 12, 31))
individual_numbers = st.integers(min_value=0, max_value=999)


@st.composite
def valid_synthetic_numbers(draw) -> str:
    prefix = synthetic_prefix(draw(birth_dates), draw(individual_numbers), d_number=draw(st.booleans()))
    remainder = draw(st.sampled_from([0, 1, 2, 3]))
    number = classic_number(prefix) if remainder == 0 else number_from_2032(prefix, remainder)
    assume(number is not None)
    return number


@pytest.mark.parametrize(
    ("number", "day", "month", "year_of_century"),
    [("17912099997", 17, 11, 20), ("57912075186", 17, 11, 20), ("29822099635", 29, 2, 20)],
)
def test_the_published_synthetic_examples_are_accepted_with_their_birth_date(number, day, month, year_of_century):
    parsed = parse_identity_number(number)

    assert parsed.kind is IdentityKind.SYNTHETIC
    assert (parsed.day, parsed.month, parsed.year_of_century) == (day, month, year_of_century)
    assert parsed.value == number


def test_a_synthetic_d_number_reports_the_real_day_of_birth():
    parsed = parse_identity_number("57912075186")

    assert parsed.day == 17


def test_spaces_typed_inside_the_number_are_removed_from_the_stored_value():
    assert parse_identity_number("179120 99997").value == "17912099997"


@pure
@given(birth_date=birth_dates, individual=individual_numbers)
def test_any_synthetic_number_built_with_the_classic_rule_is_accepted(birth_date, individual):
    number = classic_number(synthetic_prefix(birth_date, individual))
    assume(number is not None)

    parsed = parse_identity_number(number)

    assert parsed.kind is IdentityKind.SYNTHETIC
    assert (parsed.day, parsed.month, parsed.year_of_century) == (
        birth_date.day,
        birth_date.month,
        birth_date.year % 100,
    )


@pure
@given(birth_date=birth_dates, individual=individual_numbers, remainder=st.sampled_from([1, 2, 3]))
def test_any_synthetic_number_built_with_the_2032_rule_is_accepted(birth_date, individual, remainder):
    number = number_from_2032(synthetic_prefix(birth_date, individual), remainder)
    assume(number is not None)

    parsed = parse_identity_number(number)

    assert parsed.kind is IdentityKind.SYNTHETIC
    assert (parsed.day, parsed.month) == (birth_date.day, birth_date.month)


# With the 2032 rule the first check alone no longer catches every single-digit error: changing K1
# (or another digit) can move the remainder from 0 to 1, 2 or 3 and still pass it. The property still
# holds for the two checks together, because the second check stays strict (remainder 0) and every one
# of its eleven weights (5 4 3 2 7 6 5 4 3 2, and 1 for K2 itself) is non-zero mod 11: changing one
# digit by d (0 < |d| < 11) changes sum2 by weight * d, which 11, a prime, cannot divide. So the
# property is asserted for numbers built with either rule.
@pure
@given(
    number=valid_synthetic_numbers(),
    position=st.integers(min_value=0, max_value=10),
    replacement=st.integers(min_value=0, max_value=9),
)
def test_changing_any_single_digit_of_a_valid_number_makes_it_invalid(number, position, replacement):
    assume(int(number[position]) != replacement)
    mistyped = number[:position] + str(replacement) + number[position + 1 :]

    with pytest.raises(InvalidIdentityNumber):
        parse_identity_number(mistyped)


@pytest.mark.parametrize("text", ["1791209999", "179120999970", "", "1791209999x", "17912-99997"])
def test_a_number_that_is_not_eleven_digits_is_refused_saying_so(text):
    with pytest.raises(InvalidIdentityNumber, match="11 sifre"):
        parse_identity_number(text)


def test_a_wrong_first_control_digit_is_refused_naming_the_first_control_digit():
    # 17912099997 has first-check remainder 0; K1 = 8 instead of 9 gives remainder 10, outside 0..3.
    with pytest.raises(InvalidIdentityNumber, match="første kontrollsiffer"):
        parse_identity_number("17912099987")


def test_a_wrong_second_control_digit_is_refused_naming_the_second_control_digit():
    with pytest.raises(InvalidIdentityNumber, match="andre kontrollsiffer"):
        parse_identity_number("17912099998")


@pytest.mark.parametrize(
    "first_nine",
    [
        "308220123",  # 30 February
        "319120123",  # 31 November
        "009120123",  # day 0
        "179320123",  # month 13 (93 - 80)
        "298201123",  # 29 February in 1901 and in 2001, neither a leap year
    ],
)
def test_a_number_with_correct_control_digits_but_an_impossible_birth_date_is_refused_saying_so(first_nine):
    number = classic_number(first_nine) or number_from_2032(first_nine, 1)
    assert number is not None, "test data: choose another individual number"

    with pytest.raises(InvalidIdentityNumber, match="fødselsdato"):
        parse_identity_number(number)


def test_29_february_is_accepted_in_a_year_of_century_that_is_a_leap_year():
    number = classic_number("298224123") or number_from_2032("298224123", 1)
    assert number is not None

    assert (parse_identity_number(number).day, parse_identity_number(number).month) == (29, 2)


def test_a_number_typed_with_arabic_indic_digits_is_refused_or_stored_as_ascii_digits():
    arabic_indic = "17912099997".translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))

    try:
        parsed = parse_identity_number(arabic_indic)
    except InvalidIdentityNumber:
        return
    assert parsed.value == "17912099997"


def test_a_number_containing_a_superscript_digit_is_refused_with_the_norwegian_message():
    with pytest.raises(InvalidIdentityNumber, match="11 sifre"):
        parse_identity_number("¹7912099997")
