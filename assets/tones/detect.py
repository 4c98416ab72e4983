"""Paging tones in call audio: two-tone sequential (Quick Call II), long tones, hi-low
warble, pulsed single tones, DTMF and MDC1200/FleetSync bursts.

Detection is icad-tone-detection's (MIT; the detector iCAD Dispatch and rdio-scanner users
run): an STFT front end with pattern recognizers for the tone families, and its bundled
decoders for DTMF and MDC1200. It measured well on synthesized tones mixed into radio
speech (``bench/tones``), so scanlake wraps it rather than writing its own: this module
turns its results into typed ``Tone`` rows and keeps its side effects (stdout lines, the
ffmpeg it calls) in one place.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from assets.audio import ffmpeg

if TYPE_CHECKING:
    from pydub import AudioSegment

DETECTOR = "icad-tone-detection"
DETECTOR_VERSION = 1  # bump when settings change what is found: stored rows are redone
TONE_TYPES = ("two_tone", "long", "hi_low", "pulsed", "dtmf", "mdc")


class ToneDetectionFailed(Exception):
    """The detector could not read the audio (its decoders refused it)."""


@dataclass(frozen=True)
class Tone:
    tone_type: str  # one of TONE_TYPES
    freqs_hz: tuple[float, ...]  # A then B for two-tone; the pair for hi-low; empty for DTMF/MDC
    start_s: float
    end_s: float
    detail: str | None = None  # DTMF digits, MDC "op/arg/unit"


@dataclass(frozen=True)
class ToneSettings:
    """The detector's knobs that matter for county radio; the rest keep icad's defaults."""

    tone_a_min_s: float = 0.85
    tone_b_min_s: float = 2.6
    long_tone_min_s: float = 3.8
    detect_dtmf: bool = True
    detect_mdc: bool = True


def _ensure_ffmpeg() -> None:
    """icad looks ``ffmpeg`` up on PATH; scanlake ships one (imageio-ffmpeg) that is not.
    A link named ``ffmpeg`` in a private folder is put at the end of PATH, so a system
    ffmpeg, where there is one, still wins."""
    if shutil.which("ffmpeg"):
        return
    folder = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "scanlake" / "bin"
    folder.mkdir(parents=True, exist_ok=True)
    link = folder / "ffmpeg"
    if not link.exists():
        tmp = folder / f".ffmpeg-{os.getpid()}"
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(ffmpeg.executable())
        tmp.replace(link)
    os.environ["PATH"] = os.pathsep.join([*filter(None, [os.environ.get("PATH")]), str(folder)])


def _segment(mono: np.ndarray, rate_hz: int) -> AudioSegment:
    from pydub import AudioSegment

    pcm = (np.clip(np.nan_to_num(mono), -1.0, 1.0) * 32767.0).astype("<i2")
    return AudioSegment(pcm.tobytes(), frame_rate=int(rate_hz), sample_width=2, channels=1)


def _num(value: object) -> float:
    return float(value)  # type: ignore[arg-type]


def _freqs(value: object) -> tuple[float, ...]:
    if isinstance(value, Iterable) and not isinstance(value, str | bytes):
        return tuple(round(_num(v), 1) for v in value)
    return (round(_num(value), 1),) if value is not None else ()


def _tones(kind: str, found: Iterable[Mapping[str, object]]) -> list[Tone]:
    out = []
    for hit in found:
        detail = None
        if kind == "dtmf":
            detail = str(hit.get("digit") or "")
        elif kind == "mdc":
            detail = "/".join(str(hit.get(k, "")) for k in ("op", "arg", "unitID"))
        out.append(
            Tone(
                tone_type=kind,
                freqs_hz=_freqs(hit.get("detected")) if kind not in ("dtmf", "mdc") else (),
                start_s=round(_num(hit["start"]), 3),
                end_s=round(_num(hit["end"]), 3),
                detail=detail,
            )
        )
    return out


_RESULTS = {
    "two_tone": "two_tone_result",
    "long": "long_result",
    "hi_low": "hi_low_result",
    "pulsed": "pulsed_result",
    "dtmf": "dtmf_result",
    "mdc": "mdc_result",
}


def detect_tones(mono: np.ndarray, rate_hz: int, settings: ToneSettings | None = None) -> list[Tone]:
    """Every paging tone in a call's mono audio, in time order."""
    settings = settings or ToneSettings()
    if mono.size == 0:
        return []
    _ensure_ffmpeg()
    # Imported once ffmpeg is on PATH: pydub looks for it (and warns) at import time.
    from icad_tone_detection import tone_detect

    # icad prints its decoders' JSON lines; they are results, returned below, not logs.
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            result = tone_detect(
                _segment(mono, rate_hz),
                tone_a_min_length=settings.tone_a_min_s,
                tone_b_min_length=settings.tone_b_min_s,
                long_tone_min_length=settings.long_tone_min_s,
                detect_dtmf=settings.detect_dtmf,
                detect_mdc=settings.detect_mdc,
            )
        except (RuntimeError, ValueError, OSError) as exc:
            raise ToneDetectionFailed(str(exc)[:300]) from exc
    tones = [t for kind, attr in _RESULTS.items() for t in _tones(kind, getattr(result, attr, None) or [])]
    return sorted(tones, key=lambda t: (t.start_s, t.tone_type))
