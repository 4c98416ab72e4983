"""Drive the real pipeline as it is deployed: a Dagster daemon on a temporary instance
configured by the project's own ``dagster.yaml``, its trunk-recorder sensor watching a
temporary capture folder, the resident run worker (or none, for the baseline), and the
alerts sent to a local signed webhook. Calls are dropped one at a time; each is timed from
its JSON landing in the folder to its alert arriving."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from bench.latency import calls as bench_calls
from bench.latency.receiver import Arrivals, receiving
from orchestration.launcher import SOCKET_NAME

REPO = Path(__file__).resolve().parents[2]
INSTANCE_YAML = REPO / "orchestration" / "instance" / "dagster.yaml"
CHANNEL_ENV, SECRET_ENV = "SCANLAKE_NOTIFY_BENCH_HOOK", "SCANLAKE_NOTIFY_BENCH_HOOK_SECRET"
Say = Callable[[str], None]


@dataclass(frozen=True)
class Sample:
    call_uid: str
    dropped_at: float
    arrived_at: float | None

    @property
    def latency_s(self) -> float | None:
        return None if self.arrived_at is None else self.arrived_at - self.dropped_at


@dataclass(frozen=True)
class Settings:
    calls: int
    gap_s: float
    timeout_s: float
    warmup_timeout_s: float
    sensor_interval_s: int


@dataclass(frozen=True)
class Measured:
    lane: str
    samples: list[Sample]
    root: Path
    bad_signatures: int
    duplicates: int


def _alerts_yaml(path: Path) -> None:
    config = {
        "channels": {"bench-hook": {"url_env": CHANNEL_ENV, "signing_secret_env": SECRET_ENV}},
        "keyword_groups": {"bench-fire": {"words": bench_calls.KEYWORDS}},
        "subscriptions": [{"groups": ["bench-fire"], "channels": ["bench-hook"]}],
    }
    path.write_text(yaml.safe_dump(config))


@contextmanager
def _process(args: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        proc = subprocess.Popen(
            args,
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: the processes it spawns stop with it
        )
        try:
            yield proc
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


def _wait_for(path: Path, proc: subprocess.Popen[bytes], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and proc.poll() is None:
        if path.exists():
            return True
        time.sleep(0.2)
    return path.exists()


def _timed(capture: Path, call: bench_calls.BenchCall, arrivals: Arrivals, timeout_s: float) -> Sample:
    stamped = call.stamped(dt.datetime.now(dt.UTC))
    bench_calls.drop(capture, stamped)
    dropped = time.time()
    uid = stamped.meta.call_uid
    return Sample(uid, dropped, arrivals.wait_for(uid, timeout_s))


def measure(settings: Settings, rendered: list[bench_calls.BenchCall], resident: bool, say: Say) -> Measured:
    """One lane on a fresh lake and instance: the first call warms up, the rest are timed."""
    lane = "resident worker" if resident else "process per run"
    root = Path(tempfile.mkdtemp(prefix="scanlake-latency-"))
    capture, lake_dir, home = root / "capture", root / "lake", root / "dagster_home"
    capture.mkdir()
    home.mkdir()
    shutil.copy(INSTANCE_YAML, home / "dagster.yaml")  # the project's instance config
    _alerts_yaml(root / "alerts.yaml")
    secret = secrets.token_hex(16)
    bin_dir = Path(sys.executable).parent
    with receiving(secret) as arrivals, ExitStack() as stack:
        env = {
            **os.environ,
            "DAGSTER_HOME": str(home),
            "SCANLAKE_LAKE_URI": str(lake_dir),
            "SCANLAKE_TRUNK_RECORDER_DIRS": str(capture),
            "SCANLAKE_ALERTS_CONFIG": str(root / "alerts.yaml"),
            "SCANLAKE_SENSOR_INTERVAL_S": str(settings.sensor_interval_s),
            CHANNEL_ENV: arrivals.url,
            SECRET_ENV: secret,
        }
        if resident:
            worker = stack.enter_context(_process([str(bin_dir / "scanlake"), "worker"], env, root / "worker.log"))
            say(f"[{lane}] starting the worker (models load once) ...")
            if not _wait_for(home / SOCKET_NAME, worker, settings.warmup_timeout_s):
                say(f"[{lane}] the worker did not start: see {root / 'worker.log'}")
                return Measured(lane, [], root, 0, 0)
        stack.enter_context(
            _process(
                [str(bin_dir / "dagster-daemon"), "run", "-w", str(REPO / "workspace.yaml")],
                env,
                root / "daemon.log",
            )
        )
        say(f"[{lane}] daemon started (DAGSTER_HOME={home}); warm-up call ...")
        warm = _timed(capture, rendered[0], arrivals, settings.warmup_timeout_s)
        if warm.arrived_at is None:
            say(f"[{lane}] the warm-up call's alert never arrived within {settings.warmup_timeout_s:.0f} s")
            return Measured(lane, [], root, arrivals.bad_signatures, arrivals.duplicates)
        say(f"[{lane}] warm-up alert after {warm.latency_s:.1f} s; timing {settings.calls} calls ...")
        samples = []
        for i, call in enumerate(rendered[1 : settings.calls + 1], start=1):
            sample = _timed(capture, call, arrivals, settings.timeout_s)
            samples.append(sample)
            shown = "not yet" if sample.latency_s is None else f"{sample.latency_s:.1f} s"
            say(f"[{lane}]   call {i}/{settings.calls}: {shown}")
            time.sleep(settings.gap_s)
        # A call that outlived its own wait may still arrive: give stragglers one more wait.
        for sample in samples:
            if sample.arrived_at is None:
                arrivals.wait_for(sample.call_uid, settings.timeout_s)
        samples = [Sample(s.call_uid, s.dropped_at, arrivals.at.get(s.call_uid)) for s in samples]
        return Measured(lane, samples, root, arrivals.bad_signatures, arrivals.duplicates)
