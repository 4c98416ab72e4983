"""The ASR benchmark's calls: the traffic simulator's output, normalized by the audio
layer's own ``normalize`` (so every path hears exactly what the ``transcripts`` asset
hears), with the ground truth's text and word times shifted into the normalized audio."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from assets.audio.errors import BadAudio
from assets.audio.normalize import normalize
from assets.transcripts.audio import read_call_audio

_TRIM = re.compile(r"^trim:(?P<lead>[0-9.]+)s\+")


@dataclass(frozen=True)
class TruthWord:
    word: str
    start_s: float  # in the normalized audio
    end_s: float
    estimated: bool


@dataclass(frozen=True)
class BenchCall:
    call_uid: str
    audio: np.ndarray  # 16 kHz mono, as normalized_audio stores it
    written_text: str  # what a transcriber should write
    words: tuple[TruthWord, ...]  # the spoken words, timed
    silent: bool
    talkgroup: int
    talkgroup_tag: str
    talkgroup_group: str
    unit_tags: tuple[str, ...]

    @property
    def duration_s(self) -> float:
        return self.audio.size / 16000


@dataclass(frozen=True)
class Corpus:
    calls: list[BenchCall]
    quarantined: int  # calls the audio layer refused (the asset never sees them)
    gazetteer_csv: Path

    def raw_table(self) -> pa.Table:
        """What raw_calls would hold for these calls, for the per-talkgroup prompts."""
        return pa.Table.from_pylist(
            [
                {
                    "call_uid": c.call_uid,
                    "talkgroup": c.talkgroup,
                    "talkgroup_tag": c.talkgroup_tag,
                    "talkgroup_group": c.talkgroup_group,
                    "talkgroup_description": None,
                    "units": [{"tag": t} for t in c.unit_tags],
                }
                for c in self.calls
            ]
        )


def build(calls: int, seed: int, out: Path, town: str = "autauga") -> Corpus:
    """Simulate (once per folder, seed, size and town) and normalize the corpus."""
    from resources.simulator.simulate import simulate

    marker = out / "bench-asr.json"
    wanted: dict[str, object] = {"calls": calls, "seed": seed}
    if town != "autauga":  # the marker of an Autauga corpus written before towns existed
        wanted["town"] = town
    if not (marker.exists() and json.loads(marker.read_text()) == wanted):
        simulate(calls, seed, out, town=town)
        marker.write_text(json.dumps(wanted))
    kept, refused = [], 0
    for row in pq.read_table(out / "ground_truth.parquet").to_pylist():
        audio_path = out / row["audio_path"]
        try:
            normalized = normalize(audio_path.read_bytes(), audio_path.suffix)
        except BadAudio:
            refused += 1
            continue
        lead = _trim_lead(normalized.chain)
        audio = read_call_audio(normalized.flac)
        words = tuple(
            TruthWord(w["word"], w["start_s"] - lead, w["end_s"] - lead, w["estimated"])
            for w in row["words"]
        )
        kept.append(
            BenchCall(
                call_uid=row["call_uid"],
                audio=audio,
                written_text="" if row["is_silent"] else row["written_text"],
                words=words,
                silent=row["is_silent"],
                talkgroup=row["talkgroup"],
                talkgroup_tag=row["talkgroup_tag"],
                talkgroup_group=row["talkgroup_group"],
                unit_tags=_unit_tags(audio_path.with_suffix(".json")),
            )
        )
    return Corpus(kept, refused, out / "gazetteer.csv")


def _trim_lead(chain: tuple[str, ...]) -> float:
    for step in chain:
        m = _TRIM.match(step)
        if m:
            return float(m["lead"])
    return 0.0


def _unit_tags(json_path: Path) -> tuple[str, ...]:
    """The srcList tags trunk-recorder wrote, as raw_calls' units carry them."""
    meta = json.loads(json_path.read_text(encoding="utf-8"))
    return tuple(s.get("tag") or "" for s in meta.get("srcList", []) if s.get("tag"))
