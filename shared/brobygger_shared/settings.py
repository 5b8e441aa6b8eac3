"""Settings every service shares, read from the environment (pydantic-settings).

A service subclasses `ServiceSettings` for its own settings and gives it an `env_prefix` only if it
needs one; the shared names (DATABASE_URL, KAFKA_BOOTSTRAP_SERVERS, ...) are the same everywhere.
"""

from typing import Literal
from urllib.parse import urlsplit

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The dev keys live in dev_keys.py (no imports, for the CLI); importing them from here keeps working.
from brobygger_shared.dev_keys import (
    DEV_ARCHIVE_PRIVATE_KEY as DEV_ARCHIVE_PRIVATE_KEY,
    DEV_ARCHIVE_PUBLIC_KEY,
    DEV_AUTH_PRIVATE_KEY as DEV_AUTH_PRIVATE_KEY,
    DEV_AUTH_PUBLIC_KEY,
)


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    service_name: str = "unnamed"
    environment: Literal["dev", "production"] = "dev"
    log_format: Literal["console", "json"] = "console"
    log_level: str = "INFO"

    database_url: str = "postgresql://postgres@127.0.0.1:5432/postgres"
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    # Apache Kafka wants the idempotent producer; Tansu rejects it.
    kafka_idempotence: bool = False
    topic_partitions: int = 4

    # Tansu answers a waiting fetch only when fetch_max_wait_ms runs out: end-to-end latency is
    # about half of it. Never 0 (it spins).
    # The consumer group; the service name unless set (an operator may set it to re-read everything).
    consumer_group: str | None = None
    consumer_fetch_max_wait_ms: int = 20
    consumer_session_timeout_ms: int = 6000
    consumer_heartbeat_interval_ms: int = 1000
    consumer_batch_max_records: int = 1000
    consumer_max_attempts: int = 3
    relay_batch_size: int = 2000
    relay_broker_check_seconds: float = 2.0

    # The public half of the gateway's signing key (Ed25519, PEM): every service checks tokens with it.
    auth_public_key: str = DEV_AUTH_PUBLIC_KEY
    # Services that sign their own tokens, each limited to one role: {role: public key (PEM)}. A token such
    # a key signed is accepted only if it carries no role but that one.
    auth_role_keys: dict[str, str] = {"arkiv": DEV_ARCHIVE_PUBLIC_KEY}

    # Every request body is refused with 413 above this; no form or command needs more.
    max_request_bytes: int = 256 * 1024
    # /readyz fails while a command has run longer than this (writes are stuck).
    stuck_write_seconds: float = 30
    # A write waits this long for the events table's lock, then fails instead of hanging.
    write_lock_timeout_seconds: int = 10
    # How long an Idempotency-Key is remembered.
    idempotency_key_hours: float = 24
    access_log_retention_days: int = 1826  # how long access records are kept (brobygger_shared.access_log)

    # The key vault of crypto-shredding (brobygger_shared.shredding): a PostgreSQL DSN, the database
    # `brobygger_keys` in the stack. Unset, the service's own database holds the keys (dev and service tests).
    key_vault_url: str | None = None
    key_cache_seconds: float = 60  # how long a process keeps a person's key (or its erasure) cached
    # What bookkeeping law makes payroll keep after an erasure (amounts, periods, the employee number):
    # bokføringsloven § 13, five years.
    bookkeeping_retention_years: int = 5

    http_host: str = "127.0.0.1"
    http_port: int = 8000

    @model_validator(mode="after")
    def _no_dev_key_in_production(self) -> "ServiceSettings":
        if self.environment == "production" and self.auth_public_key.strip() == DEV_AUTH_PUBLIC_KEY.strip():
            raise ValueError("AUTH_PUBLIC_KEY must be set in production: the dev key's private half is public")
        if self.environment == "production" and any(
                key.strip() == DEV_ARCHIVE_PUBLIC_KEY.strip() for key in self.auth_role_keys.values()):
            raise ValueError("AUTH_ROLE_KEYS must be set in production: the dev archive key's private half is public")
        return self

    @property
    def database_dsn_parts(self) -> dict[str, str]:
        """The database URL as the eventsourcing library's POSTGRES_* settings."""
        url = urlsplit(self.database_url)
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": url.path.lstrip("/"),
            "POSTGRES_HOST": url.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(url.port or 5432),
            "POSTGRES_USER": url.username or "postgres",
            "POSTGRES_PASSWORD": url.password or "",
            "POSTGRES_POOL_SIZE": "10",
            "POSTGRES_MAX_OVERFLOW": "10",
            "POSTGRES_LOCK_TIMEOUT": str(self.write_lock_timeout_seconds),
        }
