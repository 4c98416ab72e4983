"""Paging tones as a county's transmitters send them, for the simulator and the tone
benchmark: two-tone sequential (Quick Call II: A about 1 s, B about 3 s), long tones,
hi-low warble and DTMF, mixed into a call's speech at a radio SNR."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from resources.simulator.radio import band_noise, power

# Quick Call II's standard plans use tones between about 288 and 2400 Hz, at least 40 Hz apart.
QC2_MIN_HZ, QC2_MAX_HZ = 300.0, 2400.0
DTMF_ROWS = (697.0, 770.0, 852.0, 941.0)
DTMF_COLS = (1209.0, 1336.0, 1477.0, 1633.0)
DTMF_KEYS = "123A456B789C*0#D"


@dataclass(frozen=True)
class PlacedTone:
    tone_type: str
    freqs_hz: tuple[float, ...]
    start_s: float
    end_s: float
    detail: str | None = None


def _sine(freq_hz: float, seconds: float, sr: int, phase: float = 0.0) -> np.ndarray:
    t = np.arange(int(round(seconds * sr))) / sr
    return np.sin(2 * math.pi * freq_hz * t + phase).astype(np.float32)


def _ramp(x: np.ndarray, sr: int, ms: float = 5.0) -> np.ndarray:
    """Tone generators key on and off in a few milliseconds, not a click."""
    n = min(len(x) // 2, int(sr * ms / 1000))
    if n:
        ramp = np.linspace(0.0, 1.0, n, dtype=np.float32)
        x[:n] *= ramp
        x[-n:] *= ramp[::-1]
    return x


def two_tone(a_hz: float, b_hz: float, sr: int, a_s: float = 1.0, b_s: float = 3.0) -> np.ndarray:
    return np.concatenate([_ramp(_sine(a_hz, a_s, sr), sr), _ramp(_sine(b_hz, b_s, sr), sr)])


def long_tone(freq_hz: float, sr: int, seconds: float = 5.0) -> np.ndarray:
    return _ramp(_sine(freq_hz, seconds, sr), sr)


def hi_low(hi_hz: float, lo_hz: float, sr: int, step_s: float = 0.25, steps: int = 12) -> np.ndarray:
    parts = [_ramp(_sine(hi_hz if i % 2 == 0 else lo_hz, step_s, sr), sr, 2.0) for i in range(steps)]
    return np.concatenate(parts)


def dtmf(digits: str, sr: int, on_s: float = 0.15, off_s: float = 0.1) -> np.ndarray:
    out = []
    for d in digits:
        i = DTMF_KEYS.index(d)
        row, col = DTMF_ROWS[i // 4], DTMF_COLS[i % 4]
        out.append(_ramp(0.5 * (_sine(row, on_s, sr) + _sine(col, on_s, sr)), sr, 2.0))
        out.append(np.zeros(int(off_s * sr), dtype=np.float32))
    return np.concatenate(out)


def mix_in(
    speech: np.ndarray,
    tone: np.ndarray,
    at_s: float,
    sr: int,
    tone_to_speech_db: float,
    snr_db: float,
    rng: np.random.Generator,
    over_speech: bool = False,
) -> np.ndarray:
    """``tone`` put into the call at ``at_s``, at ``tone_to_speech_db`` against the
    speech's power, then the whole call in band-limited hiss at ``snr_db`` against the
    speech (or the tone, in a call with no speech).

    A dispatcher pages first and talks after, so by default the speech after ``at_s`` moves
    to after the tone (and a short gap); ``over_speech`` lays the tone over the speech
    instead, as when a console keys tones while someone talks."""
    speech = speech.astype(np.float32)
    ref = power(speech) or power(tone) or 1.0
    tone = (tone * math.sqrt(ref * 10 ** (tone_to_speech_db / 10) / (power(tone) or 1.0))).astype(np.float32)
    start = int(at_s * sr)
    if over_speech:
        out = np.zeros(max(len(speech), start + len(tone)), dtype=np.float32)
        out[: len(speech)] += speech
        out[start : start + len(tone)] += tone
    else:
        gap = np.zeros(int(0.3 * sr), dtype=np.float32)
        head = speech[:start]
        pad = np.zeros(max(0, start - len(head)), dtype=np.float32)
        out = np.concatenate([head, pad, tone, gap, speech[start:]])
    noise = band_noise(len(out), sr, rng) * math.sqrt(ref / 10 ** (snr_db / 10))
    mixed = out + noise
    peak = float(np.max(np.abs(mixed))) or 1.0
    return (mixed * min(1.0, 0.9 / peak)).astype(np.float32)
