"""A real upload service on 127.0.0.1 (uvicorn on a random free port) over a temporary lake,
and real audio to send it."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
import uvicorn

from lake import LakeLocation
from lake.objects import ObjectStore
from resources.calls import CallMeta
from resources.landing import LandingZone
from resources.upload import UploadSettings, create_app, key_entry, new_key


@dataclass
class Service:
    url: str
    port: int
    key: str
    landing: LandingZone

    def landed(self) -> list[tuple[CallMeta, bytes, str]]:
        """Every call in the landing zone: metadata, audio bytes and audio extension."""
        out = []
        for item in self.landing.read(self.landing.pending()):
            assert not isinstance(item, Exception), item
            out.append((item.meta, item.read_audio(), item.audio_ext))
        return out

    def stored_objects(self) -> list[str]:
        return list(self.landing.store.list(""))


@contextmanager
def running(settings: UploadSettings, landing: LandingZone | None = None) -> Iterator[int]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(settings, landing), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "upload service did not start"
        assert thread.is_alive(), "upload service died while starting"
        time.sleep(0.01)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        sock.close()


@pytest.fixture
def upload_key() -> str:
    return new_key()


@pytest.fixture
def settings(lake: LakeLocation, upload_key: str) -> UploadSettings:
    """Two keys: ``upload_key`` for every system, and one only for ``metro``."""
    entries = [key_entry(upload_key), key_entry("metro-only-key-0123456789", ["metro"])]
    return UploadSettings(keys=";".join(entries), lake_uri=lake.uri, max_request_bytes=2_000_000, max_audio_s=30)


@pytest.fixture
def service(settings: UploadSettings, lake: LakeLocation, upload_key: str) -> Iterator[Service]:
    with running(settings) as port:
        yield Service(f"http://127.0.0.1:{port}", port, upload_key, LandingZone(ObjectStore(lake)))
