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


def test_instance_on_postgres_creates_its_tables_one_process_at_a_time(tmp_path, pg_url):
    """Every service of a deployment runs ``scanlake instance --postgres`` as it starts, on
    one fresh database; two creating Dagster's tables at once fail on PostgreSQL's catalog.
    While another process holds the schema lock, the command waits and creates nothing; once
    the lock is let go it creates the tables and ends."""
    import os
    import subprocess
    import sys
    import time
    from pathlib import Path

    import sqlalchemy

    from orchestration.runner import SCHEMA_LOCK_KEY

    engine = sqlalchemy.create_engine(pg_url, poolclass=sqlalchemy.pool.NullPool)
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path), "DAGSTER_PG_URL": pg_url, "PYTHONWARNINGS": "ignore"}
    with engine.connect() as holder:
        holder.execute(sqlalchemy.text("SELECT pg_advisory_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
        proc = subprocess.Popen([str(Path(sys.executable).parent / "scanlake"), "instance", "--postgres"],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        waiting = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        deadline = time.monotonic() + 300  # the command imports the code location first
        while holder.execute(sqlalchemy.text(waiting)).scalar() == 0:
            assert proc.poll() is None, proc.communicate()[0].decode()
            assert time.monotonic() < deadline, "the command never asked for the lock"
            time.sleep(0.2)
        assert proc.poll() is None
        assert "runs" not in sqlalchemy.inspect(holder).get_table_names()
        holder.execute(sqlalchemy.text("SELECT pg_advisory_unlock(:key)"), {"key": SCHEMA_LOCK_KEY})
        holder.commit()
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0, out.decode()
    with engine.connect() as conn:
        tables = set(sqlalchemy.inspect(conn).get_table_names())
    engine.dispose()
    assert {"runs", "event_logs", "instance_info", "jobs"} <= tables, tables


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
