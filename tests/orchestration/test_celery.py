"""Dagster's Celery executor for real: Redis as broker and result backend, the instance on
PostgreSQL, the lake on SeaweedFS, and Celery workers started with ``scanlake
celery-worker`` per queue. The ``pipeline`` job's transcription step runs on the ``asr``
worker, every other step on ``default``; four runs writing the same tables and partition
at once lose and duplicate nothing; and workers execute steps in their own process (never
a fork, which delta-rs cannot survive, nor threads, which deadlock Dagster's logging)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
import redis

from lake import LakeLocation, delta
from lake.tables import AUDIO_QUARANTINE, NORMALIZED_AUDIO, RAW_CALLS, TRANSCRIPTS, TableSpec
from resources.simulator.simulate import simulate
from tests.orchestration.celery_cluster import REPO, Cluster, children, cluster, outcome

pytestmark = [pytest.mark.postgres, pytest.mark.s3]
BURST_DAY, PIPELINE_DAY = "2026-11-02", "2026-11-05"
RUNS_AT_ONCE = 4


@pytest.fixture(scope="module")
def sims(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Eight calls on the burst day, split into four capture folders, and three calls on
    the pipeline day; one county (same seed), so one gazetteer."""
    root = tmp_path_factory.mktemp("sims")
    burst = simulate(8, 11, root / "burst", start=dt.datetime(2026, 11, 2, 14, tzinfo=dt.UTC), workers=1)
    one = simulate(3, 11, root / "one", start=dt.datetime(2026, 11, 5, 14, tzinfo=dt.UTC), workers=1)
    calls = sorted(Path(burst.capture_dir).rglob("*.json"))
    for i, meta in enumerate(calls):
        target = root / f"group{i % RUNS_AT_ONCE}" / meta.parent.relative_to(burst.capture_dir)
        target.mkdir(parents=True, exist_ok=True)
        for part in meta.parent.glob(meta.stem + ".*"):
            shutil.copy(part, target / part.name)
    return {
        "one": Path(one.capture_dir),
        **{f"group{i}": root / f"group{i}" for i in range(RUNS_AT_ONCE)},
        "gazetteer": Path(one.gazetteer_csv),
        "county": Path(one.county_geojson),
    }


@pytest.fixture(scope="module")
def deployment(tmp_path_factory, postgres_dsn, redis_url, s3_server, sims) -> Iterator[Cluster]:
    extra = {
        "SCANLAKE_GAZETTEER_CSV": str(sims["gazetteer"]),
        "SCANLAKE_COUNTY_GEOJSON": str(sims["county"]),
        "SCANLAKE_JURISDICTIONS_GEOJSON": str(sims["county"]),
        "SCANLAKE_JURISDICTION_FIELD": "NAMELSAD",
        "SCANLAKE_REGION": "AL",
    }
    with cluster(tmp_path_factory.mktemp("celery"), postgres_dsn, redis_url, s3_server, extra) as made:
        made.start_worker("asr")
        yield made


def _lake(deployment: Cluster) -> LakeLocation:
    env = deployment.env
    return LakeLocation(env["SCANLAKE_LAKE_URI"], {k: env[k] for k in ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID",
                                                                       "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_ALLOW_HTTP")})


def _uids(deployment: Cluster, spec: TableSpec, day: str) -> list[str]:
    rows = delta.read(_lake(deployment), spec, columns=["call_uid", "call_date"])
    return [u for u, d in zip(rows["call_uid"].to_pylist(), rows["call_date"].to_pylist(), strict=True) if str(d) == day]


def _queued(deployment: Cluster, queue: str) -> int:
    """Tasks waiting on ``queue``; 0 when Redis did not answer in time (a loaded machine),
    so the caller polls again until its own deadline."""
    client = redis.Redis.from_url(deployment.env["SCANLAKE_CELERY_BROKER_URL"], socket_timeout=30,
                                  socket_connect_timeout=30)
    prefix = deployment.env["SCANLAKE_CELERY_KEY_PREFIX"]
    try:
        # kombu keeps one list per priority band: "default", "default\x06\x163", ...
        return sum(client.llen(k) for k in client.scan_iter(match=f"{prefix}{queue}*") if client.type(k) == b"list")
    except (redis.exceptions.TimeoutError, redis.exceptions.ConnectionError):
        return 0
    finally:
        client.close()


def _checks(instance: dg.DagsterInstance, run_id: str) -> dict[str, bool]:
    return {
        e.dagster_event.event_specific_data.check_name: e.dagster_event.event_specific_data.passed  # type: ignore[union-attr]
        for e in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)
    }


def _intervals(instance: dg.DagsterInstance, run_id: str, step: str) -> tuple[float, float]:
    times = {
        e.dagster_event.event_type: e.timestamp  # type: ignore[union-attr]
        for e in instance.all_logs(run_id)
        if e.dagster_event and e.dagster_event.step_key == step
        and e.dagster_event.event_type in (dg.DagsterEventType.STEP_START, dg.DagsterEventType.STEP_SUCCESS)
    }
    return times[dg.DagsterEventType.STEP_START], times[dg.DagsterEventType.STEP_SUCCESS]


def test_celery_concurrency_four_runs_merge_into_one_partition(deployment: Cluster, sims):
    """Four runs ingest and normalize the same day at once, each from two of four capture
    folders, so every call arrives twice, concurrently. Their tasks are queued before four
    default workers start, so the four steps of each stage run together and race for the
    same Delta commits; the losers retry (lake/delta.py)."""
    runs = [
        deployment.run(BURST_DAY, ["raw_calls", "normalized_audio"],
                       [sims[f"group{i}"], sims[f"group{(i + 1) % RUNS_AT_ONCE}"]])
        for i in range(RUNS_AT_ONCE)
    ]
    deadline = time.monotonic() + 600  # four run processes start: minutes on a loaded machine
    while _queued(deployment, "default") < RUNS_AT_ONCE:
        ended = [r for r in runs if r.poll() is not None]
        assert not ended, f"a run ended before its first step was queued: {deployment.run_log(ended[0])}"
        assert time.monotonic() < deadline, "the four runs never queued their first steps"
        time.sleep(0.5)
    for _ in range(RUNS_AT_ONCE):
        deployment.start_worker("default", warm=False)  # ingest and audio need no model
    results = [outcome(r) for r in runs]
    assert all(r["success"] for r in results), results

    raw = _uids(deployment, RAW_CALLS, BURST_DAY)
    assert len(raw) == 8 and len(set(raw)) == 8  # none lost, none twice
    audio = _uids(deployment, NORMALIZED_AUDIO, BURST_DAY) + _uids(deployment, AUDIO_QUARANTINE, BURST_DAY)
    assert sorted(audio) == sorted(raw)
    with deployment.instance() as instance:
        ingest = sorted(_intervals(instance, str(r["run_id"]), "raw_calls") for r in results)
        # At least two ingests committed concurrently. All four overlapped under load; on a
        # quiet machine the four workers' start-up jitter (~10 s) can separate them (open:
        # start the workers on a holding queue and add "default" to all at once).
        assert any(b_start < a_end for (_, a_end), (b_start, _) in zip(ingest, ingest[1:], strict=False)), ingest
        for r in results:
            checks = _checks(instance, str(r["run_id"]))
            assert checks and all(checks.values()), checks


def test_celery_pipeline_routes_transcription_to_the_asr_queue(deployment: Cluster, sims):
    """The whole ``pipeline`` job for one day: every step is a Celery task, transcription on
    the asr worker, the rest on default; rows land on S3, the run and its events in
    PostgreSQL, and every check passes."""
    if not deployment.on("default"):
        deployment.start_worker("default")
    result = outcome(deployment.run(PIPELINE_DAY, [], [sims["one"]]))
    assert result["success"], result
    assert sorted(_uids(deployment, TRANSCRIPTS, PIPELINE_DAY)) == sorted(_uids(deployment, RAW_CALLS, PIPELINE_DAY))
    assert len(_uids(deployment, RAW_CALLS, PIPELINE_DAY)) == 3
    with deployment.instance() as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        hosts = {
            e.dagster_event.step_key: e.dagster_event.event_specific_data.metadata["Celery worker"].value  # type: ignore[union-attr]
            for e in instance.all_logs(str(result["run_id"]), of_type=dg.DagsterEventType.ENGINE_EVENT)
            if e.dagster_event and "in celery worker" in (e.dagster_event.message or "")
        }
        assert hosts["transcribe_calls"].startswith("asr-")
        assert {h.split("-")[0] for k, h in hosts.items() if k != "transcribe_calls"} == {"default"}
        assert len(hosts) > 10  # every step went through Celery
        assert {"raw_calls", "normalized_audio", "entities", "locations", "alerts"} <= set(hosts)
        checks = _checks(instance, str(result["run_id"]))
        assert len(checks) > 10 and all(checks.values()), checks

        # Fork-free: every step ran in a worker's own process, which has no forked children.
        pids = {e.dagster_event.pid for e in instance.all_logs(str(result["run_id"]), of_type=dg.DagsterEventType.STEP_START)}  # type: ignore[union-attr]
        assert deployment.on("asr")[0].pid in pids
        assert pids <= {p.pid for p in deployment.workers.values()}
    for proc in deployment.workers.values():
        assert children(proc) == []


@pytest.mark.parametrize("pool", ["processes", "threads"])
def test_celery_worker_refuses_a_forking_or_threaded_pool(redis_url: str, pool: str):
    """``prefork`` (alias ``processes``) would run steps in children forked from a process
    whose delta-rs runtime may have started; ``threads`` deadlocks Dagster's logging. The
    worker refuses to start with either."""
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "celery"), "-A", "orchestration.celery_worker", "worker",
         "--pool", pool, "-Q", "nothing-here"],
        cwd=REPO,
        env={**os.environ, "SCANLAKE_CELERY_BROKER_URL": redis_url, "SCANLAKE_CELERY_WARM": "0",
             "SCANLAKE_CELERY_KEY_PREFIX": f"scanlake-test-{uuid.uuid4().hex[:8]}:"},
        capture_output=True, timeout=300,
    )
    assert proc.returncode != 0
    assert b"need --pool solo" in proc.stdout + proc.stderr
