"""The one-command demo: simulated traffic through the whole pipeline, and where to look."""

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from orchestration.cli.common import EXAMPLE_QUERY, _progress, _resources, _run, app, console

if TYPE_CHECKING:
    from orchestration.demo import DemoPaths

@app.command()
def demo(
    calls: Annotated[int, typer.Option(help="How many calls to simulate.")] = 60,
    seed: Annotated[int, typer.Option(help="Simulator seed.")] = 7,
    workdir: Annotated[
        Path, typer.Option(help="Where the demo keeps its lake and captures.")
    ] = Path(".scanlake"),
) -> None:
    """Simulate a county's traffic ending now, run the whole pipeline on a local lake,
    deliver its alerts to a local inbox, and say where to look."""
    from orchestration import demo as demo_setup
    from resources.simulator.simulate import simulate as run_simulation

    paths = demo_setup.DemoPaths.under(workdir)
    demo_setup.write_alerts_config(paths)
    os.environ.update(demo_setup.demo_environment(paths))
    with _progress() as progress:
        task = progress.add_task("synthesizing calls", total=calls)
        sim = run_simulation(
            calls,
            seed,
            paths.sim,
            end=demo_setup.traffic_end(),
            rich_incidents=True,
            progress=lambda n: progress.update(task, completed=n),
        )
    # The simulated county's reference data feeds the local geocoder.
    for var, value in (
        ("SCANLAKE_GAZETTEER_CSV", sim.gazetteer_csv),
        ("SCANLAKE_COUNTY_GEOJSON", sim.county_geojson),
        ("SCANLAKE_JURISDICTIONS_GEOJSON", sim.county_geojson),
        ("SCANLAKE_JURISDICTION_FIELD", "NAMELSAD"),
        ("SCANLAKE_REGION", "AL"),
    ):
        os.environ.setdefault(var, str(value))
    with demo_setup.local_inbox(paths.inbox) as inbox_url:
        os.environ[demo_setup.INBOX_CHANNEL_ENV] = inbox_url
        try:
            _run(_resources([Path(sim.capture_dir)]))
        finally:
            # The inbox is gone with the demo: later runs keep the alerts pending, shown.
            os.environ.pop(demo_setup.INBOX_CHANNEL_ENV, None)
    _print_demo_summary(paths, sim.capture_dir)


def _print_demo_summary(paths: "DemoPaths", capture_dir: Path) -> None:
    from lake import LakeLocation
    from lake import duckdb as lake_duckdb
    from orchestration import demo as demo_setup

    con = lake_duckdb.connect(LakeLocation.from_env())
    summary = Table("table", "rows", title="The demo lake")
    for name in (
        "raw_calls",
        "raw_quarantine",
        "normalized_audio",
        "audio_quarantine",
        "transcripts",
        "entities",
        "locations",
        "alerts",
        "alert_deliveries",
    ):
        summary.add_row(name, str(con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]))  # noqa: S608 - fixed names
    newest = con.execute("SELECT max(start_time) FROM raw_calls").fetchone()[0]
    console.print(summary)
    delivered = len(demo_setup.inbox_alerts(paths.inbox))
    console.print(
        f"Newest call: {newest:%Y-%m-%d %H:%M} UTC. "
        f"Alerts delivered to the demo inbox: {delivered} ({paths.inbox})."
        if newest
        else "No call was ingested."
    )
    env = " ".join(
        f"{k}={os.environ[k]}" for k in ("SCANLAKE_LAKE_URI", "DAGSTER_HOME", "SCANLAKE_ALERTS_CONFIG", "SCANLAKE_COUNTY_GEOJSON")
    )
    console.print(
        "\n[bold]Where to look[/bold]\n"
        f"  Dagster UI (lineage, partitions, backfills):  {env} SCANLAKE_TRUNK_RECORDER_DIRS={capture_dir} "
        "uv run scanlake live\n"
        f"  Streamlit app (live, map, search, alerts, call detail, analytics, health):  {env} uv run scanlake dashboard\n"
        f"  Query the lake:  {env} uv run scanlake query {EXAMPLE_QUERY!r}\n"
    )
