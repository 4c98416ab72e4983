"""Turn call deliveries into ``raw_calls`` rows, copying each call's audio into the lake.

Pure of Dagster: the asset, the CLI and tests call ``ingest`` directly. A bad delivery
becomes a quarantine row with its reason; it never stops its neighbours.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyarrow as pa

from assets.raw.validate import MAX_CALL_DURATION_S, check_audio, check_call
from lake import objects
from lake.objects import ObjectStore
from lake.tables import RAW_CALLS, RAW_QUARANTINE, conform
from resources.calls import AUDIO_TYPES, CallDelivery, MalformedCall

__all__ = ["MAX_CALL_DURATION_S", "IngestBatch", "ingest"]

@dataclass
class IngestBatch:
    rows: pa.Table
    quarantine: pa.Table
    # deliveries whose rows are in ``rows`` (source refs, for acknowledging a queue)
    ingested_refs: list[str] = field(default_factory=list)
    # deliveries of calls that were already in the lake from another delivery
    duplicates: int = 0


def ingest(
    deliveries: Iterable[CallDelivery | MalformedCall],
    store: ObjectStore,
    source: str,
    existing: dict[str, str] | None = None,
    now: dt.datetime | None = None,
) -> IngestBatch:
    """Rows and quarantine rows for a batch of deliveries.

    ``source`` names the source in quarantine rows of deliveries too broken to say.
    ``existing`` maps call_uid to the source_ref already stored for it: a call delivered
    again by the same source_ref is a re-run (skipped silently); by another one it is a
    duplicate delivery (skipped and recorded).
    """
    now = now or dt.datetime.now(dt.UTC)
    existing = dict(existing or {})
    rows: list[dict[str, object]] = []
    problems: list[dict[str, object]] = []
    ingested: list[str] = []
    duplicates = 0

    def quarantine(source: str, ref: str, uid: str | None, reason: str, detail: str) -> None:
        problems.append(
            dict(
                source=_text(source),
                source_ref=_text(ref),
                call_uid=_text(uid) if uid is not None else None,
                reason=reason,
                detail=_text(detail)[:2000],
                quarantined_at=now,
            )
        )

    for item in deliveries:
        if isinstance(item, MalformedCall):
            quarantine(source, item.source_ref, None, item.reason, item.detail)
            continue
        try:
            check_call(item.meta, item.source_ref, now)
            uid = item.meta.call_uid
        except MalformedCall as exc:
            quarantine(item.source, item.source_ref, _uid_or_none(item), exc.reason, exc.detail)
            continue
        if uid in existing:
            if existing[uid] != item.source_ref:
                duplicates += 1
                quarantine(
                    item.source,
                    item.source_ref,
                    uid,
                    "duplicate_delivery",
                    f"call already ingested from {existing[uid]}",
                )
            ingested.append(item.source_ref)
            continue
        ext = item.audio_ext.lstrip(".").lower()
        if ext not in AUDIO_TYPES:
            quarantine(
                item.source, item.source_ref, uid, "unsupported_audio_type", f"audio type {ext!r}"
            )
            continue
        try:
            audio = item.read_audio()
            ext = check_audio(audio, ext, item.source_ref)
        except MalformedCall as exc:
            quarantine(item.source, item.source_ref, uid, exc.reason, exc.detail)
            continue
        except OSError as exc:
            quarantine(item.source, item.source_ref, uid, "audio_unreadable", str(exc))
            continue
        key = objects.audio_key(objects.RAW_AUDIO, item.meta.system, item.meta.call_date, uid, ext)
        # Re-running a batch must not rewrite audio that is already stored whole.
        if not (store.exists(key) and store.size(key) == len(audio)):
            store.put(key, audio)
        row = _row(item, key, len(audio), now)
        try:
            # one row at a time, so a value the schema cannot hold fails its call, not the batch
            conform(pa.Table.from_pylist([row]), RAW_CALLS)
        except (pa.ArrowException, OverflowError, ValueError, TypeError) as exc:
            quarantine(item.source, item.source_ref, uid, "unstorable_row", str(exc)[:500])
            continue
        rows.append(row)
        existing[uid] = item.source_ref
        ingested.append(item.source_ref)

    return IngestBatch(
        rows=conform(pa.Table.from_pylist(rows), RAW_CALLS) if rows else RAW_CALLS.empty(),
        quarantine=conform(pa.Table.from_pylist(problems), RAW_QUARANTINE)
        if problems
        else RAW_QUARANTINE.empty(),
        ingested_refs=ingested,
        duplicates=duplicates,
    )


def _text(value: str) -> str:
    """Text a Delta table can hold: a file name's undecodable bytes (surrogate escapes) and
    lone surrogates from JSON escapes are written out, never allowed to fail the batch."""
    return value.encode("utf-8", "backslashreplace").decode("utf-8")


def _uid_or_none(item: CallDelivery) -> str | None:
    try:
        return item.meta.call_uid
    except (ValueError, OverflowError, OSError, TypeError):  # a talkgroup of 5,000 digits
        return None


def _row(
    item: CallDelivery, audio_key: str, audio_bytes: int, now: dt.datetime
) -> dict[str, object]:
    meta = item.meta
    start = meta.start_time.astimezone(dt.UTC)
    return dict(
        call_uid=meta.call_uid,
        call_date=start.date(),
        call_hour=start.hour,
        system=meta.system,
        talkgroup=meta.talkgroup,
        talkgroup_tag=meta.talkgroup_tag,
        talkgroup_description=meta.talkgroup_description,
        talkgroup_group=meta.talkgroup_group,
        talkgroup_group_tag=meta.talkgroup_group_tag,
        start_time=start,
        stop_time=meta.stop_time.astimezone(dt.UTC) if meta.stop_time else None,
        duration_s=float(meta.duration_s),
        freq_hz=meta.freq_hz,
        emergency=meta.emergency,
        encrypted=meta.encrypted,
        audio_type=meta.audio_type or item.audio_ext,
        audio_key=audio_key,
        audio_bytes=audio_bytes,
        units=[vars(u) for u in meta.units],
        freqs=[vars(f) for f in meta.freqs],
        source=item.source,
        source_ref=item.source_ref,
        ingested_at=now,
    )
