"""The resident worker and its launcher on a real SQLite instance: live runs are handed
over a Unix socket to one long-lived worker process and executed there, one after another;
a cancel interrupts the run; runs a dead worker left behind are failed so their calls are
requested again; with no worker listening, the launcher says so and starts a run process."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
import yaml

from assets.lanes import LANE_TAG, LIVE_LANE
from orchestration.launcher import WORKER_TAG, ResidentRunLauncher, request
from orchestration.runner import INSTANCE_DIR
from orchestration.worker import recover
from tests.orchestration.resident_probe import probe

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    home = tmp_path / "dagster_home"
    home.mkdir()
    config = yaml.safe_load((INSTANCE_DIR / "dagster.yaml").read_text())
    # Unix socket paths are capped near 108 bytes; pytest's tmp paths can be longer.
    sock_dir = Path(tempfile.mkdtemp(prefix="sl-", dir="/tmp"))
    config["run_launcher"]["config"] = {"socket": str(sock_dir / "w.sock")}
    config["run_monitoring"] = {"cancellation_thread_poll_interval_seconds": 1}
    (home / "dagster.yaml").write_text(yaml.safe_dump(config))
    yield home
    (sock_dir / "w.sock").unlink(missing_ok=True)
    sock_dir.rmdir()


@pytest.fixture
def instance(home: Path) -> Iterator[dg.DagsterInstance]:
    with dg.DagsterInstance.from_config(str(home)) as instance:
        yield instance


def _socket(instance: dg.DagsterInstance) -> Path:
    launcher = instance.run_launcher
    assert isinstance(launcher, ResidentRunLauncher)
    return launcher.socket_path


@pytest.fixture
def worker(home: Path, instance: dg.DagsterInstance) -> Iterator[subprocess.Popen[bytes]]:
    sock = _socket(instance)
    env = {**os.environ, "DAGSTER_HOME": str(home)}
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "scanlake"), "worker", "--socket", str(sock), "--no-warm"],
        cwd=REPO,
        env=env,
    )
    deadline = time.monotonic() + 120
    while not sock.exists():
        assert proc.poll() is None, "the worker exited before listening"
        assert time.monotonic() < deadline, "the worker never listened"
        time.sleep(0.1)
    yield proc
    proc.terminate()
    proc.wait(timeout=30)


def _launch(instance: dg.DagsterInstance, out: Path, hold_s: float = 0.0) -> str:
    recon = dg.reconstructable(probe)
    run = instance.create_run_for_job(
        recon.get_definition(),
        run_config={"ops": {"note_pid": {"config": {"out": str(out), "hold_s": hold_s}}}},
        tags={LANE_TAG: LIVE_LANE},
        job_code_origin=recon.get_python_origin(),
    )
    instance.launch_run(run.run_id, workspace=None)  # type: ignore[arg-type]
    return run.run_id


def _finished(instance: dg.DagsterInstance, run_id: str, timeout_s: float = 120) -> dg.DagsterRun:
    deadline = time.monotonic() + timeout_s
    while True:
        run = instance.get_run_by_id(run_id)
        assert run is not None
        if run.is_finished:
            return run
        assert time.monotonic() < deadline, f"run {run_id} still {run.status}"
        time.sleep(0.2)


def test_live_runs_execute_one_after_another_in_the_same_resident_process(instance, worker, tmp_path):
    out = tmp_path / "pids"
    first, second = _launch(instance, out), _launch(instance, out)
    for run_id in (first, second):
        run = _finished(instance, run_id)
        assert run.status == dg.DagsterRunStatus.SUCCESS
        assert run.tags[WORKER_TAG] == str(worker.pid)
    assert out.read_text().split() == [str(worker.pid)] * 2  # not this process, not a fresh one
    events = instance.all_logs(first)
    assert any("resident worker (pid" in (e.message or "") for e in events)
    status = request(_socket(instance), {"op": "status"})
    assert status["executed"] == 2 and status["running"] is None and status["queued"] == 0


def test_a_cancel_interrupts_the_run_in_the_worker_and_the_worker_goes_on(instance, worker, tmp_path):
    out = tmp_path / "pids"
    held = _launch(instance, out, hold_s=120)
    deadline = time.monotonic() + 60
    while not out.exists():  # the op is running
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert instance.run_launcher.terminate(held)
    assert _finished(instance, held, timeout_s=60).status == dg.DagsterRunStatus.CANCELED
    after = _launch(instance, out)
    assert _finished(instance, after).status == dg.DagsterRunStatus.SUCCESS


def test_runs_a_dead_worker_accepted_are_failed_so_they_are_requested_again(instance, tmp_path):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    run = instance.create_run_for_job(
        dg.reconstructable(probe).get_definition(),
        run_config={"ops": {"note_pid": {"config": {"out": str(tmp_path / "x"), "hold_s": 0.0}}}},
        tags={LANE_TAG: LIVE_LANE, WORKER_TAG: str(gone.pid)},
        status=dg.DagsterRunStatus.STARTED,
    )
    alive = instance.create_run_for_job(
        dg.reconstructable(probe).get_definition(),
        run_config={"ops": {"note_pid": {"config": {"out": str(tmp_path / "x"), "hold_s": 0.0}}}},
        tags={LANE_TAG: LIVE_LANE, WORKER_TAG: str(os.getpid())},
        status=dg.DagsterRunStatus.STARTED,
    )
    assert recover(instance, say=lambda _: None) == 1
    assert instance.get_run_by_id(run.run_id).status == dg.DagsterRunStatus.FAILURE  # type: ignore[union-attr]
    assert instance.get_run_by_id(alive.run_id).status == dg.DagsterRunStatus.STARTED  # type: ignore[union-attr]


def test_with_no_worker_listening_a_live_run_goes_to_dagsters_own_launcher(instance, tmp_path):
    # No workspace here, so Dagster's launcher cannot start the run process: the run fails
    # there, after the resident launcher has said why it did not hand the run over.
    with pytest.raises(Exception):  # noqa: B017 - whatever the default launcher raises
        _launch(instance, tmp_path / "pids")
    [run] = instance.get_runs()
    messages = [e.message or "" for e in instance.all_logs(run.run_id)]
    assert any(m.startswith("[ResidentRunLauncher] No resident worker at") for m in messages), messages
    assert WORKER_TAG not in run.tags and not (tmp_path / "pids").exists()
