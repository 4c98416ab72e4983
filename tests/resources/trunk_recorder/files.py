"""Real call files for the trunk-recorder tests: WAV audio and ready-made call metadata."""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import struct
import time
import wave
from pathlib import Path

from resources.calls import CallMeta, FreqHop, Unit


def wav_bytes(seconds: float = 0.25, rate: int = 8000, hz: float = 440.0) -> bytes:
    """A real 16-bit mono WAV of a tone, as trunk-recorder's sox step would leave."""
    frames = b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * hz * i / rate))) for i in range(int(seconds * rate))
    )
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(frames)
    return buf.getvalue()


def make_meta(
    talkgroup: int = 1201,
    start: dt.datetime = dt.datetime(2024, 5, 3, 14, 30, 5, 250000, tzinfo=dt.UTC),
    system: str = "metro",
    duration_s: float = 4.25,
) -> CallMeta:
    return CallMeta(
        system=system,
        talkgroup=talkgroup,
        start_time=start,
        duration_s=duration_s,
        stop_time=start + dt.timedelta(seconds=duration_s),
        freq_hz=851012500,
        emergency=False,
        encrypted=False,
        talkgroup_tag="Metro Fire Disp",
        talkgroup_description="Fire Dispatch",
        talkgroup_group="Metro County",
        talkgroup_group_tag="Fire Dispatch",
        audio_type="digital",
        units=(Unit(4001, "Engine 12", 0.0), Unit(4002, None, 2.5, True)),
        freqs=(FreqHop(851012500, 0.0, 2.5, 1, 0), FreqHop(851012500, 2.5, 1.75, 0, 2)),
    )


def age(path: Path, seconds: float) -> None:
    """Make a file look written ``seconds`` ago."""
    t = time.time_ns() - int(seconds * 1e9)
    os.utime(path, ns=(t, t))
