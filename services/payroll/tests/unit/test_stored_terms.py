"""Payroll keeps each contract's terms as JSON of the typed model, validated when read; rows stored
before the terms were typed hold version 1's dict and are read through the same upcast."""

from datetime import date

import orjson
import pytest
from pydantic import ValidationError

from brobygger_payroll.projections import read_terms, terms_json
from brobygger_shared.events.terms import (
    EngagementType,
    FixedHourlyRate,
    FlatMonthlyExpenses,
    ScopeUnit,
    Terms,
)

TERMS = Terms(engagement_type=EngagementType.CONTRACTOR, scope=3, scope_unit=ScopeUnit.HOURS_PER_WEEK,
              hourly_pay=FixedHourlyRate(ore=18000), dogn_pay=None, expenses=FlatMonthlyExpenses(ore=40000),
              mileage_covered=False, notice_period_days=14, valid_from=date(2025, 1, 1))


def test_stored_terms_are_read_back_as_the_typed_model():
    amended = TERMS.with_changes(hourly_pay=FixedHourlyRate(ore=20000), valid_from=date(2025, 6, 1))

    assert read_terms(terms_json([TERMS, amended])) == (TERMS, amended)


def test_a_row_stored_before_the_terms_were_typed_is_read_as_typed_terms():
    stored = orjson.dumps([{
        "engagement_type": "oppdragstaker", "scope": 3, "scope_unit": "timer_per_uke", "hourly_rate_ore": 18000,
        "hourly_rate_table": None, "expense_kind": "fast_per_måned", "expense_flat_monthly_ore": 40000,
        "expense_rate_table": None, "mileage_covered": False, "notice_period_days": 14, "contact_persons": [],
        "household_members": [], "valid_from": "2025-01-01",
    }]).decode()

    assert read_terms(stored) == (TERMS,)


def test_a_stored_row_with_a_misspelt_key_fails_instead_of_paying_nothing():
    stored = terms_json([TERMS]).replace('"expenses"', '"expense"')

    with pytest.raises(ValidationError, match="expense"):
        read_terms(stored)
