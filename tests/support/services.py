"""The outside services some tests need, started when possible and explained when not.

On a machine without them the tests that need them are skipped with the reason; under CI
(``CI=true``) a missing service fails those tests instead, so a green CI run proves they ran.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

PG_HOST, PG_PORT = "127.0.0.1", 5432
CHROMIUM = "/usr/bin/chromium"


def _unavailable(why: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(why)
    pytest.skip(why)


def _listening(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex((host, port)) == 0


def ensure_postgres() -> str:
    """A PostgreSQL DSN on 127.0.0.1:5432, starting the local cluster if it is installed."""
    if not _listening(PG_HOST, PG_PORT):
        clusters = Path("/etc/postgresql")
        if shutil.which("pg_ctlcluster") and clusters.is_dir() and any(clusters.iterdir()):
            version = sorted(p.name for p in clusters.iterdir())[-1]
            subprocess.run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],
                check=False,
                capture_output=True,
                timeout=60,
            )
            for _ in range(30):
                if _listening(PG_HOST, PG_PORT):
                    break
                time.sleep(1)
    if not _listening(PG_HOST, PG_PORT):
        _unavailable(
            "PostgreSQL is not running on 127.0.0.1:5432 and could not be started: install it "
            "(Debian: apt-get install postgresql) or set SCANLAKE_TEST_PG_DSN to a server you can use"
        )
    return os.environ.get(
        "SCANLAKE_TEST_PG_DSN", f"postgresql://postgres@{PG_HOST}:{PG_PORT}/postgres"
    )


def ensure_chromium() -> str:
    """Debian's Chromium for the browser test, installed with apt when running as root."""
    if not Path(CHROMIUM).exists() and shutil.which("apt-get") and os.geteuid() == 0:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(
            ["apt-get", "update", "-qq"], check=False, capture_output=True, timeout=600, env=env
        )
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "chromium"],
            check=False,
            capture_output=True,
            timeout=900,
            env=env,
        )
    if not Path(CHROMIUM).exists():
        _unavailable(
            "Chromium is missing: install Debian's chromium package (apt-get install chromium)"
        )
    return CHROMIUM


REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
# Tests use their own Redis database, and a key prefix per test on top (celery's
# global_keyprefix), so parallel runs and a deployment on the same server never meet.
REDIS_TEST_DB = 3
REDIS_START = [
    "redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", str(REDIS_PORT),
    "--save", "", "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log",
]


def ensure_redis() -> str:
    """A Redis URL on 127.0.0.1:6379 (the tests' own database), starting the local server
    if it is installed but stopped."""
    if not _listening(REDIS_HOST, REDIS_PORT) and shutil.which("redis-server"):
        for folder in ("/var/lib/redis", "/var/log/redis"):
            try:
                Path(folder).mkdir(parents=True, exist_ok=True)
            except OSError:
                pass  # not ours to create; redis-server then says why it cannot start
        subprocess.run(REDIS_START, check=False, capture_output=True, timeout=60)
        for _ in range(30):
            if _listening(REDIS_HOST, REDIS_PORT):
                break
            time.sleep(0.5)
    if not _listening(REDIS_HOST, REDIS_PORT):
        _unavailable(
            "Redis is not running on 127.0.0.1:6379 and could not be started: install it "
            "(Debian: apt-get install redis-server) or set SCANLAKE_TEST_REDIS_URL to a server you can use"
        )
    return os.environ.get(
        "SCANLAKE_TEST_REDIS_URL", f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_TEST_DB}"
    )
