"""`brobygger token` prints a token the services accept, without loading the runtime, FastAPI or the
settings: it is what makes the command take well under a second instead of eleven."""

import subprocess
import sys

from brobygger_shared.auth import read_token
from brobygger_shared.settings import DEV_AUTH_PUBLIC_KEY

HEAVY = ("fastapi", "pydantic_settings", "brobygger_dev.runtime.stack", "asyncpg", "faststream")

SCRIPT = f"""
import sys
from typer.testing import CliRunner
from brobygger_dev.runtime.cli import app
result = CliRunner().invoke(app, ["token", "--roles", "saksbehandler,barnevern", "--user", "kari"])
assert result.exit_code == 0, result.output
print(result.output.strip())
print(",".join(name for name in {HEAVY!r} if name in sys.modules))
"""


def test_the_token_command_signs_a_token_the_services_accept_without_importing_the_runtime():
    run = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60, check=True)
    token, loaded = run.stdout.splitlines()
    principal = read_token(DEV_AUTH_PUBLIC_KEY, token)
    assert principal.user_id == "kari"
    assert principal.roles == {"saksbehandler", "barnevern"}
    assert loaded == "", f"brobygger token imported {loaded}"
