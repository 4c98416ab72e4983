"""A capture-folder scan handed from the sensor to the run it requests.

The sensor must list and parse a window to know where it ends (a young call's JSON may not
parse yet) and which call dates it spans. The run used to walk and parse the same window
again; it now takes the sensor's items instead, as plain JSON-able dicts that travel in the
run's config. The audio is still read by the run, from the file the scan found, so nothing
of the call is stored twice and a file gone by then is quarantined as before.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from resources.calls import CallDelivery, MalformedCall
from resources.landing import meta_from_json, meta_to_json
from resources.trunk_recorder.folder import SOURCE, read_audio

Item = CallDelivery | MalformedCall


def hand(items: Iterable[Item]) -> list[dict[str, object]]:
    """The scan's items as config: a call's parsed metadata, audio file and position, or a
    problem's reason and detail."""
    out: list[dict[str, object]] = []
    for item in items:
        if isinstance(item, MalformedCall):
            out.append({"source_ref": item.source_ref, "reason": item.reason, "detail": item.detail})
            continue
        if item.audio_path is None:
            raise ValueError(f"{item.source_ref}: a delivery without its audio file cannot be handed on")
        out.append(
            {
                "source_ref": item.source_ref,
                "position": item.position,
                "audio_ext": item.audio_ext,
                "audio_path": item.audio_path,
                "call": json.dumps(meta_to_json(item.meta)),
            }
        )
    return out


def take(handed: Iterable[Mapping[str, object]]) -> list[Item]:
    """The items ``hand`` gave, as the scan returned them (a problem keeps its reason code
    and detail; that is all ingestion reads of it)."""
    items: list[Item] = []
    for entry in handed:
        ref = str(entry["source_ref"])
        if entry.get("reason"):
            items.append(MalformedCall(ref, str(entry["reason"]), str(entry.get("detail") or "")))
            continue
        path = Path(str(entry["audio_path"]))
        items.append(
            CallDelivery(
                source=SOURCE,
                source_ref=ref,
                meta=meta_from_json(json.loads(str(entry["call"])), ref),
                audio_ext=str(entry["audio_ext"]),
                read_audio=lambda path=path, ref=ref: read_audio(path, ref),
                position=int(entry.get("position") or 0),  # type: ignore[call-overload]
                audio_path=str(path),
            )
        )
    return items
