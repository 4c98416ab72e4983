"""The simulator's ground truth: one row per call, written as Parquet beside the capture.

It is the answer key the later stages are scored against, not a lake table, so its
schema lives here with the simulator that writes it.

Word times (seconds from the start of the call's audio): a word runs from its first
phoneme's start to its last phoneme's end, so closures and short pauses inside it count,
the pause after it does not.
- piper speech: from the voice model's own duration predictor, read out of the graph.
  Phoneme durations are whole frames of 256 samples at 22,050 Hz, so a boundary is exact
  to ~12 ms on the synthesizer's own clock (the decoder smears sound edges by a few ms).
- espeak-ng speech: from its WORD and PHONEME events, exact to the sample.
- ``estimated`` words share one phonetic word with a neighbour (espeak-ng says "for a" as
  one word, "fɚɹə"): the boundary between them is apportioned by phoneme count and can be
  off by a phoneme or two (typically under 80 ms). Their outer boundaries are exact.
Entity times span their first word's start to their last word's end.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ENTITY = pa.struct(
    [
        pa.field("label", pa.string(), False),
        pa.field("text", pa.string(), False),  # spoken_text[start_char:end_char]
        pa.field("normalized", pa.string(), False),
        pa.field("start_char", pa.int32(), False),
        pa.field("end_char", pa.int32(), False),
        pa.field("start_s", pa.float64()),
        pa.field("end_s", pa.float64()),
        pa.field(
            "lat", pa.float64()
        ),  # where the entity is, for ADDRESS, INTERSECTION, MILE_MARKER
        pa.field("lon", pa.float64()),
    ]
)
WORD = pa.struct(
    [
        pa.field("word", pa.string(), False),
        pa.field("start_s", pa.float64(), False),
        pa.field("end_s", pa.float64(), False),
        pa.field("estimated", pa.bool_(), False),
        pa.field("segment", pa.int16(), False),  # index into segments
    ]
)
SEGMENT = pa.struct(
    [
        pa.field("speaker", pa.string(), False),  # unit callsign or "Dispatch"
        pa.field("radio_id", pa.int64(), False),
        pa.field("voice", pa.string(), False),
        pa.field("word_times", pa.string(), False),  # "piper_alignment" or "espeak_events"
        pa.field("start_s", pa.float64(), False),
        pa.field("end_s", pa.float64(), False),
        pa.field("text", pa.string(), False),
    ]
)

GROUND_TRUTH = pa.schema(
    [
        pa.field("call_uid", pa.string(), False),
        pa.field("call_index", pa.int32(), False),
        pa.field("system", pa.string(), False),
        pa.field("talkgroup", pa.int64(), False),
        pa.field("talkgroup_tag", pa.string(), False),
        pa.field("talkgroup_group", pa.string(), False),
        pa.field("start_time", pa.timestamp("us", tz="UTC"), False),
        pa.field("duration_s", pa.float64(), False),
        pa.field("audio_path", pa.string(), False),  # relative to the output folder
        pa.field("audio_ext", pa.string(), False),
        pa.field("sample_rate_hz", pa.int32(), False),
        pa.field("spoken_text", pa.string(), False),  # the words spoken, numbers spelled out
        pa.field("written_text", pa.string(), False),  # the same as a transcriber writes it
        pa.field("is_silent", pa.bool_(), False),
        pa.field("is_garbled", pa.bool_(), False),
        pa.field("is_clipped", pa.bool_(), False),
        pa.field("snr_db", pa.float64()),  # null for silent calls
        pa.field("clipped_ratio", pa.float64(), False),
        pa.field("garbled_ratio", pa.float64(), False),
        pa.field("emergency", pa.bool_(), False),
        pa.field("incident_id", pa.string()),
        pa.field("incident_type", pa.string()),
        pa.field("entities", pa.list_(ENTITY), False),
        pa.field("words", pa.list_(WORD), False),
        pa.field("segments", pa.list_(SEGMENT), False),
    ]
)


def to_table(rows: list[dict[str, object]]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=GROUND_TRUTH)


def write(rows: list[dict[str, object]], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(to_table(rows), path)
    return path


def read(path: Path) -> pa.Table:
    return pq.read_table(path, schema=GROUND_TRUTH)
