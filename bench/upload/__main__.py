"""Benchmark of the call-upload service: accepted uploads per second and latency at 8
concurrent clients, against baselines measured in the same run.

    uv run python -m bench.upload [--uploads 400] [--clients 8] [--audio-s 2.0]

The service runs as ``python -m resources.upload`` in its own process on 127.0.0.1 over a
temporary local lake; the clients are threads of this process, each with one keep-alive
connection, posting trunk-recorder plugin requests. Baselines: the same calls put straight
into the landing zone (no HTTP, no parsing, no probing), and a ``/healthz`` round trip.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import math
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time
import wave
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import imageio_ffmpeg

from bench.common import percentile, print_table
from lake import LakeLocation
from lake.objects import ObjectStore
from resources.calls import CallMeta
from resources.landing import LandingZone
from resources.upload import key_entry, new_key


@dataclass
class Result:
    name: str
    latencies_s: list[float]
    ok: int
    wall_s: float

    @property
    def per_s(self) -> float:
        return self.ok / self.wall_s

    def pct_ms(self, q: float) -> float:
        return 1000 * percentile(self.latencies_s, q)


def run(name: str, n: int, clients: int, one: Callable[[int, httpx.Client | None], bool], http: bool = True) -> Result:
    latencies: list[float] = [0.0] * n

    def worker(share: range) -> int:
        ok = 0
        client = httpx.Client(timeout=120) if http else None
        try:
            for i in share:
                t0 = time.perf_counter()
                ok += one(i, client)
                latencies[i] = time.perf_counter() - t0
        finally:
            if client:
                client.close()
        return ok

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        ok = sum(pool.map(worker, [range(c, n, clients) for c in range(clients)]))
    return Result(name, latencies, ok, time.perf_counter() - started)


def wav(seconds: float, rate: int = 8000) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        frames = (int(9000 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(int(seconds * rate)))
        w.writeframes(b"".join(struct.pack("<h", f) for f in frames))
    return buf.getvalue()


def m4a(seconds: float, tmp: Path) -> bytes:
    out = tmp / "call.m4a"
    command = [
        imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-f", "lavfi",
        "-i", f"sine=frequency=440:duration={seconds}:sample_rate=8000", "-c:a", "aac", str(out),
    ]  # fmt: skip
    subprocess.run(command, check=True, timeout=60)
    return out.read_bytes()


def plugin_fields(key: str, talkgroup: int, start: int, audio_name: str, audio_type: str) -> dict[str, str]:
    """The rdioscanner_uploader plugin's text parts."""
    return {
        "audioName": audio_name, "audioType": audio_type, "dateTime": str(start), "frequencies": "[]",
        "frequency": "851012500", "key": key, "patches": "[]", "talkgroup": str(talkgroup),
        "talkgroupGroup": "Fire", "talkgroupLabel": "FD Disp", "talkgroupTag": "Fire Dispatch",
        "sources": '[{ "pos": 0.00, "src": 1001 }]', "system": "3", "systemLabel": "benchsys",
    }  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_service(lake_dir: Path, key: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "SCANLAKE_LAKE_URI": str(lake_dir),
        "SCANLAKE_UPLOAD_KEYS": key_entry(key),
        "SCANLAKE_UPLOAD_PORT": str(port),
        "SCANLAKE_UPLOAD_RATE_PER_S": "100000",
        "SCANLAKE_UPLOAD_RATE_BURST": "100000",
    }
    service = subprocess.Popen(
        [sys.executable, "-m", "resources.upload"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return service, url
        except httpx.TransportError:
            time.sleep(0.1)
    service.kill()
    raise RuntimeError("the upload service did not start")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.upload")
    parser.add_argument("--uploads", type=int, default=400)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--audio-s", type=float, default=2.0)
    args = parser.parse_args()
    n, clients = args.uploads, args.clients

    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        lake_dir, key = tmp / "lake", new_key()
        audio = {"wav": wav(args.audio_s), "m4a": m4a(args.audio_s, tmp)}
        landing = LandingZone(ObjectStore(LakeLocation(str(lake_dir))))

        def put(i: int, _: httpx.Client | None) -> bool:
            start = dt.datetime.fromtimestamp(1_600_000_000 + i, dt.UTC)
            landing.put("bench", CallMeta("benchsys", 7000, start, args.audio_s), audio["wav"], "wav")
            return True

        results = [run("landing put, no HTTP (base)", n, clients, put, http=False)]
        service, url = start_service(lake_dir, key)
        try:

            def health(i: int, client: httpx.Client | None) -> bool:
                assert client is not None
                return client.get(f"{url}/healthz").status_code == 200

            results.append(run("GET /healthz (base)", n, clients, health))
            for offset, ext, mime in ((0, "wav", "audio/wav"), (n, "m4a", "audio/mp4")):

                def upload(i: int, client: httpx.Client | None, offset: int = offset, ext: str = ext, mime: str = mime) -> bool:
                    assert client is not None
                    name = f"{8000 + i % 50}-{1_700_000_000 + offset + i}_851012500-call_{i}.{ext}"
                    fields = plugin_fields(key, 8000 + i % 50, 1_700_000_000 + offset + i, name, mime)
                    files = {"audio": (name, audio[ext], "application/octet-stream")}
                    reply = client.post(f"{url}/api/call-upload", data=fields, files=files)
                    return reply.status_code == 200 and reply.text == "Call imported successfully.\n"

                results.append(run(f"call-upload {ext} {len(audio[ext]) // 1024} KiB", n, clients, upload))
        finally:
            service.terminate()
            service.wait(timeout=30)
        uploaded = sum(1 for k in landing.store.list("landing/upload") if k.endswith(".call.json"))

    base_rate, base_p95 = results[0].per_s, results[1].pct_ms(95)
    print_table(
        f"upload service: {n} requests per row, {clients} concurrent clients, {args.audio_s:g} s calls, 127.0.0.1",
        ["case", "ok", "per s", "p50 ms", "p95 ms", "rate/put", "p95/healthz"],
        [
            [r.name, r.ok, r.per_s, r.pct_ms(50), r.pct_ms(95), r.per_s / base_rate, r.pct_ms(95) / base_p95]
            for r in results
        ],
    )
    print(f"calls in the landing zone from uploads: {uploaded} (expected {2 * n})")
    if uploaded != 2 * n or any(r.ok != n for r in results):
        raise SystemExit("some requests failed or calls are missing")


if __name__ == "__main__":
    main()
