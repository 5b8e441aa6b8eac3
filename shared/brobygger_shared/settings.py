"""Settings every service shares, read from the environment (pydantic-settings).

A service subclasses `ServiceSettings` for its own settings and gives it an `env_prefix` only if it
needs one; the shared names (DATABASE_URL, KAFKA_BOOTSTRAP_SERVERS, ...) are the same everywhere.
"""

from typing import Literal
from urllib.parse import urlsplit

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_AUTH_SECRET = "dev-only-secret-never-in-production"


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

    # Shared with the gateway, which signs the staff tokens every service checks.
    auth_secret: str = DEV_AUTH_SECRET

    # Every request body is refused with 413 above this; no form or command needs more.
    max_request_bytes: int = 256 * 1024
    # /readyz fails while a command has run longer than this (writes are stuck).
    stuck_write_seconds: float = 30
    # A write waits this long for the events table's lock, then fails instead of hanging.
    write_lock_timeout_seconds: int = 10
    # How long an Idempotency-Key is remembered.
    idempotency_key_hours: float = 24

    http_host: str = "127.0.0.1"
    http_port: int = 8000

    @model_validator(mode="after")
    def _no_dev_secret_in_production(self) -> "ServiceSettings":
        if self.environment == "production" and (self.auth_secret == DEV_AUTH_SECRET or len(self.auth_secret) < 32):
            raise ValueError("AUTH_SECRET must be set in production, at least 32 characters")
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
