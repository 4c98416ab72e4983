"""Benchmark calls: real speech (the simulator's piper voice, band-limited to 8 kHz like a
scanner) that says a keyword the benchmark's alert group matches, written into a capture
folder exactly as trunk-recorder writes it: the audio, then the JSON."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from resources.calls import CallMeta
from resources.simulator import radio, voices
from resources.simulator.encode import wav_bytes
from resources.trunk_recorder.format import write_call

SYSTEM = "benchco"
KEYWORDS = ["fire", "smoke"]
_STREETS = ["Oak Street", "Maple Avenue", "Elm Street", "Washington Boulevard", "Fifth Street"]
_RATE_HZ = 8000


@dataclass(frozen=True)
class BenchCall:
    meta: CallMeta
    audio: bytes
    text: str

    def stamped(self, now: dt.datetime) -> BenchCall:
        """The call as if it had just ended: trunk-recorder writes a call when it stops."""
        start = now - dt.timedelta(seconds=self.meta.duration_s)
        meta = dataclasses.replace(self.meta, start_time=start, stop_time=now)
        return dataclasses.replace(self, meta=meta)


def render(n: int, seed: int = 7) -> list[BenchCall]:
    """``n`` calls on distinct talkgroups (their uids never collide within a second)."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        text = (
            f"Engine {12 + i}, respond to a working fire at {1200 + 20 * i} {_STREETS[i % len(_STREETS)]}, "
            "smoke showing from the second floor."
        )
        speech = voices.speak("piper-joe", text, rng)
        pcm = radio.to_pcm16(
            0.7
            * radio.band_limit(radio.resample(speech.audio, speech.sample_rate, _RATE_HZ), _RATE_HZ)
        )
        duration = len(pcm) / _RATE_HZ
        meta = CallMeta(
            system=SYSTEM,
            talkgroup=2101 + i,
            start_time=dt.datetime.now(dt.UTC),
            duration_s=duration,
            talkgroup_tag="Bench Fire Dispatch",
            audio_type="digital",
        )
        out.append(BenchCall(meta, wav_bytes(pcm, _RATE_HZ), text))
    return out


def drop(capture_dir: Path, call: BenchCall) -> None:
    write_call(
        capture_dir, call.meta, call.audio, "wav"
    )  # day folder in local time, as trunk-recorder
