"""The resident worker under fault: a real ``scanlake worker`` process on a SQLite
instance, handed live ``raw_calls`` runs over its socket and killed with SIGKILL mid-run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import dagster as dg
import yaml
from dagster._core.storage.tags import PARTITION_NAME_TAG

from assets.lanes import LANE_TAG, LIVE_LANE
from bench.faults.harness import DAY, REPO, plant, resource, sweep
from lake.location import LakeLocation
from orchestration.runner import INSTANCE_DIR
from resources.landing import LandingZone

RUN_TIMEOUT_S = 180


def dagster_home(root: Path) -> tuple[Path, Path]:
    """A DAGSTER_HOME with scanlake's instance config and a short socket path."""
    home = root / "dagster_home"
    home.mkdir()
    config = yaml.safe_load((INSTANCE_DIR / "dagster.yaml").read_text())
    # Unix socket paths are capped near 108 bytes; pytest's tmp paths can be longer.
    sock = Path(tempfile.mkdtemp(prefix="slf-", dir="/tmp")) / "w.sock"
    config["run_launcher"]["config"] = {"socket": str(sock)}
    (home / "dagster.yaml").write_text(yaml.safe_dump(config))
    return home, sock


class Worker:
    def __init__(self, home: Path, sock: Path, location: LakeLocation) -> None:
        self.home, self.sock, self.location = home, sock, location
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {**os.environ, **self.location.storage_options, "DAGSTER_HOME": str(self.home),
               "SCANLAKE_LAKE_URI": self.location.uri, "PYTHONPATH": str(REPO)}
        env.pop("SCANLAKE_FAULT_POINT", None)
        # A killed worker leaves its socket file behind: it must not pass for the new one's.
        self.sock.unlink(missing_ok=True)
        self.proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "scanlake"), "worker", "--socket", str(self.sock), "--no-warm"],
            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while not self.sock.exists():
            assert self.proc.poll() is None, "the worker exited before listening"
            assert time.monotonic() < deadline, "the worker never listened"
            time.sleep(0.1)

    def kill(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self.proc = None

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=30)
            self.proc = None


def launch(instance: dg.DagsterInstance, keys: list[str]) -> str:
    recon = dg.build_reconstructable_job("bench.faults.jobs", "raw_calls_job")
    run = instance.create_run_for_job(
        recon.get_definition(),
        run_config={"ops": {"raw_calls": {"config": {"landing_keys": keys}}}},
        tags={LANE_TAG: LIVE_LANE, PARTITION_NAME_TAG: DAY.isoformat()},
        job_code_origin=recon.get_python_origin(),
    )
    instance.launch_run(run.run_id, workspace=None)  # type: ignore[arg-type]
    return run.run_id


def finished(instance: dg.DagsterInstance, run_id: str) -> dg.DagsterRunStatus:
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while True:
        run = instance.get_run_by_id(run_id)
        assert run is not None
        if run.is_finished:
            return run.status
        assert time.monotonic() < deadline, f"run {run_id} still {run.status}"
        time.sleep(0.2)


def worker_trial(
    instance: dg.DagsterInstance, worker: Worker, numbers: range, kill_after_s: float
) -> dg.DagsterRunStatus:
    """Plant ``numbers``, hand their run to the live worker, SIGKILL the worker
    ``kill_after_s`` later, start a new one (which fails the orphaned run) and run the
    calls still pending again there, as the sensor would. Returns the killed run's status."""
    keys = plant(worker.location, numbers)
    run_id = launch(instance, keys)
    time.sleep(kill_after_s)
    worker.kill()
    worker.start()
    status = finished(instance, run_id)
    pending = LandingZone(resource(worker.location).objects).pending()
    if pending:
        assert finished(instance, launch(instance, pending)) == dg.DagsterRunStatus.SUCCESS
    sweep(worker.location)
    return status
