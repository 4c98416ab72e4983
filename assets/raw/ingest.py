"""Turn call deliveries into ``raw_calls`` rows, copying each call's audio into the lake.

Pure of Dagster: the asset, the CLI and tests call ``ingest`` directly. A bad delivery
becomes a quarantine row with its reason; it never stops its neighbours.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyarrow as pa

from lake import objects
from lake.objects import ObjectStore
from lake.tables import RAW_CALLS, RAW_QUARANTINE, conform
from resources.calls import AUDIO_TYPES, CallDelivery, CallMeta, MalformedCall

# Longer than any real transmission; a larger value means a broken clock or a broken file.
MAX_CALL_DURATION_S = 4 * 3600.0
# A call stamped this far in the future is a recorder clock problem, not a call.
MAX_CLOCK_SKEW = dt.timedelta(hours=1)


class InvalidCall(MalformedCall):
    def __init__(self, source_ref: str, detail: str) -> None:
        super().__init__(source_ref, "invalid_call", detail)


@dataclass
class IngestBatch:
    rows: pa.Table
    quarantine: pa.Table
    # deliveries whose rows are in ``rows`` (source refs, for acknowledging a queue)
    ingested_refs: list[str] = field(default_factory=list)
    # deliveries of calls that were already in the lake from another delivery
    duplicates: int = 0


def validate(meta: CallMeta, source_ref: str, now: dt.datetime) -> None:
    if not meta.system:
        raise InvalidCall(source_ref, "empty system short name")
    if meta.start_time.tzinfo is None:
        raise InvalidCall(source_ref, "start_time has no timezone")
    if not 0 < meta.duration_s <= MAX_CALL_DURATION_S:
        raise InvalidCall(
            source_ref, f"duration {meta.duration_s!r} s outside (0, {MAX_CALL_DURATION_S:.0f}]"
        )
    if meta.start_time > now + MAX_CLOCK_SKEW:
        raise InvalidCall(source_ref, f"start_time {meta.start_time.isoformat()} is in the future")
    if meta.stop_time is not None and meta.stop_time < meta.start_time:
        raise InvalidCall(source_ref, "stop_time is before start_time")


def ingest(
    deliveries: Iterable[CallDelivery | MalformedCall],
    store: ObjectStore,
    source: str,
    existing: dict[str, str] | None = None,
    now: dt.datetime | None = None,
    redacted: frozenset[str] = frozenset(),
) -> IngestBatch:
    """Rows and quarantine rows for a batch of deliveries.

    ``source`` names the source in quarantine rows of deliveries too broken to say.
    ``existing`` maps call_uid to the source_ref already stored for it: a call delivered
    again by the same source_ref is a re-run (skipped silently); by another one it is a
    duplicate delivery (skipped and recorded). A call in ``redacted`` was taken down: a
    re-delivery (an upload retry, a folder re-import) is dropped, audio unread, and recorded.
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
                source=source,
                source_ref=ref,
                call_uid=uid,
                reason=reason,
                detail=detail,
                quarantined_at=now,
            )
        )

    for item in deliveries:
        if isinstance(item, MalformedCall):
            quarantine(source, item.source_ref, None, item.reason, item.detail)
            continue
        uid = item.meta.call_uid
        if uid in redacted:
            quarantine(item.source, item.source_ref, uid, "redacted", "the call was redacted")
            ingested.append(item.source_ref)  # acknowledged: its landing copy is deleted
            continue
        try:
            validate(item.meta, item.source_ref, now)
        except MalformedCall as exc:
            quarantine(item.source, item.source_ref, uid, exc.reason, exc.detail)
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
        rows.append(_row(item, key, len(audio), now))
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
