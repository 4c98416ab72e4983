"""Drive the real pipeline: a Dagster daemon on a temporary instance and lake, its
trunk-recorder sensor watching a temporary capture folder, and the alerts sent to a local
signed webhook. Calls are dropped one at a time; each is timed from its JSON landing in
the folder to its alert arriving."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from bench.latency import calls as bench_calls
from bench.latency.receiver import Arrivals, receiving

REPO = Path(__file__).resolve().parents[2]
CHANNEL_ENV, SECRET_ENV = "SCANLAKE_NOTIFY_BENCH_HOOK", "SCANLAKE_NOTIFY_BENCH_HOOK_SECRET"


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
    keep: bool
    module: str = "orchestration.definitions"


def _alerts_yaml(path: Path) -> None:
    config = {
        "channels": {"bench-hook": {"url_env": CHANNEL_ENV, "signing_secret_env": SECRET_ENV}},
        "keyword_groups": {"bench-fire": {"words": bench_calls.KEYWORDS}},
        "subscriptions": [{"groups": ["bench-fire"], "channels": ["bench-hook"]}],
    }
    path.write_text(yaml.safe_dump(config))


def _dagster_home(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    config = {
        "telemetry": {"enabled": False},
        # Queued runs are picked up every second, not the default few.
        "run_coordinator": {
            "module": "dagster._core.run_coordinator",
            "class": "QueuedRunCoordinator",
            "config": {"dequeue_interval_seconds": 1},
        },
    }
    (home / "dagster.yaml").write_text(yaml.safe_dump(config))


@contextmanager
def daemon(env: dict[str, str], log: Path, module: str) -> Iterator[subprocess.Popen[bytes]]:
    exe = str(Path(sys.executable).parent / "dagster-daemon")
    # The project's own workspace, unless another code location is being tried.
    where = (
        ["-w", str(REPO / "workspace.yaml")]
        if module == "orchestration.definitions"
        else ["-m", module]
    )
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [exe, "run", *where],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: the run workers it spawns stop with it
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


def _timed(
    capture: Path, call: bench_calls.BenchCall, arrivals: Arrivals, timeout_s: float
) -> Sample:
    stamped = call.stamped(dt.datetime.now(dt.UTC))
    bench_calls.drop(capture, stamped)
    dropped = time.time()
    uid = stamped.meta.call_uid
    return Sample(uid, dropped, arrivals.wait_for(uid, timeout_s))


def measure(settings: Settings, say: callable) -> tuple[list[Sample], Path, Arrivals]:  # type: ignore[valid-type]
    root = Path(tempfile.mkdtemp(prefix="scanlake-latency-"))
    capture, lake_dir, home = root / "capture", root / "lake", root / "dagster_home"
    capture.mkdir()
    _dagster_home(home)
    _alerts_yaml(root / "alerts.yaml")
    secret = secrets.token_hex(16)
    say(f"rendering {settings.calls + 1} calls of speech ...")
    rendered = bench_calls.render(settings.calls + 1)
    with receiving(secret) as arrivals:
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
        with daemon(env, root / "daemon.log", settings.module):
            say(f"daemon started (DAGSTER_HOME={home}); warm-up call ...")
            warm = _timed(capture, rendered[0], arrivals, settings.warmup_timeout_s)
            if warm.arrived_at is None:
                say(
                    f"the warm-up call's alert never arrived within {settings.warmup_timeout_s:.0f} s"
                )
                return [], root, arrivals
            say(f"warm-up alert after {warm.latency_s:.1f} s; timing {settings.calls} calls ...")
            samples = []
            for i, call in enumerate(rendered[1:], start=1):
                sample = _timed(capture, call, arrivals, settings.timeout_s)
                samples.append(sample)
                shown = "not yet" if sample.latency_s is None else f"{sample.latency_s:.1f} s"
                say(f"  call {i}/{settings.calls}: {shown}")
                time.sleep(settings.gap_s)
            # A call that outlived its own wait may still arrive: give stragglers one more wait.
            for sample in samples:
                if sample.arrived_at is None:
                    arrivals.wait_for(sample.call_uid, settings.timeout_s)
            samples = [
                Sample(s.call_uid, s.dropped_at, arrivals.at.get(s.call_uid)) for s in samples
            ]
    return samples, root, arrivals
