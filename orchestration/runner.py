"""Running the pipeline in process, for the CLI, the demo and tests: the same assets,
resources and Dagster instance as ``dagster dev``, so every run shows in the UI."""

import datetime as dt
import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import dagster as dg

from assets.raw.validate import split_days
from lake import delta
from lake.tables import RAW_CALLS
from orchestration.definitions import defs
from resources.calls import CallDelivery
from resources.lake import LakeResource
from resources.landing import LandingZone
from resources.trunk_recorder.resource import TrunkRecorderSource

INSTANCE_DIR = Path(__file__).parent / "instance"
DEFAULT_DAGSTER_HOME = Path(".scanlake/dagster_home")


class MissingSetting(RuntimeError):
    """A setting the chosen configuration needs is not in the environment."""


def dagster_instance(postgres: bool = False) -> dg.DagsterInstance:
    """The instance at DAGSTER_HOME (default ``.scanlake/dagster_home``), given scanlake's
    dagster.yaml on first use: SQLite, or PostgreSQL from DAGSTER_PG_URL."""
    if postgres and not os.environ.get("DAGSTER_PG_URL"):
        raise MissingSetting(
            "DAGSTER_PG_URL is not set: give it as postgresql+psycopg2://USER:PASSWORD@HOST:5432/DB"
        )
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(DEFAULT_DAGSTER_HOME.resolve())))
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if postgres or not config.exists():
        shutil.copy(
            INSTANCE_DIR / ("dagster-postgres.yaml" if postgres else "dagster.yaml"), config
        )
    return dg.DagsterInstance.get()


def _selectable() -> list[Any]:
    return [*defs.assets, *defs.asset_checks]  # type: ignore[list-item]


def materialize_day(
    day: dt.date,
    resources: dict[str, Any],
    instance: dg.DagsterInstance,
    selection: dg.AssetSelection,
    run_config: dict[str, Any] | None = None,
) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        _selectable(),
        selection=selection,
        partition_key=day.isoformat(),
        resources=resources,
        instance=instance,
        # The CLI shows progress bars; step-by-step DEBUG events belong in the UI.
        run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}, **(run_config or {})},
        tags={"scanlake/lane": "cli"},
    )


def source_days(resources: dict[str, Any]) -> set[dt.date]:
    """Days that the configured sources hold calls for (capture folders, landing zone)."""
    lake: LakeResource = resources["lake"].process_config_and_initialize()  # resolves EnvVars
    source: TrunkRecorderSource = resources["trunk_recorder"].process_config_and_initialize()
    days = set(source.scan_dates())
    landing = LandingZone(lake.objects)
    days |= {d.meta.call_date for d in landing.read(landing.pending()) if isinstance(d, CallDelivery)}
    return days


def lake_days(lake: LakeResource) -> set[dt.date]:
    rows = delta.read(lake.process_config_and_initialize().location, RAW_CALLS, columns=["call_date"])
    return set(rows["call_date"].to_pylist())


# The raw step's two tables: deliveries kept, and deliveries quarantined.
RAW = dg.AssetSelection.assets("raw_calls", "raw_quarantine")
# Unpartitioned reference data that later layers read (the local geocoder's gazetteer).
REFERENCE = dg.AssetSelection.assets("gazetteer")
DOWNSTREAM = dg.AssetSelection.assets("raw_calls").downstream() - RAW


def ingest_days(
    days: Iterable[dt.date],
    resources: dict[str, Any],
    instance: dg.DagsterInstance,
    on_day: Callable[[dt.date, str], None] | None = None,
) -> list[dg.ExecuteInProcessResult]:
    """One raw_calls run per day that has a partition. Days that have none (a broken
    recorder clock, an archive older than the first call date) are never requested: the
    last run quarantines their calls as date_out_of_range (today's run, if it is alone)."""
    inside, outside = split_days(days, dt.datetime.now(dt.UTC))
    if outside and not inside:
        inside = [dt.datetime.now(dt.UTC).date()]
    results = []
    for day in inside:
        if on_day:
            on_day(day, "ingest")
        config = None
        if outside and day == inside[-1]:
            extra = {"out_of_range_days": [d.isoformat() for d in outside]}
            config = {"ops": {"raw_calls": {"config": extra}}}
        results.append(materialize_day(day, resources, instance, RAW, config))
    return results


def run_all(
    resources: dict[str, Any],
    instance: dg.DagsterInstance,
    days: Iterable[dt.date] | None = None,
    on_day: Callable[[dt.date, str], None] | None = None,
) -> list[dg.ExecuteInProcessResult]:
    """Ingest every day the sources hold, then bring every later layer up to date for
    every day in the lake. Each layer is incremental, so days with nothing new are cheap."""
    results = ingest_days(days if days is not None else source_days(resources), resources, instance, on_day)
    graph = defs.resolve_asset_graph()
    if REFERENCE.resolve(graph):
        results.append(
            dg.materialize(
                _selectable(),
                selection=REFERENCE,
                resources=resources,
                instance=instance,
                run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
                tags={"scanlake/lane": "cli"},
            )
        )
    if DOWNSTREAM.resolve(graph):
        for day in sorted(lake_days(resources["lake"])):
            if on_day:
                on_day(day, "process")
            results.append(materialize_day(day, resources, instance, DOWNSTREAM))
    return results
