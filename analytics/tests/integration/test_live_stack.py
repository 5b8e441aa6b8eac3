"""The replay of what the running services publish (the embedded stack, not synthetic events): every
message decodes, a case that reached a signed contract is in the derived tables, and the names and
identity numbers the services were given are nowhere in the DuckDB file."""

from pathlib import Path

import duckdb
import httpx
import pytest

from brobygger_analytics import privacy
from brobygger_analytics.replay import replay
from brobygger_dev.runtime.stack import Stack
from brobygger_dev.testing import eventually
from tests.integration.flows import signed_contract

pytestmark = pytest.mark.stack

KEY = b"live-stack-pseudonym-key"


def test_a_replay_of_the_running_services_events(stack: Stack, tmp_path: Path) -> None:
    with httpx.Client(timeout=60) as http:  # a busy machine: the flow's many calls each get a minute
        contract = signed_contract(http, stack)
    out = tmp_path / "analytics.duckdb"

    def replayed():
        result = replay(stack.kafka_bootstrap_servers, out, KEY)
        signed = duckdb.connect(str(out), read_only=True)
        try:
            found = signed.execute("SELECT count(*) FROM contracts WHERE contract_id = ?",
                                   [privacy.pseudonym(KEY, contract["contract_id"])]).fetchone()[0]
        finally:
            signed.close()
        return result if found else None

    result = eventually(replayed, timeout=60, interval=1)
    assert result.skipped == 0
    connection = duckdb.connect(str(out), read_only=True)
    try:
        case = privacy.pseudonym(KEY, contract["application_id"])
        assert connection.execute("SELECT status, first_contract_signed_on IS NOT NULL FROM cases WHERE case_id = ?",
                                  [case]).fetchone() == ("innvilget", True)
        assert connection.execute("SELECT count(*) FROM waiting_periods WHERE case_id = ? AND waiting_days >= 0",
                                  [case]).fetchone() == (1,)
        columns = connection.execute("SELECT table_name, column_name FROM information_schema.columns WHERE "
                                     "data_type IN ('VARCHAR', 'VARCHAR[]', 'JSON')").fetchall()
        texts = set()
        for table, column in columns:
            texts.update(value for (value,) in connection.execute(
                f'SELECT DISTINCT CAST("{column}" AS VARCHAR) FROM "{table}" WHERE "{column}" IS NOT NULL').fetchall())
    finally:
        connection.close()
    given = ["Ola Testesen", "Testperson ", "28821400092", "2014-02-28", "Testveien 1", "Oppdragsveien",
             contract["application_id"], contract["volunteer_id"]]
    assert not [(text, value) for value in texts for text in given if text in value]
