"""Fixtures of the fuzzing tier: one Schemathesis schema per service, loaded from the running stack,
and the recorder of every case (tests/fuzz/harness.py says what is sent and checked)."""

import json
from pathlib import Path

import pytest

from tests.fuzz.harness import RECORDER, RUNTIME_FILE, SERVICES, load_schema


if not hasattr(pytest.Function, "_nodeid"):
    # Schemathesis 4.32 names each operation's subtest by setting `_nodeid`, which pytest 9.2 replaced
    # with a structured `_id`: map the one onto the other (inert once either side catches up).
    from _pytest.nodes import coerce_node_id

    def _set_nodeid(node, value: str) -> None:
        node._id = coerce_node_id(value)

    pytest.Function._nodeid = property(lambda node: str(node._id), _set_nodeid)


def pytest_collection_modifyitems(session, config, items):
    """Fuzz last: its generated commands add data the other stack tests do not expect to share."""
    fuzz = [item for item in items if "tests/fuzz/" in item.nodeid]
    if fuzz and len(fuzz) < len(items):
        items[:] = [item for item in items if item not in fuzz] + fuzz


@pytest.fixture(scope="session")
def fuzz_recorder():
    yield RECORDER
    RECORDER.close()


def pytest_terminal_summary(terminalreporter):
    if RECORDER.figures:
        terminalreporter.section("fuzzing: cases and findings per service")
        terminalreporter.write_line(RECORDER.summary())


@pytest.fixture(scope="session")
def service_urls(request) -> dict[str, str]:
    """The session's embedded stack, or the services a runtime file names (BROBYGGER_FUZZ_RUNTIME, e.g.
    var/runtime.json of `make dev`)."""
    if RUNTIME_FILE:
        services = json.loads(Path(RUNTIME_FILE).read_text())["services"]
        return {name: service["url"] for name, service in services.items()}
    stack = request.getfixturevalue("stack")
    return {name: service.url for name, service in stack.services.items()}


def _schema_fixture(service: str):
    @pytest.fixture(scope="session", name=f"{service}_schema")
    def schema(service_urls):
        return load_schema(service_urls[service])

    return schema


for _service in SERVICES:
    globals()[f"{_service}_schema"] = _schema_fixture(_service)
