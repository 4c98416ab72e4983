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


def test_redact_removes_the_call_and_records_why(tmp_path, monkeypatch):
    from lake import LakeLocation
    from lake.tables import REDACTIONS
    from tests.lake.planted import WORD, plant, stored_with

    location = LakeLocation(str(tmp_path / "lake"))
    _, uid, audio = plant(location)
    monkeypatch.setenv("SCANLAKE_LAKE_URI", location.uri)
    result = runner.invoke(app, ["redact", uid, "--reason", "victim's request", "--by", "editor"])
    assert result.exit_code == 0, result.output
    assert f"redacted {uid}" in result.output
    assert stored_with(location, WORD, audio) == []
    [audit] = delta.read(location, REDACTIONS).to_pylist()
    assert (audit["requested_by"], audit["reason"]) == ("cli:editor", "victim's request")
    again = runner.invoke(app, ["redact", uid])
    assert again.exit_code == 1 and "no row or object" in again.output


def test_query_is_sandboxed(lake, monkeypatch, tmp_path):
    delta.merge(lake, RAW_CALLS, raw_calls(1))
    monkeypatch.setenv("SCANLAKE_LAKE_URI", lake.uri)
    target = tmp_path / "x.csv"
    copy = runner.invoke(app, ["query", f"EXPLAIN ANALYZE COPY (SELECT 1) TO '{target}'"])
    assert copy.exit_code == 2 and not target.exists()
    passwd = runner.invoke(app, ["query", "SELECT * FROM read_text('/etc/passwd')"])
    assert passwd.exit_code == 2 and "root:" not in passwd.output
