"""The upload service under slow and unauthenticated clients (issue 14): the real server
(``python -m resources.upload`` in a subprocess, its memory read with psutil) against
forty wrong-key clients each sending 4 MiB, tricklers, and a slow-headers client."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from resources.upload import key_entry, new_key
from tests.resources.upload.abuse import MiB, Outcome, form, post_head, slow_headers, trickle
from tests.support.seaweed import free_port

CLIENTS = 40
BODY_TIMEOUT_S = 4.0
IDLE_TIMEOUT_S = 2.0
HEADER_TIMEOUT_S = 2.0
KEY = new_key()
REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, psutil.Process]]:
    folder = tmp_path_factory.mktemp("abuse")
    port = free_port()
    env = {
        **os.environ,
        "SCANLAKE_LAKE_URI": str(folder / "lake"),
        "SCANLAKE_UPLOAD_KEYS": key_entry(KEY),
        "SCANLAKE_UPLOAD_HOST": "127.0.0.1",
        "SCANLAKE_UPLOAD_PORT": str(port),
        "SCANLAKE_UPLOAD_MAX_REQUEST_BYTES": str(8 * MiB),
        "SCANLAKE_UPLOAD_BODY_TIMEOUT_S": str(BODY_TIMEOUT_S),
        "SCANLAKE_UPLOAD_BODY_IDLE_TIMEOUT_S": str(IDLE_TIMEOUT_S),
        "SCANLAKE_UPLOAD_HEADER_TIMEOUT_S": str(HEADER_TIMEOUT_S),
        # the per-address throttle is tested on its own below; here every client is 127.0.0.1
        "SCANLAKE_UPLOAD_AUTH_FAILURE_BURST": "1000000",
    }
    with open(folder / "server.log", "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "resources.upload"], env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                assert proc.poll() is None, (folder / "server.log").read_text()
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline, "upload service did not start"
                time.sleep(0.2)
            yield port, psutil.Process(proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=20)


class PeakMemory:
    """The server's resident memory, sampled every 20 ms while the block runs."""

    def __init__(self, process: psutil.Process) -> None:
        self.process = process
        self.baseline = process.memory_info().rss
        self.peak = self.baseline
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self.process.memory_info().rss)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def growth_mib(self) -> float:
        return (self.peak - self.baseline) / MiB


def _attack(port: int, fields: list[tuple[str, bytes]], chunk: int, pause_s: float, give_up_s: float) -> list[Outcome]:
    boundary, body = form(fields)
    head = post_head(port, boundary, len(body))

    async def all_clients() -> list[Outcome]:
        return list(await asyncio.gather(*(trickle(port, head, body, chunk, pause_s, give_up_s) for _ in range(CLIENTS))))

    return asyncio.run(all_clients())


def _warm(port: int) -> None:
    boundary, body = form([("key", b"warm-up-wrong-key-0123456789"), ("audio", b"RIFF" * 1000)])
    asyncio.run(trickle(port, post_head(port, boundary, len(body)), body, len(body), 0, 5))


def test_forty_wrong_keys_after_4_mib_of_audio_hold_no_memory(server):
    """trunk-recorder's order: the audio first, the key after it. The audio is spooled to
    disk past a small bound, so 40 x 4 MiB never sit in memory."""
    port, process = server
    _warm(port)
    audio = os.urandom(4 * MiB)
    with PeakMemory(process) as memory:
        outcomes = _attack(port, [("audio", audio), ("key", b"not-the-key-0123456789")], 64 << 10, 0.01, 20)
    print(f"server RSS growth {memory.growth_mib:.1f} MiB for {CLIENTS} x 4 MiB bodies")
    assert memory.growth_mib < 48, f"server memory grew {memory.growth_mib:.0f} MiB"
    assert {o.status for o in outcomes} <= {401, 408, 503}, [o.reply[:80] for o in outcomes]
    assert all(o.closed_after_s is not None for o in outcomes)


def test_a_wrong_key_first_is_refused_before_the_body_trickles_in(server):
    """40 clients send a wrong key, then trickle 4 MiB at 160 KiB/s (26 s each): each is
    refused and disconnected within a few seconds, long before its body would end."""
    port, _ = server
    outcomes = _attack(port, [("key", b"not-the-key-0123456789"), ("audio", os.urandom(4 * MiB))], 16 << 10, 0.1, 12)
    assert {o.status for o in outcomes} <= {401, 503}, [o.reply[:80] for o in outcomes]
    assert 401 in {o.status for o in outcomes}
    closed = [o.closed_after_s for o in outcomes]
    assert all(c is not None and c < 5 for c in closed), closed
    assert max(o.sent for o in outcomes) < 2 * MiB


def test_a_trickling_or_stalled_body_is_cut_off(server):
    port, _ = server
    boundary, body = form([("key", KEY.encode()), ("audio", os.urandom(MiB))])
    head = post_head(port, boundary, len(body))

    async def both() -> tuple[Outcome, Outcome]:
        # 2 KiB every 0.5 s: never idle for long, but far too slow for the whole body
        slow = trickle(port, head, body, 2048, 0.5, BODY_TIMEOUT_S + 8)
        # 64 KiB, then nothing
        stalled = trickle(port, head, body[: 64 << 10], 64 << 10, 0, IDLE_TIMEOUT_S + 8)
        return await asyncio.gather(slow, stalled)

    slow, stalled = asyncio.run(both())
    assert slow.status == 408 and slow.closed_after_s is not None
    assert BODY_TIMEOUT_S - 0.5 < slow.closed_after_s < BODY_TIMEOUT_S + 3
    assert stalled.status == 408 and stalled.closed_after_s is not None
    assert IDLE_TIMEOUT_S - 0.5 < stalled.closed_after_s < IDLE_TIMEOUT_S + 3


def test_slow_headers_are_cut_off(server):
    port, _ = server
    closed_after = asyncio.run(slow_headers(port, 0.2, HEADER_TIMEOUT_S + 8))
    assert closed_after is not None and closed_after < HEADER_TIMEOUT_S + 2
