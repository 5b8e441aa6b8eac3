"""The terms of an oppdragsavtale: pay, expenses, mileage and household, checked against the scheme
they are for before a caseworker can put them in a draft or an amendment."""

import pytest

from brobygger_contracts.domain import Terms
from brobygger_shared.rules import RuleViolation


def terms(**changes) -> Terms:
    """Støttekontakt terms as a kommune writes them: 3 h/week at 195 NOK/h, 400 NOK/month flat expenses."""
    fields = dict(engagement_type="oppdragstaker", scope=3, scope_unit="timer_per_uke", hourly_rate_ore=19500,
                  expense_kind="fast_per_måned", expense_flat_monthly_ore=40000,
                  contact_persons=["Saksbehandler Testesen"])
    return Terms(**{**fields, **changes})


def avlastning_terms(**changes) -> Terms:
    """Privat avlastning terms: SGS 1030 pay and KS døgnsatser by the child's age, both named by rate table."""
    fields = dict(engagement_type="arbeidstaker", scope=4, scope_unit="døgn_per_måned", hourly_rate_table="sgs1030_hol",
                  expense_kind="døgnsats_etter_alder", expense_rate_table="ks_avlastning_hol")
    return Terms(**{**fields, **changes})


# -- what is accepted ---------------------------------------------------------------------------------


def test_stottekontakt_terms_with_an_hourly_rate_and_a_flat_monthly_sum_are_accepted():
    terms().check("støttekontakt")


def test_avlastning_terms_that_name_rate_tables_instead_of_amounts_are_accepted():
    avlastning_terms(mileage_covered=True, household_members=["Kari Avlaster", "Ola Avlaster"]).check(
        "privat_avlastning")


@pytest.mark.parametrize("engagement_type", ["arbeidstaker", "oppdragstaker"])
def test_both_engagement_types_are_accepted(engagement_type):
    terms(engagement_type=engagement_type).check("støttekontakt")


def test_terms_without_expenses_need_no_expense_amount():
    terms(expense_kind="ingen", expense_flat_monthly_ore=None).check("støttekontakt")


# -- the hourly rate ----------------------------------------------------------------------------------


def test_an_hourly_rate_and_a_rate_table_together_are_refused():
    with pytest.raises(RuleViolation, match="enten en timesats eller en satstabell"):
        terms(hourly_rate_ore=19500, hourly_rate_table="sgs1030_hol").check("støttekontakt")


def test_terms_with_neither_an_hourly_rate_nor_a_rate_table_are_refused():
    with pytest.raises(RuleViolation, match="enten en timesats eller en satstabell"):
        terms(hourly_rate_ore=None, hourly_rate_table=None).check("støttekontakt")


@pytest.mark.parametrize("rate_ore", [0, -100])
def test_an_hourly_rate_of_zero_or_less_is_refused(rate_ore):
    with pytest.raises(RuleViolation, match="Timesatsen må være større enn null"):
        terms(hourly_rate_ore=rate_ore).check("støttekontakt")


# -- expenses -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("amount_ore", [None, 0])
def test_flat_monthly_expenses_without_an_amount_are_refused(amount_ore):
    with pytest.raises(RuleViolation, match="Fast utgiftsdekning per måned må ha et beløp"):
        terms(expense_kind="fast_per_måned", expense_flat_monthly_ore=amount_ore).check("støttekontakt")


@pytest.mark.parametrize("rate_table", [None, ""])
def test_a_dognsats_by_age_without_a_rate_table_is_refused(rate_table):
    with pytest.raises(RuleViolation, match="Døgnsats etter alder må vise til en satstabell"):
        avlastning_terms(expense_rate_table=rate_table).check("privat_avlastning")


# -- mileage ------------------------------------------------------------------------------------------


def test_mileage_is_accepted_for_privat_avlastning_where_transport_is_covered():
    avlastning_terms(mileage_covered=True).check("privat_avlastning")


@pytest.mark.parametrize("scheme", ["støttekontakt", "støttekontakt_barnevern", "besøkshjem"])
def test_mileage_is_refused_where_the_scheme_does_not_cover_transport(scheme):
    with pytest.raises(RuleViolation, match="transport"):
        terms(mileage_covered=True).check(scheme)


# -- household members --------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["privat_avlastning", "besøkshjem"])
def test_household_members_are_accepted_for_avlastning_and_besokshjem(scheme):
    avlastning_terms(household_members=["Kari Avlaster"]).check(scheme)


@pytest.mark.parametrize("scheme", ["støttekontakt", "støttekontakt_barnevern"])
def test_household_members_are_refused_for_a_stottekontakt(scheme):
    with pytest.raises(RuleViolation, match="Personer i hjemmet registreres bare for avlastning og besøkshjem"):
        terms(household_members=["Kari Støttekontakt"]).check(scheme)


# -- engagement type, scope and notice ---------------------------------------------------------------


@pytest.mark.parametrize("engagement_type", ["frivillig", "", "Oppdragstaker"])
def test_an_unknown_engagement_type_is_refused(engagement_type):
    with pytest.raises(RuleViolation, match="Ukjent tilknytningsform"):
        terms(engagement_type=engagement_type).check("støttekontakt")


@pytest.mark.parametrize("scope", [0, -3])
def test_a_scope_of_zero_or_less_is_refused(scope):
    with pytest.raises(RuleViolation, match="Omfanget må være større enn null"):
        terms(scope=scope).check("støttekontakt")


def test_a_negative_notice_period_is_refused():
    with pytest.raises(RuleViolation, match="Oppsigelsestiden kan ikke være negativ"):
        terms(notice_period_days=-1).check("støttekontakt")
