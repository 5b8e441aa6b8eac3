"""A contract whose terms name a rate table payroll has no rates in could never be paid (issue 10): the
contracts service refuses it with 422 naming the field, when a draft is edited to name it and when a
draft made on the kommune's default terms names it at signing. Over HTTP on the embedded stack."""

import json

import pytest

from brobygger_contracts.main import DEFAULT_TERMS
from brobygger_shared.auth import CASEWORKER
from brobygger_dev.testing import staff_headers
from tests.integration.flows import drafted_contract, approved_volunteer, granted_case, url

pytestmark = pytest.mark.stack

UNKNOWN_TABLE = "kommunesats_som_ikke_finnes"


def _draft(http, stack) -> dict:
    """A contract draft on the kommune's default terms: an approved støttekontakt matched with a granted
    case, the match accepted by both sides."""
    volunteer = approved_volunteer(http, stack, roles=["støttekontakt"], area="Sentrum", interests=["fotball"])
    case = granted_case(http, stack)
    return drafted_contract(http, stack, volunteer, case)


def test_a_draft_naming_a_rate_table_payroll_does_not_know_is_refused_naming_the_field(stack, http):
    draft = _draft(http, stack)
    terms = {"engagement_type": "oppdragstaker", "scope": 3, "scope_unit": "timer_per_uke",
             "hourly_rate_table": UNKNOWN_TABLE, "expense_kind": "fast_per_måned",
             "expense_flat_monthly_ore": 40000}

    edited = http.put(url(stack, "contracts", f"/contracts/{draft['contract_id']}/draft"),
                      headers=staff_headers(CASEWORKER),
                      json={"period_from": draft["period_from"], "period_to": draft["period_to"], "terms": terms})

    assert edited.status_code == 422, edited.text
    assert edited.headers["content-type"].startswith("application/problem+json")
    (error,) = edited.json()["errors"]
    assert error["field"] == "terms.hourly_rate_table"
    assert f"Lønn kjenner ingen satstabell {UNKNOWN_TABLE}" in error["message"]
    assert "sgs1030_hol" in error["message"]  # the tables it does know are named
    unchanged = http.get(url(stack, "contracts", f"/contracts/{draft['contract_id']}"),
                         headers=staff_headers(CASEWORKER)).json()
    assert unchanged["terms"]["hourly_rate_table"] != UNKNOWN_TABLE


@pytest.fixture
def contracts_defaulting_to_an_unknown_table(stack):
    """The contracts service restarted with kommune defaults whose støttekontakt terms name a rate table
    payroll has no rates in (a setting mistyped, or a table renamed)."""
    defaults = json.loads(json.dumps(DEFAULT_TERMS))
    støttekontakt = defaults["støttekontakt"]
    del støttekontakt["hourly_rate_ore"]
    støttekontakt["hourly_rate_table"] = UNKNOWN_TABLE
    stack.stop_service("contracts")
    stack.start_service("contracts", env={"CONTRACT_DEFAULTS": json.dumps(defaults)})
    yield
    stack.stop_service("contracts")
    stack.start_service("contracts")


def test_signing_a_draft_whose_default_terms_name_an_unknown_rate_table_is_refused_naming_the_field(
        stack, http, contracts_defaulting_to_an_unknown_table):
    draft = _draft(http, stack)

    signed = http.post(url(stack, "contracts", f"/contracts/{draft['contract_id']}/kommune-signature"),
                       headers=staff_headers(CASEWORKER))

    assert signed.status_code == 422, signed.text
    (error,) = signed.json()["errors"]
    assert error["field"] == "terms.hourly_rate_table"
    assert UNKNOWN_TABLE in error["message"]
    after = http.get(url(stack, "contracts", f"/contracts/{draft['contract_id']}"),
                     headers=staff_headers(CASEWORKER)).json()
    assert after["status"] == "utkast" and after["signatures"] == {}  # nobody signed
