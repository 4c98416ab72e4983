"""Committing the Call page's correction requests to ``transcript_corrections``.

Each request becomes version ``base_version + 1`` of its call's text, appended with a
Delta app transaction named after the call (``append_once``): the version is claimed in
the same commit as the row, so two runs racing over one request, or two editors who
corrected the same version, can never both write it. The loser reads who holds the
version: its own request (a retry after a lost reply: nothing to do) or another editor's
(the request is stale and set aside, for the editor to redo on the newer text). Only then
is the request removed from the object store.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from lake import corrections, delta
from lake.corrections import BadCorrection, CorrectionRequest
from lake.location import LakeLocation
from lake.objects import ObjectStore
from lake.tables import RAW_CALLS, TRANSCRIPT_CORRECTIONS


def claim_app_id(call_uid: str) -> str:
    return f"scanlake/transcript-correction/{call_uid}"


@dataclass
class CommitSummary:
    pending: int = 0
    committed: list[tuple[str, int]] = field(default_factory=list)  # (call_uid, version)
    already_committed: int = 0
    rejected: dict[str, str] = field(default_factory=dict)  # request key -> reason

    @property
    def calls(self) -> list[str]:
        return sorted({uid for uid, _ in self.committed})


def _row(request: CorrectionRequest, version: int, now: dt.datetime) -> dict[str, object]:
    return {
        "call_uid": request.call_uid,
        "call_date": request.call_date,
        "version": version,
        "text": request.text,
        "editor": request.editor,
        "edited_at": request.edited_at,
        "note": request.note,
        "base_version": request.base_version,
        "base_model_id": request.base_model_id,
        "base_text_sha256": request.base_text_sha256,
        "request_id": request.request_id,
        "committed_at": now,
    }


def _versions(location: LakeLocation, request: CorrectionRequest) -> dict[int, str]:
    """The committed versions of the request's call, each with its request id."""
    rows = delta.read(
        location,
        TRANSCRIPT_CORRECTIONS,
        ["call_uid", "version", "request_id"],
        {"call_date": [request.call_date]},
    )
    rows = rows.filter(pc.equal(rows["call_uid"], request.call_uid))
    return dict(zip(rows["version"].to_pylist(), rows["request_id"].to_pylist(), strict=True))


def _known_calls(location: LakeLocation, day: dt.date) -> set[str]:
    calls = delta.read(location, RAW_CALLS, ["call_uid"], {"call_date": [day]})
    return set(calls["call_uid"].to_pylist())


def commit_day(location: LakeLocation, store: ObjectStore, day: dt.date) -> CommitSummary:
    """Commit every request waiting for calls of ``day``; malformed, unknown-call and stale
    requests are set aside under ``rejected/`` with their reason."""
    summary = CommitSummary()
    keys = corrections.pending(store, day)
    summary.pending = len(keys)
    if not keys:
        return summary
    known = _known_calls(location, day)
    for key in keys:
        try:
            request = corrections.read(store, key)
        except BadCorrection as exc:
            summary.rejected[key] = exc.reason
            corrections.reject(store, key, str(exc))
            continue
        if request is None:
            continue  # committed and removed by an earlier attempt since it was listed
        if request.call_date != day or request.call_uid not in known:
            # the call was redacted (or never was) since the editor saw it
            summary.rejected[key] = "unknown_call"
            corrections.reject(store, key, "unknown_call: no such call on that day")
            continue
        version = request.base_version + 1
        if request.base_version > max(_versions(location, request), default=0):
            summary.rejected[key] = "unknown_base"
            corrections.reject(store, key, f"unknown_base: no version {request.base_version}")
            continue
        now = dt.datetime.now(dt.UTC)
        written = delta.append_once(
            location,
            TRANSCRIPT_CORRECTIONS,
            pa.Table.from_pylist([_row(request, version, now)], schema=TRANSCRIPT_CORRECTIONS.schema),
            app_id=claim_app_id(request.call_uid),
            batch_version=version,
        )
        if not written.skipped:
            summary.committed.append((request.call_uid, version))
        elif _versions(location, request).get(version) == request.request_id:
            summary.already_committed += 1
        else:
            summary.rejected[key] = "stale_base"
            corrections.reject(
                store, key, f"stale_base: version {version} of the call was committed by another edit"
            )
            continue
        corrections.ack(store, key)
    return summary
