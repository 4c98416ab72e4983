"""A small scanlake deployment on this machine for the Celery tests: a Dagster instance on
PostgreSQL (its own database), the lake on SeaweedFS, Redis as broker with a key prefix of
its own, and one Celery worker per queue started with ``scanlake celery-worker``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
import psutil
import psycopg2
import redis

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@dataclass
class Cluster:
    env: dict[str, str]
    home: Path
    logs: Path
    workers: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)  # by worker name
    run_logs: dict[int, Path] = field(default_factory=dict)  # stderr of each run process, by pid

    def instance(self) -> dg.DagsterInstance:
        os.environ["DAGSTER_PG_URL"] = self.env["DAGSTER_PG_URL"]
        return dg.DagsterInstance.from_config(str(self.home))

    def start_worker(self, queue: str, warm: bool = True) -> subprocess.Popen[bytes]:
        name = f"{queue}-{uuid.uuid4().hex[:6]}"
        log = self.logs / f"worker-{name}.log"
        proc = subprocess.Popen(
            [str(BIN / "scanlake"), "celery-worker", "--queue", queue, "--name", name,
             "--warm" if warm else "--no-warm"],
            cwd=REPO, env=self.env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
        )
        self.workers[name] = proc
        return proc

    def on(self, queue: str) -> list[subprocess.Popen[bytes]]:
        return [p for name, p in self.workers.items() if name.startswith(f"{queue}-")]

    def wait_ready(self, timeout_s: float = 300) -> None:
        """Until every worker has loaded its models and listens ("ready" in its log)."""
        deadline = time.monotonic() + timeout_s
        for name, proc in self.workers.items():
            log = self.logs / f"worker-{name}.log"
            while b" ready." not in log.read_bytes():
                if proc.poll() is not None:
                    raise AssertionError(f"the {name} worker exited: {log.read_text()[-3000:]}")
                if time.monotonic() > deadline:
                    raise AssertionError(f"the {name} worker was not ready in {timeout_s:.0f} s")
                time.sleep(0.5)

    def run(self, day: str, assets: list[str], captures: list[Path]) -> subprocess.Popen[bytes]:
        """Start one run of the ``pipeline`` job, orchestrated in its own process."""
        args = [sys.executable, "-m", "tests.orchestration.celery_run", day, *assets]
        for folder in captures:
            args += ["--capture", str(folder)]
        log = self.logs / f"run-{uuid.uuid4().hex[:6]}.log"
        proc = subprocess.Popen(args, cwd=REPO, env=self.env, stdout=subprocess.PIPE, stderr=log.open("wb"))
        self.run_logs[proc.pid] = log
        return proc

    def run_log(self, proc: subprocess.Popen[bytes]) -> str:
        """The tail of a run process's stderr, for a failure message."""
        return self.run_logs[proc.pid].read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        for proc in self.workers.values():
            proc.terminate()
        for proc in self.workers.values():
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()


def outcome(proc: subprocess.Popen[bytes], timeout_s: float = 600) -> dict[str, object]:
    out, _ = proc.communicate(timeout=timeout_s)
    return json.loads(out.decode().strip().splitlines()[-1])


def children(proc: subprocess.Popen[bytes]) -> list[psutil.Process]:
    return [c for c in psutil.Process(proc.pid).children(recursive=True) if c.status() != psutil.STATUS_ZOMBIE]


@contextmanager
def cluster(root: Path, postgres_dsn: str, redis_url: str, s3: object, extra_env: dict[str, str]) -> Iterator[Cluster]:
    name = f"scanlake_celery_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(postgres_dsn)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')  # a generated identifier, not user text
    base = postgres_dsn.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg2://", 1)
    home = root / "dagster_home"
    home.mkdir()
    logs = root / "logs"
    logs.mkdir()
    env = {
        **os.environ,
        **s3.storage_options(),  # type: ignore[attr-defined]
        **extra_env,
        "DAGSTER_HOME": str(home),
        "DAGSTER_PG_URL": f"{base}/{name}",
        "SCANLAKE_LAKE_URI": f"s3://{s3.bucket}/celery-{uuid.uuid4().hex[:8]}",  # type: ignore[attr-defined]
        "SCANLAKE_CELERY_BROKER_URL": redis_url,
        "SCANLAKE_CELERY_KEY_PREFIX": f"scanlake-test-{uuid.uuid4().hex[:8]}:",
        "PYTHONWARNINGS": "ignore",
    }
    # as each service of deploy/docker-compose.yaml does first: write dagster.yaml and
    # create the instance's tables, so that runs and workers starting at once do not race
    subprocess.run([str(BIN / "scanlake"), "instance", "--postgres"], cwd=REPO, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    made = Cluster(env, home, logs)
    try:
        yield made
    finally:
        made.stop()
        broker = redis.Redis.from_url(redis_url)
        for key in broker.scan_iter(match=f"{env['SCANLAKE_CELERY_KEY_PREFIX']}*"):
            broker.delete(key)
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
