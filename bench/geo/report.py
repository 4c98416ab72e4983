"""The benchmark's printed tables."""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from bench.common import console, print_table
from bench.geo.score import LabelScore, PlaceScore

LABELS = (
    "ADDRESS",
    "INTERSECTION",
    "UNIT",
    "TEN_CODE",
    "INCIDENT_TYPE",
    "PLATE",
    "HIGHWAY",
    "MILE_MARKER",
)


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b and a == a and b == b else "-"


def report(
    args: argparse.Namespace,
    out: Path,
    truth: list[dict[str, object]],
    scores: dict[str, dict[str, LabelScore]],
    places: dict[str, dict[str, PlaceScore]],
    timing: list[float],
    extract_s: dict[str, float],
    asr_note: str,
    paths: list[str],
) -> None:
    console.print(f"corpus: {len(truth)} calls (town {args.town}, seed {args.seed}) in {out}")
    columns = (
        ["label", "true"]
        + [f"{p} P/R" for p in paths]
        + (["asr/written recall"] if "asr" in paths else [])
    )
    table = []
    for label in LABELS:
        row: list[object] = [
            label,
            scores["written"].get(label, LabelScore()).tp
            + scores["written"].get(label, LabelScore()).fn,
        ]
        for p in paths:
            s = scores[p].get(label, LabelScore())
            row.append(f"{s.precision:.2f} / {s.recall:.2f}")
        if "asr" in paths:
            row.append(
                _ratio(
                    scores["asr"].get(label, LabelScore()).recall,
                    scores["written"].get(label, LabelScore()).recall,
                )
            )
        table.append(row)
    print_table("Entities: precision / recall per type", columns, table)
    geo_rows = []
    for label in ("ADDRESS", "INTERSECTION"):
        for p in paths:
            s = places[p][label]
            geo_rows.append(
                [
                    label,
                    p,
                    s.spoken,
                    f"{s.placed:.2f}",
                    f"{s.within(100):.2f}",
                    f"{s.precision(100):.2f}",
                    f"{s.percentile(50):.1f}",
                    f"{s.percentile(90):.1f}",
                ]
            )
    print_table(
        "Locations",
        ["spoken", "path", "n", "placed", "within 100 m", "placed P 100 m", "median m", "p90 m"],
        geo_rows,
    )
    if timing:
        console.print(
            f"entity start-time error (asr, matched entities): median {statistics.median(timing):.2f} s, n={len(timing)}"
        )
    for p, s in extract_s.items():
        console.print(f"extraction ({p}): {len(truth) / s:.0f} transcripts/s")
    if asr_note:
        console.print(asr_note)
    a = places.get("asr", places["written"])["ADDRESS"]
    s = scores.get("asr", scores["written"]).get("ADDRESS", LabelScore())
    console.print(
        f"targets ({args.town}): addresses within 100 m {a.within(100):.2f} (>= 0.85), "
        f"ADDRESS precision {s.precision:.2f} (>= 0.9), recall {s.recall:.2f}"
    )
