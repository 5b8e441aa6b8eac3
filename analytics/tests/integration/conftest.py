"""A broker of the analytics tests' own: Tansu alone (no services), with the events topics created,
so the log holds only the synthetic history the tests publish. KAFKA_BOOTSTRAP_SERVERS is not used:
a shared broker carries other tests' events, and the golden figures count every event on the log."""

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from analytics.tests.integration import history, publishing
from brobygger_analytics.replay import replay

from brobygger_dev.runtime.tansu import Tansu
from brobygger_shared.topics import all_topics, ensure_topics


@pytest.fixture(scope="session")
def analytics_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    broker = Tansu(tmp_path_factory.mktemp("analytics-broker") / "tansu.log")
    broker.start()
    try:
        asyncio.run(ensure_topics(broker.bootstrap_servers, all_topics(), 4))
        yield broker.bootstrap_servers
    finally:
        broker.stop()


@pytest.fixture(scope="session")
def published(analytics_broker: str) -> str:
    publishing.publish(analytics_broker, history.history())
    for service, value, headers in history.old_versions():
        publishing.publish_raw(analytics_broker, service, value, headers)
    return analytics_broker


@pytest.fixture(scope="session")
def final(published: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("final") / "analytics.duckdb"
    replay(published, out, history.PSEUDONYM_KEY, as_of=history.FINAL, kommune=history.KOMMUNE)
    return out


@pytest.fixture(scope="session")
def earlier(published: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("earlier") / "analytics.duckdb"
    replay(published, out, history.PSEUDONYM_KEY, as_of=history.EARLIER, kommune=history.KOMMUNE)
    return out
