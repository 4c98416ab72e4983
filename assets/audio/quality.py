"""Quality of a call's speech, measured on 16 kHz mono, and the tier that follows from it.

The tiers keep the seed's TIER1-CLEAN / TIER2-MODERATE / TIER3-POOR idea: the worse the
channel, the more the chain does to it. Frame analysis (20 ms frames, the speech band only)
also feeds the chain: it finds the noise to learn from and the speech to keep when trimming.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pyloudnorm

from assets.audio.errors import ANALYZE, BadAudio

RATE_HZ = 16_000
FRAME = 320  # 20 ms
SPEECH_BAND_HZ = (300.0, 3400.0)
# A frame is active when its speech-band power stands this far above the call's noise floor
# (the 10th percentile frame). Stationary hiss varies by well under 1 dB between 20 ms frames.
ACTIVITY_DB = 4.0
FLOOR_PERCENTILE = 10.0
# Harmonic (voiced) speech has a peaky spectrum; hiss and squelch bursts are flat (white
# noise scores about 0.56 on this geometric-over-arithmetic-mean measure).
FLATNESS_MAX = 0.4
SILENCE_DBFS = -50.0  # a frame below this, over the full band, is dead air
SILENT_PEAK_DBFS = -60.0
MIN_SPEECH_RATIO = 0.02
SNR_CAP_DB = 60.0
# Clipping is a flat top: runs of samples within 1% of the call's peak lasting at least
# 0.15 ms (3 samples at 16 kHz), whatever level the limiter sat at (an overdriven radio is
# often clipped and then attenuated, so full scale alone misses it). Unclipped speech never
# holds its peak that long.
CLIP_NEAR_PEAK = 0.99
CLIP_MIN_RUN_S = 0.00015
CLIP_MIN_PEAK = 0.1
_FLOOR_DB = -120.0

CLEAN = "clean"
MODERATE = "moderate"
POOR = "poor"
TIERS = (CLEAN, MODERATE, POOR)


@dataclass(frozen=True)
class Frames:
    """Per-20 ms-frame view of a signal."""

    band_db: np.ndarray  # speech-band power, dB re full scale
    full_db: np.ndarray  # whole-band power, dB re full scale
    active: np.ndarray  # bool: above the noise floor
    speech: np.ndarray  # bool: active and harmonic
    floor_db: float

    def noise_mask(self) -> np.ndarray:
        """Frames that are only the channel's noise: near the floor and not dead air."""
        return (self.band_db <= self.floor_db + ACTIVITY_DB / 2) & (self.full_db > _FLOOR_DB)


@dataclass(frozen=True)
class QualityMetrics:
    duration_s: float
    rms_dbfs: float
    peak_dbfs: float
    clipping_ratio: float
    snr_db: float
    silence_ratio: float
    speech_ratio: float
    loudness_lufs: float | None  # None for calls under 0.4 s or without any gated block


def frames_of(x: np.ndarray) -> Frames:
    n = len(x) // FRAME
    if n == 0:
        empty = np.zeros(0)
        return Frames(empty, empty, empty.astype(bool), empty.astype(bool), _FLOOR_DB)
    blocks = x[: n * FRAME].reshape(n, FRAME).astype(np.float64)
    window = _window()
    spectrum = np.abs(np.fft.rfft(blocks * window, axis=1)) ** 2
    lo, hi = (int(f * FRAME / RATE_HZ) for f in SPEECH_BAND_HZ)
    band = spectrum[:, lo : hi + 1]
    # Parseval with the window's energy: band power as a mean square, comparable to full_db.
    band_power = 2.0 * band.sum(axis=1) / (FRAME * float(np.sum(window**2)))
    band_db = _db(band_power)
    full_db = _db(np.mean(blocks**2, axis=1))
    flatness = np.exp(np.mean(np.log(band + 1e-20), axis=1)) / (np.mean(band, axis=1) + 1e-20)
    floor_db = float(np.percentile(band_db, FLOOR_PERCENTILE))
    active = band_db > max(floor_db + ACTIVITY_DB, SILENT_PEAK_DBFS)
    return Frames(band_db, full_db, active, active & (flatness < FLATNESS_MAX), floor_db)


def measure(x: np.ndarray, clipping_ratio: float, frames: Frames | None = None) -> QualityMetrics:
    """Quality metrics of 16 kHz mono ``x``; ``clipping_ratio`` comes from the decoder, which
    sees the samples at their own rate before resampling rounds off the flat tops."""
    frames = frames if frames is not None else frames_of(x)
    peak = float(np.max(np.abs(x))) if len(x) else 0.0
    mean_square = float(np.mean(np.square(x, dtype=np.float64))) if len(x) else 0.0
    return QualityMetrics(
        duration_s=len(x) / RATE_HZ,
        rms_dbfs=float(_db(mean_square)),
        peak_dbfs=float(_db(peak**2)),
        clipping_ratio=clipping_ratio,
        snr_db=_snr_db(frames),
        silence_ratio=float(np.mean(frames.full_db < SILENCE_DBFS)) if len(frames.full_db) else 1.0,
        speech_ratio=float(np.mean(frames.speech)) if len(frames.speech) else 0.0,
        loudness_lufs=loudness_lufs(x),
    )


def clipping_ratio(x: np.ndarray, rate_hz: int) -> float:
    """Share of samples of mono ``x`` (at its own rate) that sit on a clipped flat top."""
    peak = float(np.max(np.abs(x))) if len(x) else 0.0
    if peak < CLIP_MIN_PEAK:
        return 0.0
    near = np.abs(x) >= CLIP_NEAR_PEAK * peak
    edges = np.flatnonzero(np.diff(np.concatenate(([False], near, [False])).astype(np.int8)))
    lengths = edges[1::2] - edges[::2]
    min_run = max(3, round(CLIP_MIN_RUN_S * rate_hz))
    return float(lengths[lengths >= min_run].sum()) / len(x)


def choose_tier(m: QualityMetrics) -> str:
    if m.clipping_ratio >= 0.01 or m.snr_db < 10.0:
        return POOR
    if m.snr_db >= 20.0 and m.clipping_ratio < 0.001:
        return CLEAN
    return MODERATE


def refuse_unusable(m: QualityMetrics) -> None:
    """Raise BadAudio for a call with nothing to transcribe, which would only feed the
    speech recognizer silence or hiss to hallucinate on."""
    if m.peak_dbfs < SILENT_PEAK_DBFS:
        raise BadAudio(ANALYZE, "silent", f"peak {m.peak_dbfs:.1f} dBFS")
    if m.speech_ratio < MIN_SPEECH_RATIO:
        raise BadAudio(
            ANALYZE,
            "no_speech",
            f"speech in {m.speech_ratio:.1%} of frames, SNR {m.snr_db:.1f} dB",
        )


def loudness_lufs(x: np.ndarray) -> float | None:
    if len(x) < int(0.4 * RATE_HZ):
        return None  # shorter than one BS.1770 gating block
    value = float(_meter().integrated_loudness(x.astype(np.float64)))
    return value if np.isfinite(value) else None


def _snr_db(frames: Frames) -> float:
    if not frames.speech.any():
        return 0.0
    power = 10.0 ** (frames.band_db / 10.0)
    noise = power[~frames.active]
    noise_power = float(np.mean(noise)) if len(noise) else 0.0
    speech_power = float(np.mean(power[frames.speech]))
    if noise_power <= 10.0 ** (_FLOOR_DB / 10.0):
        return SNR_CAP_DB  # digital silence between words
    ratio = max(speech_power - noise_power, 1e-12) / noise_power
    return float(np.clip(10.0 * np.log10(ratio), -SNR_CAP_DB, SNR_CAP_DB))


def _db(power: np.ndarray | float) -> np.ndarray | float:
    return np.maximum(10.0 * np.log10(np.maximum(power, 1e-30)), _FLOOR_DB)


@functools.cache
def _window() -> np.ndarray:
    return np.hanning(FRAME)


@functools.cache
def _meter() -> pyloudnorm.Meter:
    return pyloudnorm.Meter(RATE_HZ)
