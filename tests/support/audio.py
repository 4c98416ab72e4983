"""Test audio: a short, valid WAV file, for tests (and the fault trials) that need call
audio but not what it sounds like."""

from __future__ import annotations

import io
import wave


def wav_bytes(seconds: float = 1.0, rate: int = 8000) -> bytes:
    """``seconds`` of 16-bit mono PCM at ``rate`` Hz, every sample the same small value."""
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"\x01\x00" * int(seconds * rate))
    return buf.getvalue()
