"""A small lake with one call that carries a unique word, and a way to search every byte of
the lake's storage for it: what a takedown or a retention rule must leave nowhere."""

from __future__ import annotations

import pyarrow as pa

from lake import LakeLocation, delta
from lake.objects import ObjectStore
from lake.tables import ALERTS, ENTITIES, RAW_CALLS, TRANSCRIPT_WORDS, TRANSCRIPTS
from tests.fixtures.small_lake import SmallLake, build_small_lake

WORD = b"zqxjwordplanted"


def plant(location: LakeLocation, call_index: int = 9) -> tuple[SmallLake, str, bytes]:
    """Build the small lake; put WORD first in one call's transcript, words, entity and alert
    (first, so Delta's column statistics quote it too). Returns the lake, the call and a
    slice of its raw audio bytes."""
    lake = build_small_lake(location)
    uid = lake.call_uids[call_index]
    word = WORD.decode()
    for spec, changes in (
        (TRANSCRIPTS, lambda r: r | {"text": f"{word} {r['text']}"}),
        (ENTITIES, lambda r: r | {"text": word}),
        (ALERTS, lambda r: r | {"snippet": word}),
    ):
        rows = [changes(r) for r in delta.read(location, spec).to_pylist() if r["call_uid"] == uid]
        if rows:
            delta.merge(location, spec, pa.Table.from_pylist(rows, schema=spec.schema))
    words = [r | {"word": word} for r in delta.read(location, TRANSCRIPT_WORDS).to_pylist()
             if r["call_uid"] == uid and r["word_index"] == 0]
    delta.merge(location, TRANSCRIPT_WORDS, pa.Table.from_pylist(words, schema=TRANSCRIPT_WORDS.schema))
    raw_key = next(r["audio_key"] for r in delta.read(location, RAW_CALLS).to_pylist() if r["call_uid"] == uid)
    audio = ObjectStore(location).get(raw_key)
    return lake, uid, audio[len(audio) // 2 : len(audio) // 2 + 256]


def stored_with(location: LakeLocation, *needles: bytes) -> list[str]:
    """Keys of every object in the lake (data files, logs, audio) holding any needle."""
    store = ObjectStore(location)
    return [k for k in store.list("") if any(n in store.get(k) for n in needles)]
