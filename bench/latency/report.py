"""The latency table: percentiles against the old system's documented 45 s, and where the
time went, stage by stage, from the timestamps each layer writes into the lake."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from pathlib import Path

from bench.latency.run import Measured, Sample
from lake import LakeLocation, delta
from lake.tables import ALERT_DELIVERIES, ALERTS, NORMALIZED_AUDIO, RAW_CALLS, TRANSCRIPTS

OLD_SYSTEM_S = 45.0  # the replaced system, before transcription even started (issue 7)
TARGET_P50_S = 15.0

# (label, table, time column) in pipeline order
STAGES = (
    ("raw_calls ingested", RAW_CALLS, "ingested_at"),
    ("audio normalized", NORMALIZED_AUDIO, "processed_at"),
    ("transcribed", TRANSCRIPTS, "transcribed_at"),
    ("alert row", ALERTS, "created_at"),
    ("webhook sent", ALERT_DELIVERIES, "sent_at"),
)


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (no interpolation: it is one of the measured values)."""
    ordered = sorted(values)
    rank = max(1, round(q / 100 * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def table(lanes: Sequence[Measured]) -> str:
    """p50/p95/max per lane, each against the old system's 45 s and against the first
    lane measured with a baseline (process per run), side by side."""
    header = f"{'lane':<18} {'calls':>5} {'missed':>6} {'p50 s':>7} {'p95 s':>7} {'max s':>7} {'p50 / old 45 s':>15}"
    lines = [header]
    p50s: dict[str, float] = {}
    for lane in lanes:
        got = [s.latency_s for s in lane.samples if s.latency_s is not None]
        missed = len(lane.samples) - len(got)
        if not got:
            lines.append(f"{lane.lane:<18} {0:>5} {missed:>6} {'-':>7} {'-':>7} {'-':>7} {'-':>15}")
            continue
        p50 = percentile(got, 50)
        p50s[lane.lane] = p50
        lines.append(
            f"{lane.lane:<18} {len(got):>5} {missed:>6} {p50:>7.1f} {percentile(got, 95):>7.1f} "
            f"{max(got):>7.1f} {p50 / OLD_SYSTEM_S:>15.2f}"
        )
    lines.append(f"{'old system*':<18} {'':>5} {'':>6} {OLD_SYSTEM_S:>7.1f}")
    if len(p50s) == 2:
        (fast, fast_p50), (slow, slow_p50) = sorted(p50s.items(), key=lambda kv: kv[1])
        lines.append(f"p50 ratio {fast} / {slow}: {fast_p50 / slow_p50:.2f}")
    lines.append("* the old system's documented 45 s before transcription started; not measured here")
    if lanes and lanes[0].lane in p50s:
        met = "met" if p50s[lanes[0].lane] < TARGET_P50_S else "NOT met"
        lines.append(f"target p50 < {TARGET_P50_S:.0f} s ({lanes[0].lane}, tiny.en, this CPU): {met}")
    return "\n".join(lines)


def stages(samples: Sequence[Sample], lake_dir: Path) -> str:
    """Median seconds from the call file's landing to each layer's timestamp."""
    location = LakeLocation(str(lake_dir))
    dropped = {s.call_uid: s.dropped_at for s in samples if s.arrived_at is not None}
    lines = [f"{'stage (median since file landed)':<34} {'s':>7}"]
    for label, spec, column in STAGES:
        key = "call_uid" if "call_uid" in spec.columns else "alert_id"
        rows = delta.read(location, spec).to_pylist()
        if spec is ALERT_DELIVERIES:
            uid_of = {
                r["alert_id"]: r["call_uid"] for r in delta.read(location, ALERTS).to_pylist()
            }
            rows = [
                {**r, "call_uid": uid_of.get(r["alert_id"])} for r in rows if r[column] is not None
            ]
            key = "call_uid"
        first: dict[str, float] = {}
        for r in rows:
            uid, at = r.get(key), r.get(column)
            if uid in dropped and at is not None:
                first[uid] = min(first.get(uid, float("inf")), at.timestamp())
        deltas = [first[u] - dropped[u] for u in first]
        shown = f"{statistics.median(deltas):>7.1f}" if deltas else "      -"
        lines.append(f"{label:<34} {shown}")
    arrived = [s.latency_s for s in samples if s.latency_s is not None]
    if arrived:
        lines.append(f"{'webhook received':<34} {statistics.median(arrived):>7.1f}")
    return "\n".join(lines)
