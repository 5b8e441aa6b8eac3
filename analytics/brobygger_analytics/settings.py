"""The analytics command's settings, from the environment (pydantic-settings).

- KAFKA_BOOTSTRAP_SERVERS: the broker; unset, the one `make dev` runs, from var/runtime.json
  (ANALYTICS_RUNTIME_FILE names another).
- ANALYTICS_PSEUDONYM_KEY: the key of the person pseudonyms. The same key gives the same pseudonyms
  in every replay, so figures can be compared over time; whoever holds it can test a known id
  against a pseudonym, so keep it as a secret. Production refuses the dev key.
- KOMMUNE_NAME: the kommune the KPR figures are reported for.
- KEY_VAULT_URL: the key vault (docs/privacy.md), read only. Birth dates travel sealed; with the vault
  the replay opens them to store the birth year (never the date); unset, or once a person is erased,
  the birth year is empty. Names, identity numbers and contact details are never stored either way.
"""

import json
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_PSEUDONYM_KEY = "brobygger-dev-pseudonym-key-not-for-production"


class NoBroker(RuntimeError):
    """Neither KAFKA_BOOTSTRAP_SERVERS nor a runtime file says where the broker is."""


class AnalyticsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", populate_by_name=True)

    environment: Literal["dev", "production"] = "dev"
    kafka_bootstrap_servers: str | None = None
    runtime_file: Path = Field(Path("var/runtime.json"), alias="analytics_runtime_file")
    pseudonym_key: SecretStr = Field(SecretStr(DEV_PSEUDONYM_KEY), alias="analytics_pseudonym_key")
    kommune_name: str = "Eksempel kommune"
    key_vault_url: str | None = None

    @model_validator(mode="after")
    def _no_dev_key_in_production(self) -> "AnalyticsSettings":
        if self.environment == "production" and self.pseudonym_key.get_secret_value() == DEV_PSEUDONYM_KEY:
            raise ValueError("ANALYTICS_PSEUDONYM_KEY must be set in production: the dev key is public")
        if len(self.pseudonym_key.get_secret_value()) < 16:
            raise ValueError("ANALYTICS_PSEUDONYM_KEY must be at least 16 characters")
        return self

    def key(self) -> bytes:
        return self.pseudonym_key.get_secret_value().encode()

    def bootstrap_servers(self) -> str:
        if self.kafka_bootstrap_servers:
            return self.kafka_bootstrap_servers
        try:
            runtime = json.loads(self.runtime_file.read_text())
            return runtime["kafka"]["bootstrap_servers"]
        except (OSError, ValueError, KeyError, TypeError):
            raise NoBroker(
                f"Fant ikke Kafka: sett KAFKA_BOOTSTRAP_SERVERS, eller start `make dev` (som skriver {self.runtime_file})."
            ) from None
