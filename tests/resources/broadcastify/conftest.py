"""Fixtures for the Broadcastify tests: a local API server, real MP3 audio, a fast client."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator

import imageio_ffmpeg
import pytest

from lake import LakeLocation
from lake.objects import ObjectStore
from resources.broadcastify.client import BroadcastifyClient, Credentials
from resources.broadcastify.pacing import RetryPolicy
from resources.landing import LandingZone
from resources.ratelimit import TokenBucket as RateLimiter
from tests.resources.broadcastify.server import LocalBroadcastify


@pytest.fixture(scope="session")
def mp3_bytes() -> bytes:
    """A real MP3 (0.3 s of tone), the format Broadcastify serves calls in."""
    cmd = [
        imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error",
        "-f", "lavfi", "-i", "sine=frequency=440:duration=0.3", "-ac", "1", "-ar", "8000",
        "-codec:a", "libmp3lame", "-b:a", "16k", "-f", "mp3", "pipe:1",
    ]  # fmt: skip
    data = subprocess.run(cmd, check=True, capture_output=True, timeout=60).stdout
    assert data[:3] == b"ID3" or data[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xe3")
    return data


@pytest.fixture
def api() -> Iterator[LocalBroadcastify]:
    server = LocalBroadcastify().start()
    yield server
    server.stop()


@pytest.fixture
def make_client(api: LocalBroadcastify) -> Iterator[Callable[..., BroadcastifyClient]]:
    made: list[BroadcastifyClient] = []

    def make(
        secret: str | None = None,
        timeout_s: float = 2.0,
        max_retries: int = 2,
        min_interval_s: float = 0.0,
        limiter: RateLimiter | None = None,
    ) -> BroadcastifyClient:
        client = BroadcastifyClient(
            api.base_url,
            Credentials(api.api_key_id, secret or api.api_key_secret, api.app_id),
            timeout_s=timeout_s,
            retry=RetryPolicy(max_retries=max_retries, backoff_s=0.01),
            limiter=limiter or RateLimiter(min_interval_s),
        )
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def landing(lake: LakeLocation) -> LandingZone:
    return LandingZone(ObjectStore(lake))
