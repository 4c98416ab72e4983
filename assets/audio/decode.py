"""Decode to 16 kHz mono float32: libsndfile in process where it can (WAV, FLAC, MP3, Ogg),
the ffmpeg binary otherwise (AAC in M4A), then torchaudio's band-limited resampler."""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import soundfile as sf
import torch
import torchaudio.functional as taf

from assets.audio import ffmpeg
from assets.audio.errors import DECODE, BadAudio
from assets.audio.probe import AudioInfo, Limits
from assets.audio.quality import clipping_ratio

TARGET_RATE_HZ = 16_000


@dataclass(frozen=True)
class Decoded:
    mono: np.ndarray  # float32, at the input rate (``resample`` brings it to TARGET_RATE_HZ)
    input_rate_hz: int
    clipping_ratio: float  # on flat tops, measured before resampling smooths them
    duration_s: float  # of what actually decoded, which a truncated file makes shorter
    warnings: tuple[str, ...]


def decode(source: ffmpeg.Source, info: AudioInfo, limits: Limits) -> Decoded:
    """Decode ``source`` (already probed as ``info``) to mono at its own rate."""
    warnings: list[str] = []
    if info.reader == "soundfile":
        frames = _read_soundfile(source.data, info, limits)
    else:
        frames = _read_ffmpeg(source, info, limits, warnings)
    if frames.shape[0] == 0:
        raise BadAudio(DECODE, "no_samples", f"{info.container}/{info.codec} decoded to nothing")
    if not np.all(np.isfinite(frames)):
        raise BadAudio(DECODE, "non_finite", "NaN or infinite samples")
    mono = frames.mean(axis=1, dtype=np.float32) if frames.shape[1] > 1 else frames[:, 0]
    clipping = clipping_ratio(mono, info.sample_rate_hz)
    duration_s = frames.shape[0] / info.sample_rate_hz
    declared = info.duration_s
    if declared and duration_s < 0.95 * declared - 0.05:
        warnings.append(f"truncated: decoded {duration_s:.2f} s of {declared:.2f} s declared")
    if duration_s < limits.min_duration_s:
        raise BadAudio(DECODE, "too_short", f"decoded {duration_s:.3f} s")
    if duration_s > limits.max_duration_s:  # a header that understated its length
        raise BadAudio(DECODE, "too_long", f"decoded past {limits.max_duration_s:g} s")
    return Decoded(
        mono=mono,
        input_rate_hz=info.sample_rate_hz,
        clipping_ratio=clipping,
        duration_s=duration_s,
        warnings=tuple(warnings),
    )


def resample(mono: np.ndarray, rate_hz: int) -> np.ndarray:
    if rate_hz == TARGET_RATE_HZ:
        return np.ascontiguousarray(mono, dtype=np.float32)
    tensor = torch.from_numpy(np.ascontiguousarray(mono, dtype=np.float32))
    return taf.resample(tensor, rate_hz, TARGET_RATE_HZ).numpy()


def _read_soundfile(data: bytes, info: AudioInfo, limits: Limits) -> np.ndarray:
    max_frames = int((limits.max_duration_s + 1.0) * info.sample_rate_hz)
    try:
        frames, _ = sf.read(io.BytesIO(data), dtype="float32", always_2d=True, frames=max_frames)
    except sf.LibsndfileError as exc:
        raise BadAudio(DECODE, "undecodable", str(exc)[:300]) from exc
    return frames


def _read_ffmpeg(
    source: ffmpeg.Source, info: AudioInfo, limits: Limits, warnings: list[str]
) -> np.ndarray:
    channels = info.channels or 1
    proc = ffmpeg.run(
        [
            "-v", "error",
            "-i", source.path(),
            "-map", "0:a:0",
            "-t", f"{limits.max_duration_s + 1.0:g}",
            "-ac", str(channels),
            "-f", "f32le",
            "pipe:1",
        ],
        DECODE,
        limits.decode_timeout_s,
    )  # fmt: skip
    if proc.returncode != 0 and not proc.stdout:
        raise BadAudio(DECODE, "undecodable", ffmpeg.last_error_line(proc.stderr))
    if proc.stderr.strip():
        # ffmpeg decodes what it can of a damaged stream and reports the rest on stderr
        warnings.append(f"decode_errors: {ffmpeg.last_error_line(proc.stderr)}")
    usable = len(proc.stdout) // (4 * channels) * channels
    # a copy: the pipe's buffer is read-only, and torch wants to own writable memory
    return np.frombuffer(proc.stdout, dtype="<f4", count=usable).reshape(-1, channels).copy()
