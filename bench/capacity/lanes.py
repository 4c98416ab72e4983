"""The services of one measured lane, on a fresh local lake and Dagster home configured by
the project's own ``dagster.yaml``: the daemon (sensors, run queue), the upload endpoint,
and either the resident worker or N Celery workers (``asr`` and ``default`` each) with live
steps sent to Celery (``SCANLAKE_CELERY_LIVE``)."""

from __future__ import annotations

import os
import shutil
import socket
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from assets.geo.partition import load_gazetteer
from bench.latency.run import INSTANCE_YAML, REPO, _process
from lake import LakeLocation
from orchestration.launcher import SOCKET_NAME
from resources.upload import key_entry, new_key

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Lane:
    kind: str  # "resident" or "celery"
    workers: int = 1

    @property
    def name(self) -> str:
        return "resident worker" if self.kind == "resident" else f"{self.workers} Celery worker(s)"


@dataclass
class Running:
    root: Path
    env: dict[str, str]
    capture: Path
    upload_url: str
    upload_key: str


def _wait(check: object, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start within {timeout_s:.0f} s")
        time.sleep(0.5)


def first_on_cpu(pid: int | str, nice: int) -> bool:
    """Give ``pid``'s autogroup this nice value. With the kernel's autogroup scheduling
    (``sched_autogroup_enabled``) every session competes as one group at equal weight, so
    other users' ``nice -n 19`` does not yield the CPU to a service started in a session of
    its own: its group has to be raised instead. False when the kernel or rights refuse."""
    try:
        Path(f"/proc/{pid}/autogroup").write_text(str(nice))
    except OSError:
        return False
    return True


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


@contextmanager
def started(
    lane: Lane, gazetteer_csv: Path, sensor_interval_s: int, warm_timeout_s: float = 900, nice: int | None = None
) -> Iterator[Running]:
    root = Path(os.environ.get("SCANLAKE_BENCH_DIR", "/tmp")) / f"scanlake-capacity-{uuid.uuid4().hex[:8]}"
    capture, home = root / "capture", root / "dagster_home"
    capture.mkdir(parents=True)
    home.mkdir()
    shutil.copy(INSTANCE_YAML, home / "dagster.yaml")
    # The `gazetteer` asset is not downstream of raw_calls, so the live job never loads it:
    # load it as that asset does, or no call can reach `locations` (the smoke run's 0).
    load_gazetteer(LakeLocation(str(root / "lake")), str(gazetteer_csv))
    key, port = new_key(), free_port()
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "SCANLAKE_LAKE_URI": str(root / "lake"),
        "SCANLAKE_TRUNK_RECORDER_DIRS": str(capture),
        "SCANLAKE_SENSOR_INTERVAL_S": str(sensor_interval_s),
        "SCANLAKE_GAZETTEER_CSV": str(gazetteer_csv),
        "SCANLAKE_REGION": "AL",
        "SCANLAKE_UPLOAD_KEYS": key_entry(key),
        "SCANLAKE_UPLOAD_PORT": str(port),
        "SCANLAKE_UPLOAD_RATE_PER_S": "1000",
        "SCANLAKE_UPLOAD_RATE_BURST": "1000",
        "PYTHONWARNINGS": "ignore",
    }
    if lane.kind == "celery":
        env |= {
            "SCANLAKE_CELERY_BROKER_URL": os.environ.get("SCANLAKE_CELERY_BROKER_URL", "redis://127.0.0.1:6379/2"),
            "SCANLAKE_CELERY_KEY_PREFIX": f"scanlake-capacity-{uuid.uuid4().hex[:8]}:",
            "SCANLAKE_CELERY_LIVE": "true",
        }
    url = f"http://127.0.0.1:{port}"
    with ExitStack() as stack:

        def start(args: list[str], log: Path) -> None:
            proc = stack.enter_context(_process(args, env, log))
            if nice is not None:
                first_on_cpu(proc.pid, nice)  # each service is a session, so an autogroup, of its own

        start([str(BIN / "scanlake"), "serve-upload"], root / "upload.log")
        if lane.kind == "resident":
            start([str(BIN / "scanlake"), "worker"], root / "worker.log")
            _wait(lambda: (home / SOCKET_NAME).exists(), warm_timeout_s, "the resident worker")
        else:
            for i in range(lane.workers):
                for queue in ("asr", "default"):
                    log = root / f"celery-{queue}-{i}.log"
                    start([str(BIN / "scanlake"), "celery-worker", "--queue", queue,
                           "--name", f"{queue}-{i}-{uuid.uuid4().hex[:4]}"], log)
            logs = [root / f"celery-{q}-{i}.log" for i in range(lane.workers) for q in ("asr", "default")]
            _wait(lambda: all(b" ready." in p.read_bytes() for p in logs if p.exists()) and all(p.exists() for p in logs),
                  warm_timeout_s, "the Celery workers")
        start([str(BIN / "dagster-daemon"), "run", "-w", str(REPO / "workspace.yaml")], root / "daemon.log")
        _wait(lambda: _healthy(url), 120, "the upload endpoint")
        yield Running(root, env, capture, url, key)
