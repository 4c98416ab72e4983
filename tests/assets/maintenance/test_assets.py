"""The maintenance asset, materialized in process on a small lake, and its schedule."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import dagster as dg
import pyarrow as pa
import pyarrow.compute as pc

from assets.maintenance.assets import defs, lake_maintenance, nightly_maintenance
from lake import delta
from lake import queries as q
from lake.tables import RAW_CALLS, TRANSCRIPT_WORDS, TRANSCRIPTS
from tests.fixtures.small_lake import MODEL, build_small_lake


def files_per_day(lake, spec) -> Counter:
    uris = delta.open_table(lake, spec).file_uris()
    return Counter(next(part for part in uri.split("/") if part.startswith("call_date=")) for uri in uris)


def test_maintenance_compacts_a_day_and_keeps_every_row(lake, lake_resource):
    built = build_small_lake(lake)
    # the busiest day (the small lake's calls trail the clock, so near midnight UTC the
    # newest day may hold only a call or two)
    [(day, _)] = Counter(delta.read(lake, TRANSCRIPTS)["call_date"].to_pylist()).most_common(1)
    todays = delta.read(lake, TRANSCRIPTS, partitions={"call_date": [day]})
    todays = todays.filter(pc.equal(todays["model_id"], MODEL))
    # later micro-batches: a re-transcription with another model, one call per commit
    for i in range(5):
        rerun = todays.slice(i, 1).set_column(2, "model_id", pa.array(["small.en"]))
        delta.merge(lake, TRANSCRIPTS, rerun)
    before = {spec.name: files_per_day(lake, spec) for spec in (RAW_CALLS, TRANSCRIPTS, TRANSCRIPT_WORDS)}
    assert before["transcripts"][f"call_date={day}"] >= 6
    window = q.Window.last(72, built.now + dt.timedelta(minutes=1))
    expected = q.latest_calls(q.open_lake(lake), window, limit=100)

    result = dg.materialize(
        [lake_maintenance],
        partition_key=day.isoformat(),
        resources={"lake": lake_resource},
        run_config={"ops": {"lake_maintenance": {"config": {"retention_hours": 0}}}},
    )

    assert result.success
    meta = result.asset_materializations_for_node("lake_maintenance")[0].metadata
    per_table = meta["per_table"].value
    assert per_table["transcripts"]["removed"] >= 6 and per_table["transcripts"]["added"] == 1
    assert meta["files_vacuumed"].value >= meta["files_removed"].value > 0
    for spec in (RAW_CALLS, TRANSCRIPTS, TRANSCRIPT_WORDS):
        after = files_per_day(lake, spec)
        assert after[f"call_date={day}"] == 1
        others = {k: v for k, v in before[spec.name].items() if k != f"call_date={day}"}
        assert {k: after[k] for k in others} == others  # other days untouched
    assert q.latest_calls(q.open_lake(lake), window, limit=100).equals(expected)
    assert delta.read(lake, TRANSCRIPTS).num_rows == 39 + 5


def test_schedule_maintains_yesterday():
    context = dg.build_schedule_context(
        scheduled_execution_time=dt.datetime(2026, 3, 2, 2, 30, tzinfo=dt.UTC)
    )
    request = nightly_maintenance(context)
    assert request.partition_key == "2026-03-01"
    assert request.run_key == "lake-maintenance-2026-03-01"


def test_definitions_load_with_the_lake_resource(lake_resource):
    merged = dg.Definitions.merge(defs, dg.Definitions(resources={"lake": lake_resource}))
    dg.Definitions.validate_loadable(merged)
    assert merged.resolve_job_def("lake_maintenance_job").partitions_def is not None
    assert merged.resolve_schedule_def("nightly_maintenance").cron_schedule == "30 2 * * *"
