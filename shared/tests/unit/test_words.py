"""Figures and dates in the words people read."""

from datetime import date

import pytest

from brobygger_shared.calendar import norwegian_date
from brobygger_shared.words import scope_in_words


@pytest.mark.parametrize(("scope", "unit", "words"), [
    (1, "timer_per_uke", "1 time per uke"),
    (3, "timer_per_uke", "3 timer per uke"),
    (1.5, "timer_per_uke", "1,5 timer per uke"),
    (1, "døgn_per_måned", "1 døgn per måned"),
])
def test_a_scope_reads_in_the_right_number(scope, unit, words):
    assert scope_in_words(scope, unit) == words


def test_a_date_reads_as_people_in_norway_write_it():
    assert norwegian_date(date(2026, 12, 15)) == "15.12.2026"
