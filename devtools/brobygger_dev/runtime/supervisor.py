"""Keeps running what the launcher started, as `restart: unless-stopped` does under compose.

Each supervised child (a service process, the broker, PostgreSQL) is watched by one thread. A child
that exits without having been stopped on purpose is started again after a backoff (0.5 s, doubling
up to 30 s; back to 0.5 s once it had stayed up for a minute), and the console is told which child
exited, why (its exit code or the signal that killed it) and when it runs again. An orderly stop
(`unwatch` before stopping, or `stop` of the whole supervisor) is never answered with a restart.
"""

import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

INITIAL_DELAY = 0.5
MAX_DELAY = 30.0
STABLE_AFTER = 60.0
POLL_INTERVAL = 0.2

# States a child can be in, as `brobygger status` shows them.
STARTING = "starting"
RUNNING = "running"
EXITED = "exited"  # died on its own; a restart is due after the backoff
STOPPED = "stopped"  # stopped on purpose, or never started


def exit_reason(returncode: int) -> str:
    """`exit code 1`, or `killed by signal SIGKILL (9)` for a negative Popen return code."""
    if returncode >= 0:
        return f"exit code {returncode}"
    try:
        name = signal.Signals(-returncode).name
    except ValueError:
        name = "an unknown signal"
    return f"killed by signal {name} ({-returncode})"


@dataclass
class Child:
    """How to look after one child: whether it still runs, how to start it again, whether it is ready."""

    name: str
    exited: Callable[[], str | None]  # None while it runs, else why it does not
    restart: Callable[[], None]  # start it again (the same port, the same settings)
    ready: Callable[[], bool] = lambda: True
    where: Callable[[], str] = lambda: ""
    state: str = STARTING
    restarts: int = 0
    last_exit: str | None = None
    started_at: float = field(default_factory=time.monotonic)
    restart_due: float = 0.0
    delay: float = INITIAL_DELAY
    generation: int = 0  # bumped on every (re)start, so a slow readiness check of an old one is ignored
    revived: bool = False  # started again by the supervisor (not by the stack)


class Supervisor:
    def __init__(self, lock: threading.RLock, report: Callable[[str], None],
                 on_change: Callable[[], None] = lambda: None) -> None:
        self.lock = lock
        self.report = report
        self.on_change = on_change
        self.children: dict[str, Child] = {}
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    # -- what the stack tells it -------------------------------------------------------------------

    def watch(self, child: Child) -> None:
        """Look after a child that was just started; keeps the restart count of an earlier one."""
        with self.lock:
            earlier = self.children.get(child.name)
            if earlier:
                child.restarts, child.last_exit = earlier.restarts, earlier.last_exit
                child.generation = earlier.generation + 1
            self.children[child.name] = child
        self.on_change()

    def unwatch(self, name: str) -> None:
        """It is about to be stopped on purpose: never restart it (until it is watched again)."""
        with self.lock:
            child = self.children.get(name)
            if child:
                child.state = STOPPED
                child.generation += 1
        self.on_change()

    def describe(self) -> dict[str, dict]:
        with self.lock:
            return {
                name: {"state": child.state, "restarts": child.restarts, "last_exit": child.last_exit}
                for name, child in self.children.items()
            }

    # -- the thread --------------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread and self._thread.is_alive():
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="brobygger-supervisor", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop looking after anything; returns once no restart is under way."""
        self._stopping.set()
        if self._thread:
            self._thread.join(timeout=120)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        while not self._stopping.wait(POLL_INTERVAL):
            for name in list(self.children):
                if self._stopping.is_set():
                    return
                try:
                    self._look_after(name)
                except Exception as error:  # noqa: BLE001 - the supervisor must outlive any one failure
                    self.report(f"supervisor: looking after {name} failed: {error!r}")

    def _look_after(self, name: str) -> None:
        changed = False
        with self.lock:
            child = self.children[name]
            now = time.monotonic()
            if child.state in (STARTING, RUNNING):
                reason = child.exited()
                if reason:
                    child.delay = (INITIAL_DELAY if now - child.started_at >= STABLE_AFTER
                                   else min(child.delay * 2, MAX_DELAY) if child.restarts else INITIAL_DELAY)
                    child.state, child.last_exit, child.restart_due = EXITED, reason, now + child.delay
                    child.generation += 1
                    self.report(f"{name} exited ({reason}); restarting it in {child.delay:.1f} s "
                                f"(restart {child.restarts + 1})")
                    changed = True
            elif child.state == EXITED and now >= child.restart_due:
                child.restarts += 1
                child.generation += 1
                child.started_at = now
                try:
                    child.restart()
                    child.state, child.revived = STARTING, True
                    self.report(f"{name} restarted (restart {child.restarts}); waiting until it is ready")
                except Exception as error:  # noqa: BLE001 - report it and try again later
                    child.delay = min(child.delay * 2, MAX_DELAY)
                    child.restart_due = time.monotonic() + child.delay
                    self.report(f"{name} could not be restarted ({error}); trying again in {child.delay:.1f} s")
                changed = True
            checking = child.generation if child.state == STARTING else None
        if checking is not None and child.ready():  # outside the lock: a readiness check may take seconds
            with self.lock:
                if child.generation == checking and child.state == STARTING:
                    child.state = RUNNING
                    if child.revived:
                        self.report(f"{name} is running again{' at ' + child.where() if child.where() else ''}")
                    changed = True
        if changed:
            self.on_change()
