"""Running the pipeline in process, for the CLI, the demo and tests: the same assets,
resources and Dagster instance as ``dagster dev``, so every run shows in the UI."""

import datetime as dt
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dagster as dg
import sqlalchemy

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
# pg_advisory_lock key held while a process creates the instance's tables ("scanlake")
SCHEMA_LOCK_KEY = 0x7363616E6C616B65


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
    if not postgres:
        return dg.DagsterInstance.get()
    with _schema_lock(os.environ["DAGSTER_PG_URL"]):
        instance = dg.DagsterInstance.get()
        _create_storage(instance)
    return instance


@contextmanager
def _schema_lock(url: str) -> Iterator[None]:
    """Serialize the first use of a PostgreSQL instance. Every service of a deployment runs
    ``scanlake instance --postgres`` as it starts; dagster-postgres creates missing tables
    on connect, and two processes creating them at once fail on PostgreSQL's own catalog
    (a duplicate ``pg_type`` row for ``instance_info``, which it does not retry)."""
    engine = sqlalchemy.create_engine(url, poolclass=sqlalchemy.pool.NullPool)
    try:
        with engine.connect() as conn:
            conn.execute(sqlalchemy.text("SELECT pg_advisory_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
            try:
                yield
            finally:
                conn.execute(sqlalchemy.text("SELECT pg_advisory_unlock(:key)"), {"key": SCHEMA_LOCK_KEY})
    finally:
        engine.dispose()


def _create_storage(instance: dg.DagsterInstance) -> None:
    """Touch each storage so that its tables exist before the lock is let go."""
    instance.get_runs(limit=1)
    instance.fetch_run_status_changes(dg.DagsterEventType.RUN_SUCCESS, limit=1)
    instance.all_instigator_state()


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
