"""Check the encoded output before it is stored (the seed's validate_wav_output): right
rate and layout, a plausible duration, not silent, and no clipping the input did not have."""

from __future__ import annotations

import io

import numpy as np
import soundfile as sf

from assets.audio.errors import VALIDATE, BadAudio
from assets.audio.quality import RATE_HZ

MIN_OUTPUT_S = 0.25
SILENT_OUTPUT_DBFS = -55.0
# Full scale less 0.01 dB (int16 full scale reads as 32767/32768): output there was clipped.
CLIP_LEVEL = 0.999


def encode_flac(y: np.ndarray) -> bytes:
    out = io.BytesIO()
    sf.write(out, np.clip(y, -1.0, 1.0), RATE_HZ, format="FLAC", subtype="PCM_16")
    return out.getvalue()


def validate_output(flac: bytes, input_duration_s: float, input_clipping_ratio: float) -> float:
    """Decode ``flac`` back and check it; return its duration in seconds."""
    try:
        y, rate = sf.read(io.BytesIO(flac), dtype="float32", always_2d=True)
    except sf.LibsndfileError as exc:
        raise BadAudio(VALIDATE, "unreadable_output", str(exc)[:300]) from exc
    if rate != RATE_HZ or y.shape[1] != 1:
        raise BadAudio(VALIDATE, "wrong_format", f"{rate} Hz, {y.shape[1]} channels")
    duration = y.shape[0] / RATE_HZ
    if duration < MIN_OUTPUT_S:
        raise BadAudio(VALIDATE, "too_short", f"{duration:.3f} s after trimming")
    if duration > input_duration_s + 0.05:
        raise BadAudio(VALIDATE, "too_long", f"{duration:.2f} s from {input_duration_s:.2f} s")
    rms = float(np.sqrt(np.mean(np.square(y, dtype=np.float64))))
    if rms <= 10.0 ** (SILENT_OUTPUT_DBFS / 20.0):
        raise BadAudio(
            VALIDATE, "silent_output", f"output RMS {20 * np.log10(rms + 1e-12):.1f} dBFS"
        )
    clipping = float(np.mean(np.abs(y) >= CLIP_LEVEL))
    if clipping > input_clipping_ratio + 1e-4:
        raise BadAudio(
            VALIDATE, "new_clipping", f"{clipping:.4%} clipped vs {input_clipping_ratio:.4%} in"
        )
    return duration
