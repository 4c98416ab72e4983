"""The transcriber as a Dagster resource (key ``transcriber``): every ASR setting, with
defaults that run offline on the CPU with the shipped tiny.en model.

``model_id`` names the model the ``transcripts`` asset writes under. Transcripts are keyed
by (call_uid, model_id): switching models and backfilling a date range adds a second
transcript per call and leaves the first one queryable; "the current transcript" of a call
is the row whose model_id equals this resource's ``model_id``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import ClassVar

from dagster import ConfigurableResource
from pydantic import Field

from resources.asr.engine import DecodeOptions, WhisperEngine
from resources.asr.models import ModelIdentity, ModelSpec, identity
from resources.asr.packing import PackingOptions
from resources.asr.vocabulary import Vocabulary, gazetteer_streets, load_talkgroup_terms
from resources.settings import GAZETTEER_CSV_ENV


class TranscriberResource(ConfigurableResource):
    """WhisperX transcription settings: model, device, batching, VAD, alignment and the
    domain vocabulary used as Whisper's prompt."""

    ENV: ClassVar[dict[str, str]] = {
        "model": "SCANLAKE_ASR_MODEL",
        "device": "SCANLAKE_ASR_DEVICE",
        "compute_type": "SCANLAKE_ASR_COMPUTE_TYPE",
        "language": "SCANLAKE_ASR_LANGUAGE",
        "vad_method": "SCANLAKE_ASR_VAD",
        "align_model": "SCANLAKE_ASR_ALIGN_MODEL",
        "model_dir": "SCANLAKE_ASR_MODEL_DIR",
        "model_cache_dir": "SCANLAKE_ASR_CACHE_DIR",
        "gazetteer_csv": GAZETTEER_CSV_ENV,
        "batch_size": "SCANLAKE_ASR_BATCH_SIZE",
    }

    # Defaults come from the dataclasses the pure code takes, so each lives in one place.
    model: str = Field(
        default=ModelSpec.model,
        description="a packaged tier (tiny.en, base; empty = the default tier) or any "
        "faster-whisper size name, hub id or CTranslate2 dir",
    )
    model_cache_dir: str | None = Field(
        default=ModelSpec.cache_dir,
        description="Where packaged tiers split across packages are joined; "
        "empty = $XDG_CACHE_HOME/scanlake/models",
    )
    device: str = Field(default=ModelSpec.device, description="cpu or cuda")
    device_index: int = Field(default=ModelSpec.device_index, description="GPU index on cuda")
    compute_type: str = Field(
        default=ModelSpec.compute_type,
        description="CTranslate2 compute type; auto = int8 on CPU, float16 on CUDA",
    )
    cpu_threads: int = Field(default=ModelSpec.cpu_threads, description="CPU threads; 0 = all")
    language: str = Field(
        default=ModelSpec.language, description="Spoken language (English-only models force en)"
    )
    vad_method: str = Field(
        default=ModelSpec.vad_method,
        description="silero (faster-whisper's shipped ONNX) or pyannote (WhisperX's shipped weights)",
    )
    vad_onset: float = Field(default=ModelSpec.vad_onset, description="VAD speech onset")
    vad_offset: float = Field(default=ModelSpec.vad_offset, description="VAD speech offset")
    align_model: str = Field(
        default=ModelSpec.align_model,
        description="wav2vec2 alignment model ('default' = WhisperX's for the language; its "
        "weights come from a hub); empty = Whisper's own cross-attention word times",
    )
    model_dir: str | None = Field(default=ModelSpec.model_dir, description="Hub model cache")
    offline: bool = Field(default=ModelSpec.offline, description="Load local files only")
    batch_size: int = Field(default=DecodeOptions.batch_size, description="Windows per batch")
    beam_size: int = Field(default=DecodeOptions.beam_size, description="Beam search width")
    prompt_mode: str = Field(
        default=DecodeOptions.prompt_mode, description="initial_prompt or hotwords"
    )
    max_prompt_tokens: int = Field(
        default=DecodeOptions.max_prompt_tokens, description="Token budget of the prompt"
    )
    lone_min_encode_s: float = Field(
        default=DecodeOptions.lone_min_encode_s,
        description="Least encoder input, seconds, for a window holding one call "
        "(second decodes); 0 = Whisper's full 30 s",
    )
    encode_batch_size: int = Field(
        default=DecodeOptions.encode_batch_size,
        description="Windows per encoder call; 0 = one at a time on the CPU, the batch on a GPU",
    )
    pack_calls: bool = Field(
        default=PackingOptions.pack_calls, description="Pack several calls into each window"
    )
    pack_gap_s: float = Field(
        default=PackingOptions.gap_s, description="Silence between packed calls, seconds"
    )
    retry_sparse_calls: bool = Field(
        default=PackingOptions.retry_sparse,
        description="Decode again, alone, a packed call left with too few words for its speech",
    )
    domain_prompt: bool = Field(
        default=True, description="Prompt Whisper with each talkgroup's vocabulary"
    )
    gazetteer_csv: str | None = Field(
        default=None, description="OpenAddresses CSV whose street names join the prompt"
    )
    vocabulary_terms: list[str] = Field(
        default_factory=list, description="Extra terms for every talkgroup"
    )
    talkgroup_terms_json: str | None = Field(
        default=None, description="JSON file: talkgroup id or tag -> list of terms"
    )
    calls_per_batch: int = Field(
        default=200, description="Calls transcribed and committed together"
    )

    def spec(self) -> ModelSpec:
        return ModelSpec(
            model=self.model,
            device=self.device,
            device_index=self.device_index,
            compute_type=self.compute_type,
            cpu_threads=self.cpu_threads,
            language=self.language or None,
            vad_method=self.vad_method,
            vad_onset=self.vad_onset,
            vad_offset=self.vad_offset,
            align_model=self.align_model,
            model_dir=self.model_dir,
            cache_dir=self.model_cache_dir or None,
            offline=self.offline,
        )

    def decode_options(self) -> DecodeOptions:
        return DecodeOptions(
            batch_size=self.batch_size,
            beam_size=self.beam_size,
            prompt_mode=self.prompt_mode,
            max_prompt_tokens=self.max_prompt_tokens,
            lone_min_encode_s=self.lone_min_encode_s,
            encode_batch_size=self.encode_batch_size,
        )

    def packing(self) -> PackingOptions:
        return PackingOptions(
            pack_calls=self.pack_calls, gap_s=self.pack_gap_s, retry_sparse=self.retry_sparse_calls
        )

    @property
    def identity(self) -> ModelIdentity:
        """The current model's id and version, without loading it."""
        return identity(self.spec())

    @property
    def model_id(self) -> str:
        return self.identity.model_id

    def engine(self) -> WhisperEngine:
        """The loaded engine; models load once per process and configuration."""
        return _engine(self.spec(), self.decode_options())

    def vocabulary(self) -> Vocabulary | None:
        if not self.domain_prompt:
            return None
        return Vocabulary(
            streets=gazetteer_streets(self.gazetteer_csv) if self.gazetteer_csv else (),
            terms=tuple(self.vocabulary_terms),
            talkgroup_terms=load_talkgroup_terms(self.talkgroup_terms_json)
            if self.talkgroup_terms_json
            else {},
        )


@lru_cache(maxsize=4)
def _engine(spec: ModelSpec, options: DecodeOptions) -> WhisperEngine:
    return WhisperEngine.load(spec, options)
