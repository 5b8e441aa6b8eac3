"""A contract may name only rate tables payroll has rates in: drafting, amending or signing terms that
name another is refused with 422 naming the field (payroll could never pay it)."""

from datetime import date
from uuid import UUID

import pytest

from brobygger_contracts.domain import Contract, Party, Terms, VolunteerStatus
from brobygger_contracts.main import RATE_TABLES
from brobygger_shared.rules import InvalidValue, RuleViolation

AVLASTNING = Terms(engagement_type="arbeidstaker", scope=4, scope_unit="døgn_per_måned",
                   hourly_rate_table="sgs1030_hol", expense_kind="døgnsats_etter_alder",
                   expense_rate_table="avlastning_hol_døgn", mileage_covered=True)
IN_ORDER = VolunteerStatus(certificate_kind="ordinær", certificate_issued_on=date(2026, 10, 1),
                           certificate_verified=True, declaration_signed_on=date(2026, 10, 5))


def draft(terms: Terms = AVLASTNING) -> Contract:
    return Contract(id=UUID(int=9), match_id=UUID(int=1), application_id=UUID(int=2), volunteer_id=UUID(int=3),
                    scheme="privat_avlastning", user_birth_date=date(2016, 1, 1), period_from=date(2027, 1, 1),
                    period_to=date(2027, 12, 31), terms=terms.as_dict())


@pytest.mark.parametrize("field, terms", [
    ("terms.hourly_rate_table", Terms(**{**AVLASTNING.as_dict(), "hourly_rate_table": "sgs1030_hool"})),
    ("terms.expense_rate_table", Terms(**{**AVLASTNING.as_dict(), "expense_rate_table": "avlastning_døgn"})),
])
def test_a_draft_naming_an_unknown_rate_table_is_refused_naming_the_field(field, terms):
    with pytest.raises(InvalidValue) as refused:
        draft().edit(date(2027, 1, 1), date(2027, 12, 31), terms, set(RATE_TABLES))

    assert refused.value.field == field and "Lønn kjenner ingen satstabell" in refused.value.message


def test_a_table_payroll_registered_later_is_known():
    contract = draft()
    contract.edit(date(2027, 1, 1), date(2027, 12, 31),
                  Terms(**{**AVLASTNING.as_dict(), "hourly_rate_table": "kommunal_avlastning"}),
                  {*RATE_TABLES, "kommunal_avlastning"})

    assert contract.terms["hourly_rate_table"] == "kommunal_avlastning"


def test_a_draft_on_defaults_naming_an_unknown_table_cannot_be_signed():
    contract = draft(Terms(**{**AVLASTNING.as_dict(), "hourly_rate_table": "gammel_tabell"}))

    with pytest.raises(InvalidValue) as refused:
        contract.sign(Party.KOMMUNE, "Saksbehandler", date(2026, 11, 23), IN_ORDER, 3, rate_tables=set(RATE_TABLES))

    assert refused.value.field == "terms.hourly_rate_table"


def test_a_døgn_is_paid_one_way_hours_at_the_hourly_rate_or_a_rate_per_døgn():
    besokshjem = Terms(engagement_type="oppdragstaker", scope=2, scope_unit="døgn_per_måned",
                       dogn_rate_table="besøkshjem_arbeidsgodtgjøring", expense_kind="døgnsats_etter_alder",
                       expense_rate_table="besøkshjem_utgifter")
    besokshjem.check("besøkshjem")  # work pay per døgn and no hourly rate: accepted
    Terms(**{**AVLASTNING.as_dict(), "work_hours_per_dogn": 8}).check("privat_avlastning")

    with pytest.raises(RuleViolation):
        Terms(**{**besokshjem.as_dict(), "work_hours_per_dogn": 8}).check("besøkshjem")
    with pytest.raises(RuleViolation):  # hours per døgn need an hourly rate to be paid at
        Terms(**{**besokshjem.as_dict(), "dogn_rate_table": None, "work_hours_per_dogn": 8}).check("besøkshjem")
