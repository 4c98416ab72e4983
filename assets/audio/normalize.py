"""The audio layer's one transformation: a call's audio bytes in, 16 kHz mono FLAC speech
plus its quality metrics, tier, chain and step timings out, or a BadAudio saying why not.

Pure: no lake, no Dagster. A notebook, the benchmark or a test calls ``normalize`` directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assets.audio.chain import apply_chain, timed
from assets.audio.decode import TARGET_RATE_HZ, decode, resample
from assets.audio.ffmpeg import Source
from assets.audio.probe import AudioInfo, Limits, probe
from assets.audio.quality import QualityMetrics, choose_tier, frames_of, measure, refuse_unusable
from assets.audio.validate import encode_flac, validate_output

# Bump when the chain changes what it writes: a backfill then reprocesses every call whose
# row (processed or quarantined) carries an older version.
PROCESSING_VERSION = 1

STEPS = ("probe", "decode", "resample", "analyze", "bandpass", "denoise", "trim", "loudness",
         "encode", "validate")  # fmt: skip


@dataclass(frozen=True)
class NormalizedAudio:
    flac: bytes
    duration_s: float  # of the output, after trimming
    sample_rate_hz: int
    source: AudioInfo
    input_duration_s: float  # of what decoded
    metrics: QualityMetrics  # of the input: they are what chose the tier
    tier: str
    chain: tuple[str, ...]
    warnings: tuple[str, ...]
    timings_ms: dict[str, float] = field(default_factory=dict)

    @property
    def processing_ms(self) -> float:
        return sum(self.timings_ms.values())


def normalize(data: bytes, ext: str, limits: Limits | None = None) -> NormalizedAudio:
    """Normalize one call's audio; ``ext`` is the declared file type, a hint only (the
    content decides). Raises BadAudio with the stage that refused it."""
    limits = limits or Limits()
    timings: dict[str, float] = {}
    with Source(data, ext) as source:
        with timed(timings, "probe"):
            info = probe(source, limits)
        with timed(timings, "decode"):
            decoded = decode(source, info, limits)
    with timed(timings, "resample"):
        x = resample(decoded.mono, decoded.input_rate_hz)
    with timed(timings, "analyze"):
        frames = frames_of(x)
        metrics = measure(x, decoded.clipping_ratio, frames)
        refuse_unusable(metrics)
        tier = choose_tier(metrics)
    y, steps = apply_chain(x, tier, frames, timings)
    if decoded.input_rate_hz != TARGET_RATE_HZ:
        steps.insert(0, f"resample:{decoded.input_rate_hz}->{TARGET_RATE_HZ}Hz")
    with timed(timings, "encode"):
        flac = encode_flac(y)
    with timed(timings, "validate"):
        duration = validate_output(flac, decoded.duration_s, decoded.clipping_ratio)
    return NormalizedAudio(
        flac=flac,
        duration_s=duration,
        sample_rate_hz=TARGET_RATE_HZ,
        source=info,
        input_duration_s=decoded.duration_s,
        metrics=metrics,
        tier=tier,
        chain=tuple(steps),
        warnings=decoded.warnings,
        timings_ms=timings,
    )
