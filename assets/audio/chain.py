"""Each tier's processing chain: band-pass, spectral-gate denoising, trimming of dead air and
squelch tails, and loudness normalization under a peak ceiling.

A chain returns the steps it applied, with their parameters, so a row says exactly what
was done to its audio.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import noisereduce
import numpy as np
from scipy import signal

from assets.audio.quality import CLEAN, FRAME, MODERATE, POOR, RATE_HZ, Frames, loudness_lufs

LOUDNESS_TARGET_LUFS = -20.0
PEAK_CEILING_DBFS = -1.0
MAX_GAIN_DB = 40.0  # past this we would only be raising hiss
TRIM_PAD_S = 0.25  # kept around the first and last speech, so word edges are never cut
MIN_NOISE_SAMPLE = 1024  # samples of noise-only frames needed to learn the noise spectrum


@dataclass(frozen=True)
class TierChain:
    band_hz: tuple[float, float]
    denoise: float | None  # noisereduce prop_decrease, or no denoising


# Clean audio keeps its full band (only rumble and DC go); radio channels carry nothing
# useful outside about 300-3400 Hz, so the noisier tiers cut there and gate the hiss.
CHAINS: dict[str, TierChain] = {
    CLEAN: TierChain((80.0, 7600.0), None),
    MODERATE: TierChain((200.0, 4000.0), 0.6),
    POOR: TierChain((300.0, 3400.0), 0.9),
}


@contextmanager
def timed(timings: dict[str, float], step: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[step] = timings.get(step, 0.0) + (time.perf_counter() - start) * 1000.0


def apply_chain(
    x: np.ndarray, tier: str, frames: Frames, timings: dict[str, float]
) -> tuple[np.ndarray, list[str]]:
    """Run ``tier``'s chain over 16 kHz mono ``x``, whose frame analysis is ``frames``."""
    chain = CHAINS[tier]
    steps: list[str] = []
    with timed(timings, "bandpass"):
        y = bandpass(x, *chain.band_hz)
        steps.append(f"bandpass:{chain.band_hz[0]:g}-{chain.band_hz[1]:g}Hz")
    if chain.denoise is not None:
        with timed(timings, "denoise"):
            y, step = denoise(y, frames, chain.denoise)
            steps.append(step)
    with timed(timings, "trim"):
        y, step = trim(y, frames)
        steps.append(step)
    with timed(timings, "loudness"):
        y, loud_steps = normalize_loudness(y)
        steps.extend(loud_steps)
    return y, steps


def bandpass(x: np.ndarray, low_hz: float, high_hz: float) -> np.ndarray:
    return signal.sosfilt(_butter(low_hz, high_hz), x).astype(np.float32)


def denoise(y: np.ndarray, frames: Frames, prop_decrease: float) -> tuple[np.ndarray, str]:
    """Stationary spectral gating, learning the noise from the call's own noise-only frames
    (the default, the whole clip, would count a radio call's speech as noise)."""
    mask = frames.noise_mask()
    blocks = y[: len(mask) * FRAME].reshape(len(mask), FRAME)
    noise = blocks[mask].reshape(-1)
    if len(noise) < MIN_NOISE_SAMPLE:
        return y, "denoise:skipped:no-noise-sample"
    out = noisereduce.reduce_noise(
        y=y,
        sr=RATE_HZ,
        y_noise=noise,
        stationary=True,
        prop_decrease=prop_decrease,
        # 32 ms windows at half overlap and a light mask smoothing: speech-grade and about
        # three times faster than the library's defaults (tuned in bench/audio).
        n_fft=512,
        hop_length=256,
        freq_mask_smooth_hz=250,
        time_mask_smooth_ms=48,
        padding=1024,
        n_jobs=1,
    )
    return np.asarray(out, dtype=np.float32), f"denoise:stationary:{prop_decrease:g}"


def trim(y: np.ndarray, frames: Frames) -> tuple[np.ndarray, str]:
    """Cut leading and trailing non-speech: dead air, hiss, and the squelch tail (the burst
    of flat noise when a carrier drops), which is loud but never harmonic."""
    speech = np.flatnonzero(frames.speech)
    if len(speech) == 0:
        return y, "trim:none"
    pad = int(TRIM_PAD_S * RATE_HZ)
    start = max(0, int(speech[0]) * FRAME - pad)
    end = min(len(y), (int(speech[-1]) + 1) * FRAME + pad)
    return y[start:end], f"trim:{start / RATE_HZ:.2f}s+{(len(y) - end) / RATE_HZ:.2f}s"


def normalize_loudness(y: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Gain to LOUDNESS_TARGET_LUFS, lowered if needed so no peak passes PEAK_CEILING_DBFS
    (a plain gain: no limiter to add distortion of its own)."""
    lufs = loudness_lufs(y)
    if lufs is None:
        rms = float(np.sqrt(np.mean(np.square(y, dtype=np.float64))))
        lufs = 20.0 * np.log10(max(rms, 1e-9))  # under one gating block: RMS stands in
    gain_db = min(LOUDNESS_TARGET_LUFS - lufs, MAX_GAIN_DB)
    steps = [f"loudness:{LOUDNESS_TARGET_LUFS:g}LUFS:{gain_db:+.1f}dB"]
    peak = float(np.max(np.abs(y))) if len(y) else 0.0
    ceiling = 10.0 ** (PEAK_CEILING_DBFS / 20.0)
    gain = 10.0 ** (gain_db / 20.0)
    if peak * gain > ceiling:
        gain = ceiling / peak
        steps.append(f"peak_ceiling:{PEAK_CEILING_DBFS:g}dBFS:{20.0 * np.log10(gain):+.1f}dB")
    return (y * gain).astype(np.float32), steps


@functools.cache
def _butter(low_hz: float, high_hz: float) -> np.ndarray:
    return signal.butter(4, [low_hz, high_hz], btype="bandpass", fs=RATE_HZ, output="sos")
