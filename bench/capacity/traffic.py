"""Calls at a steady rate, as recorders deliver them: into a trunk-recorder capture folder
(audio, then JSON) and into the rdio-scanner upload endpoint, alternating by a fixed share.
Each call is a rendered speech clip (bench.latency's voice) naming an address that a small
gazetteer written here knows, so calls reach both ``transcripts`` and ``locations``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.latency import calls as bench_calls
from resources.trunk_recorder.format import call_json

STREETS = ["Oak Street", "Maple Avenue", "Elm Street", "Washington Boulevard", "Fifth Street"]


def gazetteer(path: Path, n: int) -> None:
    """The addresses bench.latency's calls say (1200 + 20 i on five streets), near one point."""
    rows = ["LON,LAT,NUMBER,STREET,UNIT,CITY,DISTRICT,REGION,POSTCODE"]
    for i in range(n):
        rows.append(f"{-86.47 + 0.001 * i:.6f},{32.45 + 0.0005 * i:.6f},{1200 + 20 * i},"
                    f"{STREETS[i % len(STREETS)]},,Benchville,Bench County,AL,36067")
    path.write_text("\n".join(rows) + "\n")


@dataclass
class Driver:
    capture: Path
    upload_url: str | None
    upload_key: str
    pool: list[bench_calls.BenchCall]
    upload_every: int  # every n-th call goes to the upload endpoint (0: none)
    landed: dict[str, float] = dataclasses.field(default_factory=dict)
    failed_uploads: int = 0

    def deliver(self, i: int) -> None:
        base = self.pool[i % len(self.pool)]
        # A distinct talkgroup per pool slot and round keeps call_uids apart within a second.
        call = dataclasses.replace(base, meta=dataclasses.replace(base.meta, talkgroup=base.meta.talkgroup + 100 * (i // len(self.pool) % 50)))
        call = call.stamped(dt.datetime.now(dt.UTC))
        if self.upload_url and self.upload_every and i % self.upload_every == 0:
            reply = httpx.post(
                f"{self.upload_url}/api/trunk-recorder-call-upload",
                data={"key": self.upload_key, "system": "1"},
                files={
                    "audio": (f"{call.meta.call_uid}.wav", call.audio, "audio/wav"),
                    "meta": (f"{call.meta.call_uid}.json", json.dumps(call_json(call.meta)).encode(), "application/json"),
                },
                timeout=30,
            )
            if reply.status_code != 200:
                self.failed_uploads += 1
                return
        else:
            bench_calls.drop(self.capture, call)
        self.landed[call.meta.call_uid] = time.time()

    def drive(self, rate_per_min: float, minutes: float, say: Callable[[str], None]) -> None:
        """Deliver calls on a fixed schedule (not after each other's latency): the rate holds
        whatever the pipeline does."""
        gap = 60.0 / rate_per_min
        total = int(rate_per_min * minutes)
        t0 = time.monotonic()
        for i in range(total):
            wait = t0 + i * gap - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self.deliver(i)
            if i and i % max(1, int(rate_per_min)) == 0:
                say(f"  delivered {i}/{total}")
