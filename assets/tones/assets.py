"""The tones layer: paging tones heard in each call's raw audio, wired for Dagster.

A thin shell over ``partition.scan_partition``; detection is ``detect``, station names
are ``stations``."""

import datetime as dt
from collections.abc import Iterator

import dagster as dg

from assets.partitions import call_date_partitions
from assets.tones.detect import ToneSettings
from assets.tones.partition import scan_partition
from assets.tones.stations import load_plan
from lake import delta
from lake.tables import TONE_SCANS, TONES
from resources.lake import LakeResource
from resources.tones import ToneDetectorResource

_SPECS = [
    dg.AssetSpec(
        "tones",
        deps=["raw_calls"],
        group_name="tones",
        kinds={"deltalake", "python"},
        tags={"layer": "tones"},
        description=TONES.description,
        partitions_def=call_date_partitions,
    ),
    dg.AssetSpec(
        "tone_scans",
        deps=["raw_calls"],
        group_name="tones",
        kinds={"deltalake"},
        tags={"layer": "tones"},
        description=TONE_SCANS.description,
        partitions_def=call_date_partitions,
    ),
]


@dg.multi_asset(specs=_SPECS, name="tones_layer")
def tones_layer(
    context: dg.AssetExecutionContext, lake: LakeResource, tone_detector: ToneDetectorResource
) -> Iterator[dg.MaterializeResult]:
    """Two-tone (Quick Call II), long, hi-low, pulsed, DTMF and MDC1200 tones in every call
    of the day not yet scanned, each named by the station plan where it pages a station;
    ``tone_scans`` records each scanned call so none is scanned twice."""
    day = dt.date.fromisoformat(context.partition_key)
    settings = ToneSettings(
        tone_a_min_s=tone_detector.tone_a_min_s,
        tone_b_min_s=tone_detector.tone_b_min_s,
        long_tone_min_s=tone_detector.long_tone_min_s,
        detect_dtmf=tone_detector.detect_dtmf,
        detect_mdc=tone_detector.detect_mdc,
    )
    summary = scan_partition(lake.location, lake.objects, day, load_plan(tone_detector.stations_path), settings)
    scans = {"scanned": summary.scanned, "with_tones": summary.with_tones, "unreadable": summary.unreadable}
    yield dg.MaterializeResult(
        asset_key="tones",
        metadata={
            **scans,
            "per_type": dg.MetadataValue.json(dict(summary.per_type)),
            "per_station": dg.MetadataValue.json(dict(summary.per_station)),
        },
    )
    yield dg.MaterializeResult(asset_key="tone_scans", metadata=scans)


@dg.asset_check(asset="tones", partitions_def=call_date_partitions)
def tones_belong_to_scanned_calls(
    context: dg.AssetCheckExecutionContext, lake: LakeResource
) -> dg.AssetCheckResult:
    """Every tone row belongs to a scanned call and counts agree: a scan's ``tones`` equals
    its call's tone rows, so no call's tones were written half or twice."""
    day = dt.date.fromisoformat(context.partition_key)
    tones = delta.read(lake.location, TONES, columns=["call_uid"], partitions={"call_date": [day]})
    scans = delta.read(lake.location, TONE_SCANS, columns=["call_uid", "tones"], partitions={"call_date": [day]})
    counted = dict(zip(scans["call_uid"].to_pylist(), scans["tones"].to_pylist(), strict=True))
    rows: dict[str, int] = {}
    for uid in tones["call_uid"].to_pylist():
        rows[uid] = rows.get(uid, 0) + 1
    orphans = sorted(set(rows) - set(counted))
    mismatched = sorted(u for u, n in counted.items() if rows.get(u, 0) != n)
    return dg.AssetCheckResult(
        passed=not orphans and not mismatched,
        metadata={"tones": tones.num_rows, "scanned_calls": scans.num_rows,
                  "orphans": orphans[:20], "mismatched": mismatched[:20]},
    )


defs = dg.Definitions(assets=[tones_layer], asset_checks=[tones_belong_to_scanned_calls])
