"""The provided dagster-postgres.yaml against the machine's real PostgreSQL: runs, events
and schedule state land in Postgres, configured only from DAGSTER_PG_URL."""

import dagster as dg
import psycopg2
import pytest

from assets.raw.assets import raw_calls
from orchestration.runner import INSTANCE_DIR
from resources.trunk_recorder.format import write_call
from resources.trunk_recorder.resource import TrunkRecorderSource
from tests.assets.raw.test_raw_calls_asset import DAY, meta, wav_bytes

pytestmark = pytest.mark.postgres


def test_runs_and_events_are_stored_in_postgres(pg_url, monkeypatch, tmp_path, lake_resource):
    monkeypatch.setenv("DAGSTER_PG_URL", pg_url)
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text((INSTANCE_DIR / "dagster-postgres.yaml").read_text())

    capture = tmp_path / "capture"
    write_call(capture, meta(501), wav_bytes(), "wav")
    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert type(instance.event_log_storage).__name__ == "PostgresEventLogStorage"
        assert type(instance.schedule_storage).__name__ == "PostgresScheduleStorage"
        result = dg.materialize(
            [raw_calls],
            partition_key=DAY.isoformat(),
            instance=instance,
            resources={"lake": lake_resource, "trunk_recorder": TrunkRecorderSource(capture_dirs=[str(capture)], settle_s=0)},
        )
        assert result.success
        run_id = result.run_id

    with psycopg2.connect(pg_url.replace("+psycopg2", "")) as con, con.cursor() as cur:
        cur.execute("SELECT status FROM runs WHERE run_id = %s", (run_id,))
        assert cur.fetchone() == ("SUCCESS",)
        cur.execute(
            "SELECT count(*) FROM event_logs WHERE run_id = %s AND dagster_event_type = %s",
            (run_id, "ASSET_MATERIALIZATION"),
        )
        # raw_calls, and raw_quarantine that the same step writes (none quarantined here)
        assert cur.fetchone() == (2,)
