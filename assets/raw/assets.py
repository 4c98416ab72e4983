"""The raw layer: ``raw_calls`` and its checks and sensors, wired for Dagster.

A thin shell: sources are read through resources, rows are made by ``ingest.ingest`` and
written through ``lake.delta``.
"""

import datetime as dt
from collections.abc import Iterator

import dagster as dg
import pyarrow as pa

from assets.raw import checks, sensors
from assets.raw.ingest import ingest
from assets.raw.validate import place
from assets.results import paired_specs, report
from lake import delta
from lake.tables import RAW_CALLS, RAW_QUARANTINE, REDACTIONS
from resources.calls import CallDelivery, MalformedCall
from resources.lake import LakeResource
from resources.landing import LandingZone
from resources.trunk_recorder import handoff
from resources.trunk_recorder.resource import TrunkRecorderSource


class CaptureWindow(dg.Config):
    """Calls of one capture folder whose position (JSON mtime, ns) is in (after, upto]."""

    capture_dir: str
    after: int
    upto: int


class HandedCall(dg.Config):
    """One item of a capture window as the sensor scanned it: a call (its parsed metadata
    as JSON, audio file, position) or a problem (reason, detail). See
    ``resources.trunk_recorder.handoff``."""

    source_ref: str
    position: int = 0
    audio_ext: str = ""
    audio_path: str = ""
    call: str = ""
    reason: str = ""
    detail: str = ""


class RawCallsConfig(dg.Config):
    """What a run ingests. Empty (a backfill or a manual run): every call of the partition's
    day in the configured capture folders and the landing zone. Set by the sensors: just
    the new calls they found."""

    capture_windows: list[CaptureWindow] = []
    landing_keys: list[str] = []
    # The clock the sensor judged call dates by (ISO 8601): the run judges them the same,
    # so a call the sensor found out of range is quarantined here, not silently skipped.
    checked_at: str = ""
    # Days without a partition (before the first call date, past today plus the clock
    # skew) whose capture-folder calls this run quarantines as date_out_of_range.
    out_of_range_days: list[str] = []
    # Set by the trunk-recorder sensor: the capture windows' items it already listed and
    # parsed, for this run's day (and every problem). The run ingests these instead of
    # scanning the windows again; without ``handed`` (a large window) it scans them.
    handed: bool = False
    handed_calls: list[HandedCall] = []
    # Set by a sensor when these calls' runs failed every time: the error of the last one.
    # The run quarantines every call it was given as retries_exhausted, reading no audio.
    retries_exhausted: str = ""


# The same step sorts each delivery into one table or the other; a re-delivery is
# quarantined as a duplicate by what raw_calls already holds, hence the edge.
_SPECS = paired_specs(
    "raw", RAW_CALLS, RAW_QUARANTINE, deps=[], kinds={"deltalake", "python"},
    side_deps=[RAW_CALLS.name],
)


@dg.multi_asset(specs=_SPECS, name="raw_calls", can_subset=True)
def raw_calls(
    context: dg.AssetExecutionContext,
    config: RawCallsConfig,
    lake: LakeResource,
    trunk_recorder: TrunkRecorderSource,
) -> Iterator[dg.MaterializeResult]:
    """Radio calls as delivered by trunk-recorder capture folders, Broadcastify polls and
    HTTP uploads: one row per call, keyed by a stable call_uid (system, talkgroup, start),
    with its audio copied into the lake under ``audio/raw/system=…/date=…/``. Re-deliveries
    and re-runs never duplicate a row; broken deliveries go to ``raw_quarantine``."""
    day = dt.date.fromisoformat(context.partition_key)
    location, store = lake.location, lake.objects
    landing = LandingZone(store)
    stored = delta.read(
        location, RAW_CALLS, columns=["call_uid", "source_ref"], partitions={"call_date": [day]}
    )
    existing = dict(
        zip(stored["call_uid"].to_pylist(), stored["source_ref"].to_pylist(), strict=True)
    )

    from_sensor = bool(config.capture_windows or config.landing_keys)
    now = dt.datetime.fromisoformat(config.checked_at) if config.checked_at else dt.datetime.now(dt.UTC)
    folder_items = [place(i, now) for i in _folder_items(config, trunk_recorder, day, from_sensor)]
    folder_items = [i for i in folder_items if _on_day(i, day)]
    folder_items += [place(i, now) for i in _out_of_range_items(config, trunk_recorder)]
    landing_keys = config.landing_keys if from_sensor else _landing_keys_for(landing, day, now)
    landing_items = [i for i in map(lambda i: place(i, now), landing.read(landing_keys)) if _on_day(i, day)]
    if config.retries_exhausted:
        folder_items = [_given_up(i, config.retries_exhausted) for i in _all_window_items(config, trunk_recorder)]
        landing_items = [_given_up(i, config.retries_exhausted) for i in landing.read(landing_keys)]

    # Taken-down calls stay out, however often their recorder or uploader sends them again.
    redacted = frozenset(delta.read(location, REDACTIONS, columns=["call_uid"])["call_uid"].to_pylist())
    batches = [
        ingest(folder_items, store, source="trunk-recorder", existing=existing, redacted=redacted),
        ingest(landing_items, store, source="landing", existing=existing, redacted=redacted),
    ]
    rows = pa.concat_tables([b.rows for b in batches])
    problems = pa.concat_tables([b.quarantine for b in batches])
    written = delta.merge(location, RAW_CALLS, rows, update=False)
    delta.merge(location, RAW_QUARANTINE, problems)

    # Only now, with the rows committed, may the landing zone let go of its calls.
    acked = set(batches[1].ingested_refs)
    rejected = {
        ref for ref in problems["source_ref"].to_pylist() if ref in set(landing_keys)
    } - acked
    for key in sorted(acked):
        landing.ack(key)
    for key in sorted(rejected):
        landing.reject(key)

    reasons = dg.MetadataValue.json(_counts(problems["reason"].to_pylist()))
    yield from report(
        context,
        [
            dg.MaterializeResult(
                asset_key=RAW_CALLS.name,
                metadata={
                    "calls_inserted": written.rows_inserted,
                    "calls_seen": len(folder_items) + len(landing_items),
                    "quarantined": problems.num_rows,
                    "duplicates": sum(b.duplicates for b in batches),
                    "quarantine_reasons": reasons,
                    "table_version": written.version,
                },
            ),
            dg.MaterializeResult(
                asset_key=RAW_QUARANTINE.name,
                metadata={"quarantined": problems.num_rows, "quarantine_reasons": reasons},
            ),
        ],
    )


def _folder_items(
    config: RawCallsConfig, source: TrunkRecorderSource, day: dt.date, from_sensor: bool
) -> Iterator[CallDelivery | MalformedCall]:
    """Everything the run's capture windows (or, in a backfill, the day) hold; the caller
    keeps the day's calls and every problem."""
    if config.handed:
        yield from _handed(config)
        return
    if from_sensor:
        for window in config.capture_windows:
            found = source.scan_window(window.capture_dir, window.after, window.upto)
            yield from found.problems
            yield from found.deliveries
        return
    for found in source.scan_day(day):
        yield from found.problems
        yield from found.deliveries


def _all_window_items(
    config: RawCallsConfig, source: TrunkRecorderSource
) -> Iterator[CallDelivery | MalformedCall]:
    if config.handed:
        yield from _handed(config)
        return
    for window in config.capture_windows:
        found = source.scan_window(window.capture_dir, window.after, window.upto)
        yield from found.problems
        yield from found.deliveries


def _handed(config: RawCallsConfig) -> list[CallDelivery | MalformedCall]:
    return handoff.take(c.model_dump() for c in config.handed_calls)


def _given_up(item: CallDelivery | MalformedCall, error: str) -> MalformedCall:
    return MalformedCall(item.source_ref, "retries_exhausted", error)


def _out_of_range_items(
    config: RawCallsConfig, source: TrunkRecorderSource
) -> Iterator[CallDelivery | MalformedCall]:
    for text in config.out_of_range_days:
        for found in source.scan_day(dt.date.fromisoformat(text)):
            yield from found.problems
            yield from found.deliveries


def _landing_keys_for(landing: LandingZone, day: dt.date, now: dt.datetime) -> list[str]:
    return [i.source_ref for i in landing.read(landing.pending()) if _on_day(place(i, now), day)]


def _on_day(item: CallDelivery | MalformedCall, day: dt.date) -> bool:
    return isinstance(item, MalformedCall) or item.meta.call_date == day


def _counts(values: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return out


defs = dg.Definitions(
    assets=[raw_calls],
    asset_checks=[*checks.raw_calls_checks, *checks.raw_quarantine_checks],
    sensors=[sensors.trunk_recorder_sensor, sensors.landing_sensor, sensors.broadcastify_sensor],
)
