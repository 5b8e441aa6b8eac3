"""Every service documents the body of every error it can answer: problem+json, whatever declared it."""

import importlib

import pytest

from brobygger_shared.topics import SERVICES


@pytest.mark.parametrize("service", SERVICES)
def test_every_error_answer_in_the_openapi_document_has_the_problem_schema(service):
    document = importlib.import_module(f"brobygger_{service}.main").app.openapi()

    undocumented = [
        f"{method.upper()} {path} {status}"
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        for status, answer in operation["responses"].items()
        if status[0] in "45" and "application/problem+json" not in answer.get("content", {})
    ]

    assert undocumented == []
    assert all("400" not in operation["responses"]
               for operations in document["paths"].values() for operation in operations.values())
