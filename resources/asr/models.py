"""Loading the ASR models: once per process, from local files unless told otherwise.

The Whisper model is a tier that ships in packages (``tiny.en``, the default, and
``base``: see ``tiers``), loaded by path; any other faster-whisper size name, hub id or
CTranslate2 directory goes to faster-whisper as it is (a hub download needs
``offline=False`` and the network). The VAD is WhisperX's: its pyannote segmentation weights
ship inside the whisperx package, and "silero" uses the Silero ONNX model that ships
inside faster-whisper (WhisperX's own Silero loader fetches from torch.hub, which is not
reachable offline). The wav2vec2 alignment model is optional: its weights come from a
hub, so it is off by default.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from resources.asr.tiers import (
    BASE_MODEL_SHA256,
    DEFAULT_TIER,
    TIERS,
    TierUnavailable,
    is_tier,
    tier_name,
    tier_path,
)

VAD_METHODS = ("pyannote", "silero")


class ModelUnavailable(RuntimeError):
    """A configured model cannot be loaded (missing path, or a hub download while offline)."""

    def __init__(self, what: str, detail: str) -> None:
        super().__init__(f"{what}: {detail}")
        self.what = what
        self.detail = detail


@dataclass(frozen=True)
class ModelSpec:
    """Everything that decides which weights are loaded and how. Hashable: it keys the
    per-process model cache."""

    model: str = (
        DEFAULT_TIER  # a tier name ("" = the default tier); else a size name, hub id or dir
    )
    device: str = "cpu"
    device_index: int = 0
    compute_type: str = "auto"  # auto = int8 on CPU, float16 on CUDA
    cpu_threads: int = 0  # 0 = every core
    language: str | None = "en"
    # Silero (ONNX) costs a tenth of pyannote's LSTM per call, at about the same WER (bench/asr).
    vad_method: str = "silero"
    vad_onset: float = 0.5
    vad_offset: float = 0.363
    align_model: str = ""  # "" = none; "default" = WhisperX's choice for the language
    model_dir: str | None = None  # download/cache root for hub models
    cache_dir: str | None = None  # where packaged tiers are joined; None = XDG cache
    offline: bool = True

    def __post_init__(self) -> None:
        if self.vad_method not in VAD_METHODS:
            raise ValueError(f"vad_method must be one of {VAD_METHODS}, not {self.vad_method!r}")
        if self.device not in ("cpu", "cuda"):
            raise ValueError(f"device must be cpu or cuda, not {self.device!r}")

    @property
    def resolved_compute_type(self) -> str:
        if self.compute_type != "auto":
            return self.compute_type
        return "float16" if self.device == "cuda" else "int8"

    @property
    def threads(self) -> int:
        return self.cpu_threads or os.cpu_count() or 1


@dataclass(frozen=True)
class ModelIdentity:
    """``model_id`` keys the transcript tables (a new id means a new transcript per call);
    ``model_version`` records exactly which weights, libraries and settings produced it."""

    model_id: str
    model_version: str


def model_source(spec: ModelSpec) -> str:
    """What faster-whisper is asked to load: a tier's directory, or a name or path it
    resolves itself."""
    if is_tier(spec.model):
        try:
            return str(tier_path(spec.model, spec.cache_dir))
        except (TierUnavailable, OSError) as exc:
            raise ModelUnavailable(f"model tier {tier_name(spec.model)!r}", str(exc)) from exc
    return spec.model


@lru_cache(maxsize=16)
def identity(spec: ModelSpec) -> ModelIdentity:
    """The model's id and version, without loading it (cheap, cached)."""
    if is_tier(spec.model):
        tier = TIERS[tier_name(spec.model)]
        name = tier.name
        origin = ", ".join(f"{dist} {_version(dist)}" for dist in tier.packages)
    elif Path(spec.model).is_dir():
        name = Path(spec.model).resolve().name
        origin = f"dir {Path(spec.model).resolve()}"
    else:
        name, origin = spec.model, "hub"
    model_id = name
    if spec.align_model:
        model_id += f"+align-{spec.align_model}"
    parts = [origin]
    if is_tier(spec.model) and tier_name(spec.model) == "base":
        # its digest is checked whenever it is joined; naming it here joins nothing
        parts.append(f"weights sha256:{BASE_MODEL_SHA256[:16]}")
    elif Path(source := model_source(spec)).is_dir():
        parts.append(f"weights {_fingerprint(Path(source) / 'model.bin')}")
    parts += [
        f"whisperx {_version('whisperx')}",
        f"faster-whisper {_version('faster-whisper')}",
        f"ctranslate2 {_version('ctranslate2')}",
        f"{spec.resolved_compute_type}",
        f"vad {spec.vad_method}",
    ]
    return ModelIdentity(model_id=model_id, model_version="; ".join(parts))


@dataclass
class LoadedModels:
    spec: ModelSpec
    pipeline: Any  # whisperx.asr.FasterWhisperPipeline: the Whisper model plus its VAD
    align_model: Any | None
    align_metadata: dict | None


@lru_cache(maxsize=4)
def load(spec: ModelSpec) -> LoadedModels:
    """Load (once per process and spec) the Whisper pipeline, its VAD and the optional
    alignment model."""
    with warnings.catch_warnings():
        # pyannote warns at import that torchcodec cannot decode files; we hand it arrays.
        warnings.simplefilter("ignore")
        import whisperx

        from resources.asr.vad import BundledSilero

        vad_options = {"chunk_size": 30, "vad_onset": spec.vad_onset, "vad_offset": spec.vad_offset}
        source = model_source(spec)
        try:
            # Offline, a size name or hub id resolves only from the local hub cache.
            pipeline = whisperx.load_model(
                source,
                spec.device,
                device_index=spec.device_index,
                compute_type=spec.resolved_compute_type,
                language=spec.language,
                vad_model=BundledSilero(**vad_options) if spec.vad_method == "silero" else None,
                vad_method="pyannote",
                vad_options=vad_options,
                download_root=spec.model_dir,
                local_files_only=spec.offline,
                threads=spec.threads,
            )
        except (OSError, ValueError, RuntimeError) as exc:
            hint = ""
            if not is_tier(spec.model) and spec.offline:
                hint = (
                    f" (not a packaged tier: {', '.join(TIERS)}; offline, only the local hub "
                    "cache is searched: set offline=False to download it)"
                )
            raise ModelUnavailable(f"whisper model {source!r}", f"{exc}{hint}") from exc
        align_model = align_metadata = None
        if spec.align_model:
            try:
                align_model, align_metadata = whisperx.load_align_model(
                    spec.language or "en",
                    spec.device,
                    model_name=None if spec.align_model == "default" else spec.align_model,
                    model_dir=spec.model_dir,
                    model_cache_only=spec.offline,
                )
            except (OSError, ValueError, RuntimeError) as exc:
                raise ModelUnavailable(f"alignment model {spec.align_model!r}", str(exc)) from exc
    return LoadedModels(spec, pipeline, align_model, align_metadata)


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def _fingerprint(path: Path) -> str:
    """Size plus a hash of the first and last MiB: tells weight files apart without
    reading gigabytes of a large model."""
    if not path.is_file():
        return "missing"
    size = path.stat().st_size
    digest = hashlib.sha256(str(size).encode())
    with path.open("rb") as fh:
        digest.update(fh.read(1 << 20))
        if size > 2 << 20:
            fh.seek(-(1 << 20), os.SEEK_END)
            digest.update(fh.read(1 << 20))
    return f"sha256:{digest.hexdigest()[:16]}"
