"""Voice activity detection through WhisperX's VAD interface, returning plain speech
regions in seconds.

``BundledSilero`` plugs the Silero ONNX model that ships inside faster-whisper into
WhisperX (whose own Silero class loads from torch.hub, which needs the network).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from faster_whisper.vad import VadOptions, get_speech_timestamps
from whisperx.diarize import Segment as VadSegment
from whisperx.vads import Pyannote, Vad

SAMPLE_RATE = 16_000


class BundledSilero(Vad):
    """Silero VAD from faster-whisper's bundled ONNX weights, in WhisperX's Vad shape."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(kwargs["vad_onset"])
        self.options = VadOptions(
            threshold=kwargs["vad_onset"],
            neg_threshold=kwargs.get("vad_offset"),
            min_speech_duration_ms=100,
            max_speech_duration_s=kwargs.get("chunk_size", 30),
            min_silence_duration_ms=300,
            speech_pad_ms=100,
        )

    def __call__(self, audio: dict, **kwargs: Any) -> list[VadSegment]:
        if audio["sample_rate"] != SAMPLE_RATE:
            raise ValueError("the bundled Silero VAD takes 16 kHz audio")
        waveform = np.asarray(audio["waveform"], dtype=np.float32)
        spans = get_speech_timestamps(waveform, self.options, sampling_rate=SAMPLE_RATE)
        return [
            VadSegment(s["start"] / SAMPLE_RATE, s["end"] / SAMPLE_RATE, "UNKNOWN") for s in spans
        ]

    @staticmethod
    def preprocess_audio(audio: np.ndarray) -> np.ndarray:
        return audio

    @staticmethod
    def merge_chunks(
        segments: list[VadSegment],
        chunk_size: float,
        onset: float = 0.5,
        offset: float | None = None,
    ) -> list[dict]:
        return Vad.merge_chunks(segments, chunk_size, onset, offset) if segments else []


def speech_regions(
    vad: Any, audio: np.ndarray, onset: float, offset: float, max_region_s: float = 30.0
) -> list[tuple[float, float]]:
    """Speech regions of 16 kHz mono audio, in seconds, in order, none longer than
    ``max_region_s``. Empty when the VAD hears no speech."""
    if audio.size == 0:
        return []
    if isinstance(vad, Vad) and not isinstance(vad, Pyannote):
        waveform = vad.preprocess_audio(audio)
        merge = vad.merge_chunks
    else:
        waveform = torch.from_numpy(np.ascontiguousarray(audio, dtype=np.float32)).unsqueeze(0)
        merge = Pyannote.merge_chunks
    scores = vad({"waveform": waveform, "sample_rate": SAMPLE_RATE})
    chunks = merge(scores, max_region_s, onset=onset, offset=offset)
    duration = audio.size / SAMPLE_RATE
    regions = []
    for chunk in chunks:
        for start, end in chunk["segments"]:
            start, end = max(0.0, float(start)), min(duration, float(end))
            if end > start:
                regions.append((start, end))
    return sorted(regions)
