"""The README's commands work as written: every `sh` block runs, in order and in one shell, against the
embedded test stack, from a directory laid out like a checkout after `make dev` (`var/runtime.json` of
the running stack, `.venv/`). Every curl fails on an HTTP error (--fail-with-body), so a block that
stops working fails here. Only the commands that start things are left out, by name below."""

import os
import re
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.stack

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", ROOT / "docs" / "walkthrough.md"]

# Commands that start or test the system rather than use it: the stack is the test's own.
NOT_RUN = ("make dev", "make test")


def shell_blocks(document: Path) -> list[str]:
    return re.findall(r"^```sh\n(.*?)^```", document.read_text(encoding="utf-8"), flags=re.M | re.S)


def runnable(block: str) -> str:
    return "\n".join(line for line in block.splitlines() if not line.strip().startswith(NOT_RUN))


def test_the_excluded_commands_are_the_only_ones_left_out():
    lines = [line.strip() for block in shell_blocks(ROOT / "README.md") for line in block.splitlines()]
    left_out = {line.split("#")[0].strip() for line in lines if line.startswith(NOT_RUN)}
    assert left_out == set(NOT_RUN)


@pytest.mark.parametrize("document", [d for d in DOCUMENTS if d.exists()], ids=lambda d: d.name)
def test_the_documents_shell_commands_run_as_written_against_a_running_stack(document, stack, tmp_path):
    (tmp_path / "var").symlink_to(stack.var_dir.resolve())
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")
    assert (tmp_path / "var" / "runtime.json").exists()
    script = "\n\n".join(runnable(block) for block in shell_blocks(document))
    assert script.strip()
    # An HTTP error fails the run even where a block's curl does not ask for it.
    script = 'curl() { command curl --fail-with-body "$@"; }\n' + script
    services = {name: service.url for name, service in stack.services.items()}
    environment = {**os.environ, "APPS": services["applications"], "MATCH": services["matching"]}
    run = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path, env=environment,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, f"{document.name}:\n{script}\n--- stdout\n{run.stdout}\n--- stderr\n{run.stderr}"
