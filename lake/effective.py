"""The effective transcript of a call: an editor's newest correction over the machine text.

Every layer that reads transcript text (entities, incidents, alerts; search through the
``effective_transcripts`` view of ``lake.duckdb``) reads it through here, so they agree on
which text a call has. A corrected call keeps its machine rows in ``transcripts``; each of
them reads with the corrected text, ``corrected`` set, and ``transcribed_at`` moved up to
the correction's time, so an incremental reader that remembers when it last read a
transcript sees that the text changed.

A correction has no word timings: readers must not pair the corrected text with the
machine's ``transcript_words`` (they belong to other text). ``corrected_calls`` says which
calls those are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import pyarrow as pa

from lake import delta
from lake.location import LakeLocation
from lake.tables import TRANSCRIPT_CORRECTIONS, TRANSCRIPTS

CORRECTED = pa.field("corrected", pa.bool_(), nullable=False)


def latest_corrections(location: LakeLocation, days: Iterable[dt.date]) -> dict[str, dict]:
    """call_uid -> its newest correction row, for calls of ``days``."""
    rows = delta.read(location, TRANSCRIPT_CORRECTIONS, partitions={"call_date": sorted(set(days))})
    newest: dict[str, dict] = {}
    for row in rows.to_pylist():
        kept = newest.get(row["call_uid"])
        if kept is None or row["version"] > kept["version"]:
            newest[row["call_uid"]] = row
    return newest


def overlay(transcripts: pa.Table, newest: dict[str, dict]) -> pa.Table:
    """``transcripts`` (any of its columns, ``call_uid`` and ``text`` among them) with the
    corrected text over the machine's, and a ``corrected`` column."""
    uids = transcripts.column("call_uid").to_pylist()
    corrected = [uid in newest for uid in uids]
    out = transcripts
    if any(corrected):
        out = _replace(out, "text", [
            newest[uid]["text"] if hit else text
            for uid, hit, text in zip(uids, corrected, out.column("text").to_pylist(), strict=True)
        ])
        if "transcribed_at" in out.column_names:
            out = _replace(out, "transcribed_at", [
                max(at, newest[uid]["edited_at"]) if hit and at is not None else at
                for uid, hit, at in zip(uids, corrected, out.column("transcribed_at").to_pylist(), strict=True)
            ])
        if "hallucinated" in out.column_names:
            # a person read the call and wrote what was said: nothing invented is left
            out = _replace(out, "hallucinated", [
                False if hit else h
                for hit, h in zip(corrected, out.column("hallucinated").to_pylist(), strict=True)
            ])
    return out.append_column(CORRECTED, pa.array(corrected, pa.bool_()))


def effective_transcripts(
    location: LakeLocation, day: dt.date, columns: Sequence[str]
) -> pa.Table:
    """One day's ``transcripts`` (the named columns) as ``overlay`` makes them."""
    wanted = list(dict.fromkeys(["call_uid", "text", *columns]))
    machine = delta.read(location, TRANSCRIPTS, wanted, {"call_date": [day]})
    return overlay(machine, latest_corrections(location, [day]))


def corrected_calls(transcripts: pa.Table) -> set[str]:
    """The calls of an ``overlay`` table whose text is an editor's."""
    return {
        uid
        for uid, hit in zip(
            transcripts.column("call_uid").to_pylist(),
            transcripts.column("corrected").to_pylist(),
            strict=True,
        )
        if hit
    }


def _replace(table: pa.Table, name: str, values: list[object]) -> pa.Table:
    i = table.schema.get_field_index(name)
    field = table.schema.field(i)
    return table.set_column(i, field, pa.array(values, field.type))
