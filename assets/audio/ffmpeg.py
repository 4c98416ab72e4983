"""The ffmpeg binary shipped by imageio-ffmpeg, run with a timeout: it decodes what
libsndfile cannot. Headers are read in process (``resources.media``, PyAV), not from the
text this binary prints."""

from __future__ import annotations

import functools
import os
import re
import subprocess
import tempfile
from types import TracebackType

import imageio_ffmpeg

from assets.audio.errors import BadAudio


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
