"""Reading a call's normalized audio (16 kHz mono FLAC) into the array Whisper takes."""

from __future__ import annotations

import io

import numpy as np
import soundfile as sf

SAMPLE_RATE = 16_000
UNREADABLE_AUDIO = "unreadable_audio"


class UnreadableAudio(ValueError):
    """Normalized audio that cannot be transcribed. ``reason`` is a short stable code."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def read_call_audio(data: bytes) -> np.ndarray:
    """Decode FLAC (or WAV) bytes to float32 samples at 16 kHz, mono."""
    if not data:
        raise UnreadableAudio("empty", "the audio object has no bytes")
    try:
        samples, rate = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
    except (sf.SoundFileError, RuntimeError) as exc:
        raise UnreadableAudio("undecodable", str(exc)) from exc
    if rate != SAMPLE_RATE:
        # normalized_audio promises 16 kHz; anything else is an upstream bug, not ours to hide
        raise UnreadableAudio("sample_rate", f"{rate} Hz, expected {SAMPLE_RATE}")
    mono = samples.mean(axis=1) if samples.shape[1] > 1 else samples[:, 0]
    if not np.all(np.isfinite(mono)):
        raise UnreadableAudio("not_finite", "samples contain NaN or infinity")
    return np.ascontiguousarray(mono, dtype=np.float32)
