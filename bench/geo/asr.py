"""The ASR path of the benchmark: each simulated call's audio normalized by the audio
layer and transcribed by the transcript layer's own code, prompted as the asset prompts.

Transcripts are cached beside the corpus, one file per (corpus, model): ASR is the one
expensive step, and rules are iterated on the same transcripts many times. The key is the
ground truth's digest (the corpus is deterministic per town, seed and size) and the model's
id and version, so a cache written by another model or another corpus is never read.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

from assets.entities.extract import Word

if TYPE_CHECKING:
    from resources.asr.resource import TranscriberResource


def cache_path(out: Path, model: str | None) -> tuple[Path, str]:
    """Where the transcripts of the corpus in ``out`` by ``model`` are cached (None = the
    transcriber's default tier), and the model id they were made with."""
    resource = _resource(out, model)
    ident = resource.identity
    corpus = hashlib.sha256((out / "ground_truth.parquet").read_bytes()).hexdigest()[:12]
    version = hashlib.sha256(ident.model_version.encode()).hexdigest()[:8]
    safe_id = ident.model_id.replace("/", "_")
    return out / f"bench_geo_asr-{corpus}-{safe_id}-{version}.parquet", ident.model_id


def _resource(out: Path, model: str | None) -> TranscriberResource:
    from resources.asr.resource import TranscriberResource

    # As the demo configures it: the gazetteer's streets join each talkgroup's prompt.
    if model is None:
        return TranscriberResource(gazetteer_csv=str(out / "gazetteer.csv"))
    return TranscriberResource(gazetteer_csv=str(out / "gazetteer.csv"), model=model)


def transcribe(
    out: Path, truth: list[dict[str, object]], model: str | None, fresh: bool = False
) -> tuple[list[tuple[str, list[Word]]], float, float]:
    """Each call's ASR text and words through the transcript layer's own code, read from
    the (corpus, model) cache when it holds them unless ``fresh``."""
    saved, _ = cache_path(out, model)
    if saved.exists() and not fresh:
        table = pq.read_table(saved)
        meta = table.schema.metadata or {}
        pairs = [(r["text"], [Word(**w) for w in r["words"]]) for r in table.to_pylist()]
        return pairs, float(meta.get(b"asr_s", b"nan")), float(meta.get(b"audio_s", b"nan"))
    from assets.audio.errors import BadAudio
    from assets.audio.normalize import normalize
    from assets.transcripts.audio import read_call_audio
    from assets.transcripts.transcribe import CallAudio, transcribe_calls

    resource = _resource(out, model)
    engine = resource.engine()
    prompts = _prompts(out, truth, resource)
    audio: list[CallAudio | None] = []
    for row in truth:
        data = (out / str(row["audio_path"])).read_bytes()
        try:
            flac = normalize(data, str(row["audio_ext"])).flac
            audio.append(
                CallAudio(
                    str(row["call_uid"]), read_call_audio(flac), prompts[str(row["call_uid"])]
                )
            )
        except BadAudio:
            audio.append(None)  # quarantined by the audio layer: no transcript
    present = [a for a in audio if a is not None]
    began = time.perf_counter()
    done = {t.call_uid: t for t in transcribe_calls(present, engine, resource.packing())}
    seconds = time.perf_counter() - began
    results = []
    for row in truth:
        t = done.get(str(row["call_uid"]))
        results.append(
            ("", [])
            if t is None
            else (t.text, [Word(w.word, w.start_s, w.end_s, w.probability) for w in t.words])
        )
    audio_s = sum(a.duration_s for a in present)
    # the guards' flags too: the entity layer reads nothing from a hallucinated transcript
    flags = [list(done[u].flags) if (u := str(r["call_uid"])) in done else [] for r in truth]
    table = pa.Table.from_pylist(
        [
            {"call_uid": r["call_uid"], "text": text, "words": [vars(w) for w in words], "flags": f}
            for r, (text, words), f in zip(truth, results, flags, strict=True)
        ]
    )
    pq.write_table(
        table.replace_schema_metadata(
            {
                "asr_s": str(seconds),
                "audio_s": str(audio_s),
                "model_id": resource.identity.model_id,
                "model_version": resource.identity.model_version,
            }
        ),
        saved,
    )
    return results, seconds, audio_s


def _prompts(out: Path, truth: list[dict[str, object]], resource: object) -> dict[str, str | None]:
    """Each call's Whisper prompt, built as the transcript asset builds it: from the call
    JSON's talkgroup fields and the unit tags heard on the talkgroup."""
    from assets.transcripts.rows import call_prompts
    from resources.trunk_recorder.format import parse_call_json

    metas = {}
    for row in truth:
        json_path = (out / str(row["audio_path"])).with_suffix(".json")
        metas[str(row["call_uid"])] = parse_call_json(json_path.read_bytes(), json_path.name)
    raw = pa.Table.from_pylist(
        [
            {"call_uid": uid, "talkgroup": m.talkgroup, "talkgroup_tag": m.talkgroup_tag, "talkgroup_group": m.talkgroup_group,
             "talkgroup_description": m.talkgroup_description, "units": [{"tag": u.tag} for u in m.units]}
            for uid, m in metas.items()
        ]
    )  # fmt: skip
    return call_prompts(raw, resource.vocabulary())  # type: ignore[attr-defined]


def saved_flags(out: Path, model: str | None) -> dict[str, list[str]]:
    """Each call's transcript guard flags as ``transcribe`` saved them for ``model`` (none
    in a cache written before flags were saved)."""
    table = pq.read_table(cache_path(out, model)[0])
    if "flags" not in table.schema.names:
        return {}
    return dict(zip(table["call_uid"].to_pylist(), table["flags"].to_pylist(), strict=True))
