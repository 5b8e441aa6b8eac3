"""Schemathesis over every service's OpenAPI document, with the token of each role in turn: no 5xx,
no status code the document does not list, and bodies that match their documented schema.

A few derandomized cases per operation here (`make test`); `make fuzz` runs at least 1,000 per service
and prints the figures.
"""

import pytest
import schemathesis

from tests.fuzz.harness import COUNTING, EXCLUDED_PATHS, failure_message, run_case

pytestmark = pytest.mark.stack


def fuzzed(service: str):
    schema = schemathesis.pytest.from_fixture(f"{service}_schema")
    for path in EXCLUDED_PATHS:
        schema = schema.exclude(path=path)
    return schema


def check(service: str, case, service_urls, fuzz_recorder) -> None:
    findings = run_case(fuzz_recorder, service, service_urls[service], case)
    if findings and not COUNTING:
        raise AssertionError(failure_message(findings))


@fuzzed("applications").parametrize()
def test_applications(case, service_urls, fuzz_recorder):
    check("applications", case, service_urls, fuzz_recorder)


@fuzzed("matching").parametrize()
def test_matching(case, service_urls, fuzz_recorder):
    check("matching", case, service_urls, fuzz_recorder)


@fuzzed("contracts").parametrize()
def test_contracts(case, service_urls, fuzz_recorder):
    check("contracts", case, service_urls, fuzz_recorder)


@fuzzed("payroll").parametrize()
def test_payroll(case, service_urls, fuzz_recorder):
    check("payroll", case, service_urls, fuzz_recorder)


@fuzzed("notifications").parametrize()
def test_notifications(case, service_urls, fuzz_recorder):
    check("notifications", case, service_urls, fuzz_recorder)


@fuzzed("gateway").parametrize()
def test_gateway(case, service_urls, fuzz_recorder):
    check("gateway", case, service_urls, fuzz_recorder)
