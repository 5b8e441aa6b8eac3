"""The supervisor restarts a child that dies on its own, says why, and leaves alone one stopped on purpose."""

import os
import signal
import subprocess
import threading
import time

from brobygger_dev.runtime.supervisor import RUNNING, STOPPED, Child, Supervisor, exit_reason


class Sleeper:
    """A child process that runs until killed."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        self.process = subprocess.Popen(["sleep", "600"])
        self.starts += 1

    def exited(self) -> str | None:
        returncode = self.process.poll()
        return None if returncode is None else exit_reason(returncode)

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def _supervised(sleeper: Sleeper) -> tuple[Supervisor, list[str]]:
    messages: list[str] = []
    supervisor = Supervisor(threading.RLock(), messages.append)
    sleeper.start()
    supervisor.watch(Child("sleeper", exited=sleeper.exited, restart=sleeper.start))
    supervisor.start()
    return supervisor, messages


def _until(condition, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_exit_reasons_name_the_code_or_the_signal():
    assert exit_reason(3) == "exit code 3"
    assert exit_reason(-9) == "killed by signal SIGKILL (9)"


def test_a_child_killed_from_outside_is_restarted_and_the_reason_reported():
    sleeper = Sleeper()
    supervisor, messages = _supervised(sleeper)
    try:
        assert _until(lambda: supervisor.describe()["sleeper"]["state"] == RUNNING)
        first = sleeper.process.pid
        sleeper.kill()

        assert _until(lambda: sleeper.starts == 2 and supervisor.describe()["sleeper"]["state"] == RUNNING)
        assert sleeper.process.pid != first and sleeper.exited() is None
        assert supervisor.describe()["sleeper"] == {
            "state": RUNNING, "restarts": 1, "last_exit": "killed by signal SIGKILL (9)"}
        assert any("sleeper exited (killed by signal SIGKILL (9))" in message for message in messages), messages
    finally:
        supervisor.stop()
        sleeper.close()


def test_a_child_that_keeps_dying_is_restarted_with_a_growing_delay():
    messages: list[str] = []
    supervisor = Supervisor(threading.RLock(), messages.append)
    processes = []

    def start():
        processes.append(subprocess.Popen(["false"]))

    start()
    supervisor.watch(Child("failing", exited=lambda: (None if processes[-1].poll() is None
                                                      else exit_reason(processes[-1].returncode)),
                           restart=start))
    supervisor.start()
    try:
        assert _until(lambda: supervisor.describe()["failing"]["restarts"] >= 2, timeout=15)
    finally:
        supervisor.stop()
    delays = [message.split("restarting it in ")[1].split(" s")[0]
              for message in messages if "restarting it in" in message]
    assert delays[:2] == ["0.5", "1.0"], messages
    assert "exit code 1" in messages[0]


def test_a_child_stopped_on_purpose_or_after_the_supervisor_stopped_is_not_restarted():
    sleeper = Sleeper()
    supervisor, messages = _supervised(sleeper)
    try:
        supervisor.unwatch("sleeper")
        sleeper.kill()
        time.sleep(1.5)
        assert sleeper.starts == 1 and supervisor.describe()["sleeper"]["state"] == STOPPED

        sleeper.start()
        supervisor.watch(Child("sleeper", exited=sleeper.exited, restart=sleeper.start))
        supervisor.stop()
        sleeper.kill()
        time.sleep(1.5)
        assert sleeper.starts == 2 and messages == []
    finally:
        sleeper.close()
