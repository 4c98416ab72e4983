"""The duplicates layer: ``call_duplicates``, wired for Dagster.

A thin shell: reading and writing are ``partition``, the matching ``match``, the settings
``resources.duplicates``. It sits after the audio layer (the tier and SNR that pick the
kept copy are known there) and before transcripts (which skip every duplicate).
"""

import datetime as dt

import dagster as dg

from assets.duplicates.match import parse_systems
from assets.duplicates.partition import decide_partition
from assets.partitions import call_date_partitions
from resources.duplicates import CaptureSystemsResource
from resources.lake import LakeResource


@dg.asset(
    key="call_duplicates",
    group_name="duplicates",
    partitions_def=call_date_partitions,
    deps=["raw_calls", "normalized_audio"],
    kinds={"deltalake", "python"},
    tags={"layer": "duplicates"},
)
def call_duplicates(
    context: dg.AssetExecutionContext, lake: LakeResource, capture_systems: CaptureSystemsResource
) -> dg.MaterializeResult:
    """One row per normalized call: the copy kept for its transmission. A transmission
    captured by several sites or recorders of one system (``SCANLAKE_SYSTEMS``) arrives as
    several calls on the same talkgroup, starting and ending within
    ``SCANLAKE_DUPLICATE_WINDOW_S`` (2 s) of each other, from different captures, with a
    radio id in common where both decoded them. The best copy (audio tier, then SNR) is
    kept; the others link to it (``kept_call_uid``) and are not transcribed, so not
    alerted on. A copy kept by an earlier run stays kept: it has been transcribed since.
    Copies either side of UTC midnight are matched across the two partitions."""
    day = dt.date.fromisoformat(context.partition_key)
    systems = parse_systems(capture_systems.systems)
    summary = decide_partition(
        lake.location, day, systems, capture_systems.window_s, dt.datetime.now(dt.UTC)
    )
    return dg.MaterializeResult(
        metadata={
            "calls": summary.calls,
            "duplicates": summary.duplicates,
            "transmissions_with_copies": summary.transmissions_with_copies,
            "duplicates_by_system": dg.MetadataValue.json(dict(sorted(summary.by_system.items()))),
            "systems_configured": len(set(systems.values())),
            "window_s": capture_systems.window_s,
        }
    )


defs = dg.Definitions(assets=[call_duplicates])
