"""Choosing the test stack: embedded by default; containers only where a Docker engine answers."""

import os
import subprocess
import sys
from pathlib import Path

from brobygger_dev.runtime import backends
from brobygger_dev.runtime.stack import Stack

ROOT = Path(__file__).resolve().parents[3]


def _without_docker(tmp_path: Path) -> dict[str, str]:
    # No engine at that socket, and no ~/.testcontainers.properties that could name another one.
    return {**os.environ, "DOCKER_HOST": f"unix://{tmp_path}/no-docker.sock", "HOME": str(tmp_path),
            backends.VARIABLE: backends.CONTAINERS}


def test_the_embedded_stack_is_the_default(monkeypatch):
    monkeypatch.delenv(backends.VARIABLE, raising=False)
    assert backends.selected() == backends.EMBEDDED
    assert backends.unavailable(backends.EMBEDDED) is None


def test_an_unknown_stack_is_refused_naming_the_choices():
    assert "embedded" in backends.unavailable("kubernetes") and "containers" in backends.unavailable("kubernetes")


def test_without_a_docker_engine_the_containers_stack_says_so_in_one_line_and_the_run_stops(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "shared/tests/test_identity.py"],
        cwd=ROOT, env=_without_docker(tmp_path), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    said = [line for line in result.stderr.splitlines() if "Docker engine" in line]
    assert len(said) == 1 and "STACK=containers" in said[0], result.stderr
    assert "passed" not in result.stdout, result.stdout


def test_services_use_the_idempotent_producer_on_a_broker_the_stack_did_not_start(tmp_path):
    on_kafka = Stack(tmp_path, postgres_url="postgresql://test:test@127.0.0.1:1/test",
                     kafka_bootstrap_servers="127.0.0.1:2", services=("matching",))
    assert on_kafka.service_env("matching")["KAFKA_IDEMPOTENCE"] == "true"
    on_tansu = Stack(tmp_path, services=("matching",))
    assert on_tansu.service_env("matching")["KAFKA_IDEMPOTENCE"] == "false"
