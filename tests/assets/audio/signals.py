"""Test signals for the audio layer, made on the spot: speech-like voiced syllables, radio
hiss at a chosen SNR, squelch tails, clipping, and containers encoded by the real ffmpeg."""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import soundfile as sf

RATE = 16_000


def speech_like(seconds: float, rate: int = RATE, seed: int = 0, level: float = 0.3) -> np.ndarray:
    """Words of one to three voiced syllables (a gliding pitch with formant-shaped harmonics,
    limited to the radio band), with short gaps between syllables and longer ones between words."""
    rng = np.random.default_rng(seed)
    out = np.zeros(int(seconds * rate), dtype=np.float64)
    pos = int(0.2 * rate)
    while pos < len(out) - int(0.4 * rate):
        for _ in range(int(rng.integers(1, 4))):
            n = int(rng.uniform(0.12, 0.28) * rate)
            if pos + n >= len(out):
                break
            f0 = rng.uniform(95, 170) * np.linspace(1.0, rng.uniform(0.85, 1.15), n)
            phase = 2 * np.pi * np.cumsum(f0) / rate
            formants = (rng.uniform(300, 800), rng.uniform(900, 2200), rng.uniform(2400, 3100))
            voiced = np.zeros(n)
            for k in range(1, 40):
                freq = k * float(f0.mean())
                if freq > 3400:
                    break
                gain = sum(np.exp(-(((freq - f) / 150.0) ** 2)) for f in formants) + 0.05
                voiced += gain / k**0.5 * np.sin(k * phase)
            out[pos : pos + n] += np.hanning(n) ** 0.5 * voiced
            pos += n + int(rng.uniform(0.02, 0.08) * rate)
        pos += int(rng.uniform(0.15, 0.45) * rate)
    return (level * out / np.max(np.abs(out))).astype(np.float32)


def with_noise(x: np.ndarray, snr_db: float, seed: int = 1) -> np.ndarray:
    """Add white hiss at ``snr_db`` below the speech's active power."""
    rng = np.random.default_rng(seed)
    active = np.abs(x) > 0.01 * np.max(np.abs(x))
    speech_power = float(np.mean(x[active] ** 2))
    noise = rng.standard_normal(len(x)) * np.sqrt(speech_power / 10 ** (snr_db / 10))
    return (x + noise).astype(np.float32)


def squelch_tail(
    x: np.ndarray, seconds: float = 0.3, level: float = 0.4, seed: int = 2
) -> np.ndarray:
    """Append the loud burst of flat noise an analog receiver plays when the carrier drops."""
    rng = np.random.default_rng(seed)
    burst = rng.uniform(-level, level, int(seconds * RATE)).astype(np.float32)
    return np.concatenate([x, burst])


def clipped(x: np.ndarray, drive: float = 8.0) -> np.ndarray:
    return np.clip(x * drive, -1.0, 1.0).astype(np.float32)


def wav_bytes(x: np.ndarray, rate: int = RATE, subtype: str = "PCM_16") -> bytes:
    out = io.BytesIO()
    sf.write(out, x, rate, format="WAV", subtype=subtype)
    return out.getvalue()


def encoded(x: np.ndarray, ext: str, rate: int = RATE, *args: str) -> bytes:
    """``x`` encoded by the real ffmpeg binary into the container that ``ext`` names."""
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "in.wav", Path(tmp) / f"out.{ext}"
        sf.write(src, x, rate, subtype="PCM_16")
        subprocess.run(
            [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-i", str(src), *args, str(dst)],
            check=True,
            timeout=60,
        )
        return dst.read_bytes()
