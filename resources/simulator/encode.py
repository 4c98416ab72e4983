"""Call audio as scanners store it: 16-bit mono WAV, or AAC in an .m4a the way
trunk-recorder's ``compressWav`` leaves it. Both are byte-for-byte reproducible."""

from __future__ import annotations

import io
import subprocess
import tempfile
import wave
from pathlib import Path

import imageio_ffmpeg
import numpy as np


class EncodeError(RuntimeError):
    pass


def wav_bytes(pcm: np.ndarray, sample_rate: int) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(sample_rate)
        w.writeframes(pcm.astype("<i2").tobytes())
    return buf.getvalue()


def m4a_bytes(pcm: np.ndarray, sample_rate: int, bitrate: str = "32k") -> bytes:
    """AAC-LC in an MP4 container, through the ffmpeg binary imageio-ffmpeg ships. The
    bitexact flags keep ffmpeg's version string and timestamps out of the file, so the
    same samples give the same bytes."""
    with tempfile.TemporaryDirectory(prefix="scanlake-m4a-") as tmp:
        out = Path(tmp) / "call.m4a"
        cmd = [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-nostdin",
            "-loglevel",
            "error",
            "-threads",
            "1",
            "-f",
            "s16le",
            "-ar",
            str(sample_rate),
            "-ac",
            "1",
            "-i",
            "pipe:0",
            "-c:a",
            "aac",
            "-b:a",
            bitrate,
            "-map_metadata",
            "-1",
            "-fflags",
            "+bitexact",
            "-flags:a",
            "+bitexact",
            str(out),
        ]
        proc = subprocess.run(
            cmd, input=pcm.astype("<i2").tobytes(), capture_output=True, timeout=60, check=False
        )
        if proc.returncode != 0 or not out.exists():
            raise EncodeError(
                f"ffmpeg exited {proc.returncode}: {proc.stderr.decode(errors='replace')[-500:]}"
            )
        return out.read_bytes()
