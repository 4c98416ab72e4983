"""Where a transcription path's time goes: the encoder passes, the CTranslate2 decodes and
the cross-attention alignments, timed around the calls both plain WhisperX and the asset's
engine make (a faster-whisper model's ``encode``, its CTranslate2 model's ``generate`` and
``align``). The rest of a path's wall time is VAD, features, packing and guards."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Components:
    encoder_batches: list[int] = field(default_factory=list)  # windows per encoder call
    decoder_batches: list[int] = field(default_factory=list)  # windows per generate call
    encode_s: float = 0.0
    generate_s: float = 0.0
    align_s: float = 0.0

    @property
    def windows(self) -> int:
        """30 s windows through the encoder."""
        return sum(self.encoder_batches)


class _TimedWhisper:
    """A CTranslate2 Whisper model whose ``generate`` and ``align`` add to ``components``
    (its methods are read-only, so it is wrapped, not patched)."""

    def __init__(self, inner: Any, components: Components) -> None:
        self._inner = inner
        self._components = components

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def generate(self, features: Any, prompts: list, *args: Any, **kwargs: Any) -> Any:
        self._components.decoder_batches.append(len(prompts))
        return self._timed("generate_s", self._inner.generate, (features, prompts, *args), kwargs)

    def align(self, *args: Any, **kwargs: Any) -> Any:
        return self._timed("align_s", self._inner.align, args, kwargs)

    def _timed(self, name: str, call: Callable[..., Any], args: tuple, kwargs: dict) -> Any:
        start = time.perf_counter()
        try:
            return call(*args, **kwargs)
        finally:
            setattr(
                self._components,
                name,
                getattr(self._components, name) + time.perf_counter() - start,
            )


@contextmanager
def timed(model: Any) -> Iterator[Components]:
    """Time ``model`` (a faster-whisper ``WhisperModel``, as WhisperX's pipeline and the
    asset's engine hold it) while the block runs."""
    components = Components()
    encode, inner = model.encode, model.model

    def timed_encode(features: Any) -> Any:
        start = time.perf_counter()
        try:
            return encode(features)
        finally:
            components.encode_s += time.perf_counter() - start
            components.encoder_batches.append(len(features))

    model.encode = timed_encode
    model.model = _TimedWhisper(inner, components)
    try:
        yield components
    finally:
        del model.encode  # the class's own method again
        model.model = inner
