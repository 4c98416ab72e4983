"""The scanlake command line, run through typer's test runner against a small lake."""

from typer.testing import CliRunner

from lake import delta
from lake.tables import RAW_CALLS
from orchestration.cli import app
from resources.upload.keys import hash_key
from tests.lake.rows import raw_calls

runner = CliRunner()


def test_query_prints_a_table(lake, monkeypatch):
    delta.merge(lake, RAW_CALLS, raw_calls(3))
    monkeypatch.setenv("SCANLAKE_LAKE_URI", lake.uri)
    result = runner.invoke(app, ["query", "SELECT count(*) AS calls, min(talkgroup) AS tg FROM raw_calls"])
    assert result.exit_code == 0, result.output
    assert "calls" in result.output and "3" in result.output and "100" in result.output


def test_query_reports_bad_sql_without_a_traceback(lake, monkeypatch):
    monkeypatch.setenv("SCANLAKE_LAKE_URI", lake.uri)
    result = runner.invoke(app, ["query", "SELEC nonsense"])
    assert result.exit_code == 2
    assert "syntax error" in result.output.lower()


def test_upload_key_prints_the_key_and_its_hash_only():
    result = runner.invoke(app, ["upload-key", "k" * 32, "--systems", "county,metro"])
    assert result.exit_code == 0
    assert hash_key("k" * 32) in result.output and "county,metro" in result.output


def test_instance_on_postgres_needs_the_url_and_then_uses_it(tmp_path, monkeypatch, pg_url):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    monkeypatch.delenv("DAGSTER_PG_URL", raising=False)
    missing = runner.invoke(app, ["instance", "--postgres"])
    assert missing.exit_code == 2 and "DAGSTER_PG_URL is not set" in missing.output
    monkeypatch.setenv("DAGSTER_PG_URL", pg_url)
    result = runner.invoke(app, ["instance", "--postgres"])
    assert result.exit_code == 0, result.output
    assert "PostgresRunStorage" in result.output
    assert "env: DAGSTER_PG_URL" in (tmp_path / "dagster.yaml").read_text()


def test_query_refuses_writes(lake, monkeypatch):
    delta.merge(lake, RAW_CALLS, raw_calls(1))
    monkeypatch.setenv("SCANLAKE_LAKE_URI", lake.uri)
    result = runner.invoke(app, ["query", "CREATE TABLE x AS SELECT 1"])
    assert result.exit_code == 2 and "only queries" in result.output
