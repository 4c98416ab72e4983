"""The benchmark's calls: the traffic simulator's output when it is available, otherwise a
synthetic corpus of speech-like radio calls with the same mix of channel conditions."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import soundfile as sf

AUDIO_EXTS = (".wav", ".m4a", ".mp3", ".flac")
RATE = 8_000  # trunk-recorder's P25 recordings


def simulator() -> Callable[..., object] | None:
    """``resources.simulator.simulate`` if that module (or package attribute) exists yet."""
    for name in ("resources.simulator", "resources.simulator.simulate"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        fn = getattr(module, "simulate", None)
        if callable(fn) and not inspect.ismodule(fn):
            return fn
    return None


def audio_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix.lower() in AUDIO_EXTS)


def simulated(calls: int, seed: int, out: Path) -> tuple[list[Path], dict[Path, dict]] | None:
    """The simulator's calls and, for each audio file, its ground-truth row (SNR, silent,
    clipped, garbled), or None if the simulator is not there."""
    fn = simulator()
    if fn is None:
        return None
    fn(calls, seed, out)
    truth_file = out / "ground_truth.parquet"
    truth: dict[Path, dict] = {}
    if truth_file.exists():
        import pyarrow.parquet as pq

        for row in pq.read_table(truth_file).to_pylist():
            truth[(out / row["audio_path"]).resolve()] = row
    return audio_files(out), truth


def synthetic(calls: int, seed: int, out: Path) -> list[Path]:
    """``calls`` speech-like calls of 2-12 s at 8 kHz: mostly clean or moderately noisy,
    a fifth poor, a few clipped, silent or noise-only; 70% WAV, 30% AAC in M4A."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(calls):
        rng = np.random.default_rng(seed * 100_003 + i)
        x = _speech(rng.uniform(2.0, 12.0), rng)
        kind = rng.random()
        if kind < 0.40:
            x = _noisy(x, rng.uniform(25, 40), rng)
        elif kind < 0.75:
            x = _noisy(x, rng.uniform(12, 20), rng)
        elif kind < 0.92:
            x = _noisy(x, rng.uniform(0, 8), rng)
        elif kind < 0.96:
            x = np.clip(_noisy(x, 25, rng) * 6, -0.98, 0.98)
        elif kind < 0.98:
            x = np.zeros_like(x)
        else:
            x = rng.standard_normal(len(x)).astype(np.float32) * 0.05
        if rng.random() < 0.3:  # a squelch tail
            x = np.concatenate([x, rng.uniform(-0.3, 0.3, int(rng.uniform(0.08, 0.25) * RATE))])
        path = out / f"call-{i:05d}.wav"
        sf.write(path, np.clip(x, -1, 1).astype(np.float32), RATE, subtype="PCM_16")
        if rng.random() < 0.3:
            path = _to_m4a(path)
        paths.append(path)
    return paths


def _speech(seconds: float, rng: np.random.Generator) -> np.ndarray:
    out = np.zeros(int(seconds * RATE))
    pos = int(rng.uniform(0.05, 0.3) * RATE)
    while pos < len(out) - int(0.3 * RATE):
        n = int(rng.uniform(0.12, 0.28) * RATE)
        if pos + n >= len(out):
            break
        f0 = rng.uniform(95, 170) * np.linspace(1.0, rng.uniform(0.85, 1.15), n)
        phase = 2 * np.pi * np.cumsum(f0) / RATE
        formants = (rng.uniform(300, 800), rng.uniform(900, 2200), rng.uniform(2400, 3100))
        k = np.arange(1, int(3400 / f0.mean()) + 1)
        gains = sum(np.exp(-(((k * f0.mean() - f) / 150.0) ** 2)) for f in formants) + 0.05
        out[pos : pos + n] = np.hanning(n) ** 0.5 * ((gains / k**0.5) @ np.sin(np.outer(k, phase)))
        pos += n + int(rng.uniform(0.02, 0.08 if rng.random() < 0.7 else 0.45) * RATE)
    return (0.3 * out / max(np.max(np.abs(out)), 1e-9)).astype(np.float32)


def _noisy(x: np.ndarray, snr_db: float, rng: np.random.Generator) -> np.ndarray:
    active = np.abs(x) > 0.01 * max(float(np.max(np.abs(x))), 1e-9)
    power = float(np.mean(x[active] ** 2)) if active.any() else 1e-6
    noise = rng.standard_normal(len(x)) * np.sqrt(power / 10 ** (snr_db / 10))
    return (x + noise).astype(np.float32)


def _to_m4a(wav: Path) -> Path:
    m4a = wav.with_suffix(".m4a")
    subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-i", str(wav), "-c:a", "aac",
         "-b:a", "32k", str(m4a)],
        check=True,
        timeout=60,
    )  # fmt: skip
    wav.unlink()
    return m4a


def temporary_root() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="scanlake-bench-audio-")
