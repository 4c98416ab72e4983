"""The ffmpeg binary shipped by imageio-ffmpeg: running it with a timeout, and reading the
stream header it prints for an input (imageio-ffmpeg ships no ffprobe)."""

from __future__ import annotations

import functools
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from types import TracebackType

import imageio_ffmpeg

from assets.audio.errors import PROBE, BadAudio

_DURATION = re.compile(r"Duration:\s*(\d+):(\d{2}):(\d{2}(?:\.\d+)?)")
# "Stream #0:0[0x1](und): Audio: aac (LC) (mp4a / 0x6134706D), 16000 Hz, mono, fltp, ..."
_AUDIO_STREAM = re.compile(r"Stream #\d+:\d+.*?: Audio: ([^,]+), (\d+) Hz, ([^,]+)")
_N_CHANNELS = re.compile(r"^(\d+) channels")


@functools.cache
def executable() -> str:
    return imageio_ffmpeg.get_ffmpeg_exe()


def run(args: list[str], stage: str, timeout_s: float) -> subprocess.CompletedProcess[bytes]:
    """Run ffmpeg with ``args``; a run past ``timeout_s`` is killed and becomes BadAudio."""
    try:
        return subprocess.run(
            [executable(), "-hide_banner", "-nostdin", *args],
            capture_output=True,
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise BadAudio(stage, "timeout", f"ffmpeg ran past {timeout_s:g} s") from exc


@functools.cache
def channel_layouts() -> dict[str, int]:
    """Channel count of every named layout, from the binary's own table (``ffmpeg -layouts``),
    so names such as ``5.1(side)`` or ``9.1.6`` are counted as this ffmpeg prints them."""
    proc = run(["-layouts"], PROBE, 10.0)
    layouts: dict[str, int] = {}
    in_table = False
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        if line.startswith("Standard channel layouts"):
            in_table = True
            continue
        parts = line.split()
        if in_table and len(parts) == 2 and parts[0] != "NAME":
            layouts[parts[0]] = parts[1].count("+") + 1
    return layouts


@dataclass(frozen=True)
class StreamHeader:
    codec: str
    sample_rate_hz: int
    channels: int
    duration_s: float | None


def parse_input_header(stderr: str) -> StreamHeader | None:
    """The first audio stream of the ``Input #0`` block ffmpeg prints, or None if there is none."""
    stream = _AUDIO_STREAM.search(stderr)
    if stream is None:
        return None
    codec = stream.group(1).split(" ")[0]
    layout = stream.group(3).strip()
    count = _N_CHANNELS.match(layout)
    if count:
        channels = int(count.group(1))
    else:
        channels = channel_layouts().get(layout.split(" ")[0], 0)
    duration = _DURATION.search(stderr)
    duration_s = (
        int(duration.group(1)) * 3600 + int(duration.group(2)) * 60 + float(duration.group(3))
        if duration
        else None
    )
    return StreamHeader(codec, int(stream.group(2)), channels, duration_s)


def last_error_line(stderr: bytes) -> str:
    lines = [ln.strip() for ln in stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
    return lines[-1][:300] if lines else ""


class Source:
    """A call's bytes, plus a temporary file of them made only if ffmpeg needs one: MP4
    containers keep their index at the end, so ffmpeg must seek and cannot read a pipe."""

    def __init__(self, data: bytes, ext: str) -> None:
        self.data = data
        # only a short alphanumeric suffix reaches the file name (it hints ffmpeg's demuxer)
        self.ext = re.sub(r"[^a-z0-9]", "", ext.lower())[:8]
        self._dir: tempfile.TemporaryDirectory[str] | None = None

    def path(self) -> str:
        if self._dir is None:
            self._dir = tempfile.TemporaryDirectory(prefix="scanlake-audio-")
            with open(self._file(), "wb") as fh:
                fh.write(self.data)
        return self._file()

    def _file(self) -> str:
        assert self._dir is not None
        return os.path.join(self._dir.name, f"input.{self.ext or 'bin'}")

    def close(self) -> None:
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None

    def __enter__(self) -> Source:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
