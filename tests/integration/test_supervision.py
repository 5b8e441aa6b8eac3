"""What the launcher started and dies on its own comes back on the same URL, and status counts it."""

import json
import os
import signal
import time

import httpx
import pytest
from typer.testing import CliRunner

from brobygger_dev.runtime.cli import app
from brobygger_dev.testing import eventually

pytestmark = pytest.mark.stack

SERVICE = "notifications"


def _answers(http: httpx.Client, url: str) -> bool:
    try:
        return http.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _runtime(stack) -> dict:
    return json.loads((stack.var_dir / "runtime.json").read_text())["services"][SERVICE]


def test_a_service_killed_from_outside_comes_back_on_the_same_url_and_status_counts_the_restart(stack, http):
    url = stack.services[SERVICE].url
    assert _runtime(stack)["url"] == url
    killed = stack.services[SERVICE].process.pid

    os.kill(killed, signal.SIGKILL)

    eventually(lambda: stack.services[SERVICE].process.pid != killed and _answers(http, f"{url}/healthz"),
               timeout=120)
    running = eventually(lambda: (lambda seen: seen if seen["state"] == "running" else None)(_runtime(stack)),
                         timeout=120)
    assert running["url"] == url
    assert running["restarts"] == 1
    assert "SIGKILL" in running["last_exit"]

    result = CliRunner().invoke(app, ["status", "--var-dir", str(stack.var_dir)])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if line.startswith(SERVICE))
    assert line.split()[1:5] == [url, "running", "1", "klar"], line


def test_a_service_stopped_on_purpose_stays_stopped_until_started(stack, http):
    url = stack.services[SERVICE].url
    stack.stop_service(SERVICE)
    time.sleep(2)  # longer than the supervisor's first backoff
    assert not _answers(http, f"{url}/healthz")
    assert _runtime(stack)["state"] == "stopped"

    stack.start_service(SERVICE)
    assert _answers(http, f"{url}/healthz")
