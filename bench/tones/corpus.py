"""The tone benchmark's calls: dispatch speech from the simulator's voices (piper and
espeak-ng), band-limited to the radio channel, with a paging tone put in at a radio SNR,
or none. Seeded; nothing here was looked at while scanlake's tone settings were chosen
(they are icad-tone-detection's defaults)."""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from resources.simulator import tones as gen
from resources.simulator.radio import band_limit, resample
from resources.simulator.tones import QC2_MAX_HZ, QC2_MIN_HZ, PlacedTone
from resources.simulator.voices import VOICES, speak

PHRASES = (
    "Station one, Engine twelve, respond to a structure fire on Maple Avenue.",
    "Medic four, respond to a fall, seventy year old female, conscious and breathing.",
    "All units, be advised, the county road is closed at the river bridge.",
    "Rescue two, respond to a vehicle accident with entrapment on the highway.",
    "Brush unit five, respond to a grass fire near the old mill, caller on scene.",
    "Engine three, you are clear to return to quarters.",
)
KINDS = (("two_tone", 0.35), ("long", 0.1), ("hi_low", 0.1), ("dtmf", 0.1), ("none", 0.35))


@dataclass(frozen=True)
class ToneCall:
    audio: np.ndarray
    sample_rate: int
    truth: PlacedTone | None
    snr_db: float
    tone_to_speech_db: float
    over_speech: bool
    voice: str


def _qc2_pair(rng: random.Random) -> tuple[float, float]:
    while True:
        a, b = (round(rng.uniform(QC2_MIN_HZ, QC2_MAX_HZ), 1) for _ in range(2))
        if abs(a - b) >= 40.0:
            return a, b


def _tone(kind: str, sr: int, rng: random.Random) -> tuple[np.ndarray, tuple[float, ...], str | None]:
    if kind == "two_tone":
        a, b = _qc2_pair(rng)
        return gen.two_tone(a, b, sr, rng.uniform(0.9, 1.1), rng.uniform(2.8, 3.5)), (a, b), None
    if kind == "long":
        f = round(rng.uniform(QC2_MIN_HZ, QC2_MAX_HZ), 1)
        return gen.long_tone(f, sr, rng.uniform(4.5, 8.0)), (f,), None
    if kind == "hi_low":
        hi, lo = sorted(_qc2_pair(rng), reverse=True)
        return gen.hi_low(hi, lo, sr, rng.uniform(0.2, 0.35), rng.randrange(10, 16)), (hi, lo), None
    digits = "".join(rng.choice("0123456789*#") for _ in range(rng.randrange(3, 7)))
    return gen.dtmf(digits, sr), (), digits


def build(calls: int, seed: int) -> list[ToneCall]:
    rng = random.Random(seed)
    out: list[ToneCall] = []
    for i in range(calls):
        voice = rng.choice(sorted(VOICES))
        speech = speak(voice, rng.choice(PHRASES), np.random.default_rng(seed * 100_003 + i))
        sr = rng.choice((8_000, 16_000))
        audio = band_limit(resample(speech.audio, speech.sample_rate, sr), sr)
        kind = rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]
        snr, level, over = rng.uniform(6.0, 20.0), rng.uniform(0.0, 9.0), rng.random() < 0.2
        at = rng.uniform(0.0, 1.5)
        noise_rng = np.random.default_rng(seed * 7 + i)
        if kind == "none":
            mixed = gen.mix_in(audio, np.zeros(1, np.float32), 0.0, sr, -80.0, snr, noise_rng, over_speech=True)
            out.append(ToneCall(mixed, sr, None, snr, level, over, voice))
            continue
        tone, freqs, detail = _tone(kind, sr, rng)
        mixed = gen.mix_in(audio, tone, at, sr, level, snr, noise_rng, over_speech=over)
        truth = PlacedTone(kind, freqs, at, at + len(tone) / sr, detail)
        out.append(ToneCall(mixed, sr, truth, snr, level, over, voice))
    return out
