"""Typed contract terms in the published language: version 1's free dict is upcast on read, and a
misspelt or unknown key fails validation instead of reading as "not there"."""

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest
from pydantic import ValidationError

from brobygger_shared.events import registry as published
from brobygger_shared.events.contracts import ContractAmended, ContractSigned
from brobygger_shared.events.terms import (
    DognRateTable,
    EngagementType,
    ExpensesPerDognByAge,
    FixedHourlyRate,
    FlatMonthlyExpenses,
    HourlyRateTable,
    HoursPerDogn,
    NoExpenses,
    Scheme,
    ScopeUnit,
    Terms,
)


def v1_terms(**changes: Any) -> dict[str, Any]:
    """Privat avlastning terms as the contracts service wrote them in version 1 (Terms.as_dict)."""
    terms = {
        "engagement_type": "arbeidstaker", "scope": 1.0, "scope_unit": "timer_per_uke", "hourly_rate_ore": None,
        "hourly_rate_table": "sgs1030_hol", "work_hours_per_dogn": 8.0, "dogn_rate_ore": None,
        "dogn_rate_table": None, "expense_kind": "døgnsats_etter_alder", "expense_flat_monthly_ore": None,
        "expense_rate_table": "avlastning_hol_døgn", "mileage_covered": True, "notice_period_days": 14,
        "contact_persons": ["Saksbehandler Testesen"], "household_members": ["Kari Avlaster"],
        "valid_from": "2025-01-01",
    }
    return {**terms, **changes}


def v1_signed(terms: dict[str, Any]) -> dict[str, Any]:
    contract_id = str(uuid4())
    return {
        "event_id": str(uuid4()), "occurred_at": "2025-01-02T09:00:00+00:00", "aggregate_id": contract_id,
        "contract_id": contract_id, "volunteer_id": str(uuid4()), "application_id": str(uuid4()),
        "scheme": "privat_avlastning", "user_birth_date": "2016-09-01", "engagement_type": terms["engagement_type"],
        "period_from": "2025-01-01", "period_to": "2025-12-31", "terms": terms, "signed_on": "2025-01-02",
    }


AVLASTNING = Terms(
    engagement_type=EngagementType.EMPLOYEE, scope=Decimal(1), scope_unit=ScopeUnit.HOURS_PER_WEEK,
    hourly_pay=HourlyRateTable(table="sgs1030_hol"), dogn_pay=HoursPerDogn(hours=Decimal(8)),
    expenses=ExpensesPerDognByAge(table="avlastning_hol_døgn"), mileage_covered=True, notice_period_days=14,
    valid_from=date(2025, 1, 1),
)


# -- version 1 upcast to version 2 ------------------------------------------------------------------


def test_a_version_1_contract_signed_is_read_as_version_2_with_typed_terms():
    decoded = published.decode("ContractSigned", 1, v1_signed(v1_terms()))

    assert isinstance(decoded, ContractSigned) and ContractSigned.event_version == 2
    assert decoded.scheme is Scheme.PRIVAT_AVLASTNING
    assert decoded.terms == AVLASTNING
    assert decoded.terms.dogn_pay.hours == 8  # attributes, not string keys


def test_a_version_1_contract_amended_is_read_as_version_2_with_typed_terms():
    payload = v1_signed(v1_terms(hourly_rate_table=None, hourly_rate_ore=19500, work_hours_per_dogn=None,
                                 expense_kind="fast_per_måned", expense_flat_monthly_ore=40000,
                                 expense_rate_table=None, mileage_covered=False, valid_from="2025-06-01"))
    payload = {key: value for key, value in payload.items() if key not in ("user_birth_date", "period_from",
                                                                         "period_to", "signed_on")}

    decoded = published.decode("ContractAmended", 1, {**payload, "amended_on": "2025-05-20"})

    assert isinstance(decoded, ContractAmended)
    assert decoded.terms.hourly_pay == FixedHourlyRate(ore=19500)
    assert decoded.terms.dogn_pay is None
    assert decoded.terms.expenses == FlatMonthlyExpenses(ore=40000)
    assert decoded.terms.valid_from == date(2025, 6, 1)


def test_version_1_terms_written_before_a_døgn_had_its_own_terms_are_read_without_døgn_pay():
    old = {key: value for key, value in v1_terms().items()
           if key not in ("work_hours_per_dogn", "dogn_rate_ore", "dogn_rate_table")}

    decoded = published.decode("ContractSigned", 1, v1_signed(old))

    assert decoded.terms.dogn_pay is None
    assert decoded.terms.hourly_pay == HourlyRateTable(table="sgs1030_hol")


def test_a_version_1_besøkshjem_with_a_døgn_rate_table_and_no_hourly_pay_is_upcast():
    terms = v1_terms(engagement_type="oppdragstaker", scope_unit="døgn_per_måned", hourly_rate_table=None,
                     work_hours_per_dogn=None, dogn_rate_table="besøkshjem_arbeidsgodtgjøring",
                     expense_rate_table="besøkshjem_utgifter", mileage_covered=False, household_members=[])

    decoded = published.decode("ContractSigned", 1, v1_signed(terms) | {"scheme": "besøkshjem"})

    assert decoded.terms.hourly_pay is None
    assert decoded.terms.dogn_pay == DognRateTable(table="besøkshjem_arbeidsgodtgjøring")


def test_the_names_of_people_in_version_1_terms_are_not_carried_into_version_2():
    decoded = published.decode("ContractSigned", 1, v1_signed(v1_terms()))

    assert "Kari Avlaster" not in decoded.model_dump_json()
    assert "Saksbehandler Testesen" not in decoded.model_dump_json()


def test_version_2_terms_survive_the_wire():
    event = published.decode("ContractSigned", 1, v1_signed(v1_terms()))

    assert published.decode("ContractSigned", 2, event.to_json()) == event


# -- a misspelt key fails, it does not read as zero ------------------------------------------------


def test_a_misspelt_key_in_version_1_terms_fails_the_upcast():
    terms = v1_terms()
    terms["mileage_coverd"] = terms.pop("mileage_covered")

    with pytest.raises(ValueError, match="mileage_coverd"):
        published.decode("ContractSigned", 1, v1_signed(terms))


def test_a_misspelt_key_in_version_2_terms_fails_validation():
    data = AVLASTNING.model_dump(mode="json")
    data["expences"] = data.pop("expenses")

    with pytest.raises(ValidationError) as failure:
        Terms.model_validate(data)

    assert {error["loc"][0] for error in failure.value.errors()} == {"expenses", "expences"}


def test_a_misspelt_key_inside_a_pay_choice_fails_validation():
    data = AVLASTNING.model_dump(mode="json")
    data["hourly_pay"] = {"kind": "timesats_etter_tabell", "tabel": "sgs1030_hol"}

    with pytest.raises(ValidationError, match="tabel"):
        Terms.model_validate(data)


def test_a_version_2_message_with_a_misspelt_key_in_its_terms_is_not_decoded():
    event = published.decode("ContractSigned", 1, v1_signed(v1_terms()))
    wire = event.to_json().replace(b'"mileage_covered"', b'"mileage_coverd"')

    with pytest.raises(ValidationError, match="mileage_cover"):
        published.decode("ContractSigned", 2, wire)


@pytest.mark.parametrize("kind", ["døgnsats_etter_alder_", "fast per måned", ""])
def test_an_unknown_expense_kind_fails_validation(kind):
    with pytest.raises(ValidationError):
        Terms.model_validate(AVLASTNING.model_dump(mode="json") | {"expenses": {"kind": kind, "table": "x"}})


def test_terms_that_pay_no_work_at_all_are_refused():
    with pytest.raises(ValidationError, match="døgn rate"):
        AVLASTNING.with_changes(hourly_pay=None)


def test_a_changed_copy_of_terms_is_validated():
    assert AVLASTNING.with_changes(expenses=NoExpenses()).expenses == NoExpenses()
    with pytest.raises(ValidationError):
        AVLASTNING.with_changes(scope=0)
