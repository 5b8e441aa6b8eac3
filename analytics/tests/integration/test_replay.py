"""The replay itself: upcasting, what it skips and counts, rebuilding the file, and the two commands."""

from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from analytics.tests.integration import history
from brobygger_analytics import privacy
from brobygger_analytics.cli import app
from brobygger_analytics.replay import replay

pytestmark = pytest.mark.stack


def test_an_old_version_is_upcast_and_what_cannot_be_read_is_skipped_and_counted(final: Path) -> None:
    connection = duckdb.connect(str(final), read_only=True)
    try:
        volunteer = privacy.pseudonym(history.PSEUDONYM_KEY, str(history.uid("V6")))
        assert connection.execute(
            "SELECT logged_version, languages, roles FROM raw_volunteer_application_received WHERE volunteer_id = ?",
            [volunteer]).fetchall() == [(1, ["polsk"], ["støttekontakt"])]
        assert connection.execute("SELECT event_type, event_version FROM replay_skipped").fetchall() == [
            ("ApplicationDecided", "1")]
        assert connection.execute("SELECT * FROM replay_unknown").fetchall() == [("AnalyticsTestFromTheFuture", "1", 1)]
        assert connection.execute("SELECT upcast, skipped, unknown_types, as_of FROM replay_info").fetchone() == (
            1, 1, 1, history.FINAL)
    finally:
        connection.close()


def test_running_it_again_rebuilds_the_file(published: str, tmp_path: Path) -> None:
    out = tmp_path / "analytics.duckdb"
    first = replay(published, out, history.PSEUDONYM_KEY)
    again = replay(published, out, history.PSEUDONYM_KEY)
    assert first.total == again.total == sum(1 for _ in history.history()) + 1  # and V6's version 1
    connection = duckdb.connect(str(out), read_only=True)
    try:
        assert connection.execute("SELECT count(*) FROM raw_application_received").fetchone() == (8,)
    finally:
        connection.close()
    assert [path.name for path in tmp_path.iterdir()] == ["analytics.duckdb"]  # nothing left beside it


def test_the_commands_write_the_database_and_the_report_page(published: str, tmp_path: Path) -> None:
    database, page = tmp_path / "analytics.duckdb", tmp_path / "report.html"
    env = {"KAFKA_BOOTSTRAP_SERVERS": published, "ANALYTICS_PSEUDONYM_KEY": history.PSEUDONYM_KEY.decode(),
           "KOMMUNE_NAME": history.KOMMUNE}
    runner = CliRunner()
    replayed = runner.invoke(app, ["replay", "--out", str(database), "--as-of", "2026-04-30", "--quiet"], env=env)
    assert replayed.exit_code == 0, replayed.output
    written = runner.invoke(app, ["report", "--database", str(database), "--out", str(page)], env=env)
    assert written.exit_code == 0, written.output
    html = page.read_text()
    assert '<html lang="nb">' in html
    assert html.count("<section") == 6 and html.count("<svg") == 6
    assert "KPR: personer med støttekontakt og avlastning" in html and "ved utgangen av 30.04.2026" in html
    assert "4\u00a0370,00" in html and "-430,00" in html  # øre shown as kroner, Norwegian style
    # No inline style or script (the gateway's Content-Security-Policy allows neither): the stylesheet
    # is written beside the page.
    assert "<style" not in html and "style=" not in html and "<script" not in html
    assert '<link rel="stylesheet" href="report.css">' in html and ".rapport table" in (tmp_path / "report.css").read_text()
    assert html.index("<!-- rapport:start -->") < html.index("<h1>") < html.index("<!-- rapport:end -->")


def test_a_bad_date_is_refused_in_norwegian(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["replay", "--out", str(tmp_path / "x.duckdb"), "--as-of", "30.06.2026"],
                                env={"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1"})
    assert result.exit_code != 0 and "ÅÅÅÅ-MM-DD" in result.output
