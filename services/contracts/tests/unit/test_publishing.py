"""The mapping of the write side's Terms to the published, typed terms is total: any terms the domain
accepts map, and every field either reaches the published terms or is named as kept private."""

from dataclasses import fields, replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from brobygger_contracts.domain import Terms
from brobygger_contracts.publishing import KEPT_PRIVATE, published_terms
from brobygger_shared.events import terms as typed
from brobygger_shared.rules import RuleViolation

TABLE = st.sampled_from(["sgs1030_hol", "besøkshjem_arbeidsgodtgjøring", "avlastning_hol_døgn"])
ORE = st.integers(min_value=1, max_value=5_000_00)


def maybe(strategy):
    return st.one_of(st.none(), strategy)


@st.composite
def any_terms(draw) -> Terms:
    """Terms with one way of each kind chosen, and the other fields left empty or holding a stray value."""
    hourly = draw(st.sampled_from(["ore", "table", "none"]))
    dogn = draw(st.sampled_from(["ore", "table", "hours", "none"]))
    kind = draw(st.sampled_from(list(typed.ExpenseKind)))
    return Terms(
        engagement_type=draw(st.sampled_from(list(typed.EngagementType))),
        scope=draw(st.floats(min_value=0.5, max_value=31, allow_nan=False)),
        scope_unit=draw(st.sampled_from(list(typed.ScopeUnit))),
        hourly_rate_ore=draw(ORE) if hourly == "ore" else None,
        hourly_rate_table=draw(TABLE) if hourly == "table" else None,
        work_hours_per_dogn=draw(st.sampled_from([0.5, 4, 7.5, 8, 24])) if dogn == "hours" else None,
        dogn_rate_ore=draw(ORE) if dogn == "ore" else None,
        dogn_rate_table=draw(TABLE) if dogn == "table" else None,
        expense_kind=kind,
        expense_flat_monthly_ore=draw(ORE if kind == typed.ExpenseKind.FLAT_MONTHLY else maybe(ORE)),
        expense_rate_table=draw(TABLE if kind == typed.ExpenseKind.PER_DOGN_BY_AGE else maybe(TABLE)),
        mileage_covered=draw(st.booleans()), notice_period_days=draw(st.integers(min_value=0, max_value=365)),
        contact_persons=draw(st.lists(st.just("Saksbehandler Testesen"), max_size=2)),
        household_members=draw(st.lists(st.just("Kari Avlaster"), max_size=2)),
        valid_from=draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))),
    )


@settings(max_examples=60, deadline=None)
@given(any_terms(), st.sampled_from(list(typed.Scheme)))
def test_any_terms_the_domain_accepts_map_to_published_terms_that_carry_them(terms, scheme):
    try:
        terms.check(scheme)
    except RuleViolation:
        assume(False)

    result = published_terms(terms.as_dict())

    assert result.engagement_type == terms.engagement_type and result.scope_unit == terms.scope_unit
    assert result.scope == Decimal(str(terms.scope)) and result.valid_from == terms.valid_from
    assert (result.mileage_covered, result.notice_period_days) == (terms.mileage_covered, terms.notice_period_days)
    assert result.expenses.kind == terms.expense_kind
    if terms.hourly_rate_ore:
        assert result.hourly_pay == typed.FixedHourlyRate(ore=terms.hourly_rate_ore)
    elif terms.hourly_rate_table:
        assert result.hourly_pay == typed.HourlyRateTable(table=terms.hourly_rate_table)
    else:
        assert result.hourly_pay is None
    if terms.dogn_rate_ore:
        assert result.dogn_pay == typed.FixedDognRate(ore=terms.dogn_rate_ore)
    elif terms.dogn_rate_table:
        assert result.dogn_pay == typed.DognRateTable(table=terms.dogn_rate_table)
    elif terms.work_hours_per_dogn:
        assert result.dogn_pay == typed.HoursPerDogn(hours=Decimal(str(terms.work_hours_per_dogn)))
    else:
        assert result.dogn_pay is None


STOTTEKONTAKT = Terms(engagement_type="oppdragstaker", scope=3, scope_unit="timer_per_uke", hourly_rate_ore=19500,
                      expense_kind="fast_per_måned", expense_flat_monthly_ore=40000,
                      contact_persons=["Saksbehandler Testesen"], valid_from=date(2025, 1, 1))
AVLASTNING = Terms(engagement_type="arbeidstaker", scope=4, scope_unit="døgn_per_måned",
                   hourly_rate_table="sgs1030_hol", work_hours_per_dogn=8, expense_kind="døgnsats_etter_alder",
                   expense_rate_table="avlastning_hol_døgn", mileage_covered=True,
                   household_members=["Kari Avlaster"], valid_from=date(2025, 1, 1))
BESOKSHJEM = Terms(engagement_type="oppdragstaker", scope=2, scope_unit="døgn_per_måned", dogn_rate_ore=102600,
                   expense_kind="ingen", valid_from=date(2025, 1, 1))

# For every field of Terms, terms it can be part of and another value it may take there.
CHANGES = {
    "engagement_type": (STOTTEKONTAKT, "arbeidstaker"), "scope": (STOTTEKONTAKT, 4.5),
    "scope_unit": (STOTTEKONTAKT, "døgn_per_måned"), "hourly_rate_ore": (STOTTEKONTAKT, 20000),
    "hourly_rate_table": (AVLASTNING, "sgs1030_barnevern"), "work_hours_per_dogn": (AVLASTNING, 7.5),
    "dogn_rate_ore": (BESOKSHJEM, 98100), "dogn_rate_table": (replace(BESOKSHJEM, dogn_rate_ore=None,
                                                                      dogn_rate_table="a"), "b"),
    "expense_kind": (STOTTEKONTAKT, "ingen"), "expense_flat_monthly_ore": (STOTTEKONTAKT, 50000),
    "expense_rate_table": (AVLASTNING, "avlastning_barnevern_døgn"), "mileage_covered": (AVLASTNING, False),
    "notice_period_days": (STOTTEKONTAKT, 30), "valid_from": (STOTTEKONTAKT, date(2025, 6, 1)),
}


def test_every_field_of_the_terms_is_published_or_named_as_kept_private():
    assert {field.name for field in fields(Terms)} == set(CHANGES) | KEPT_PRIVATE


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_a_change_of_any_published_field_changes_the_published_terms(name):
    terms, other = CHANGES[name]

    assert published_terms(replace(terms, **{name: other}).as_dict()) != published_terms(terms.as_dict())


@pytest.mark.parametrize("name", sorted(KEPT_PRIVATE))
def test_the_names_of_people_are_kept_private(name):
    terms = replace(AVLASTNING, **{name: ["Ola Testesen"]})

    assert published_terms(terms.as_dict()) == published_terms(replace(terms, **{name: []}).as_dict())


def test_terms_stored_before_a_døgn_had_its_own_terms_still_map():
    stored = {key: value for key, value in AVLASTNING.as_dict().items()
              if key not in ("work_hours_per_dogn", "dogn_rate_ore", "dogn_rate_table")}

    result = published_terms(stored)

    assert result.dogn_pay is None and result.hourly_pay == typed.HourlyRateTable(table="sgs1030_hol")
