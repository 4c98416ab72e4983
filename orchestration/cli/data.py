"""Data commands: simulate traffic, ingest an archive, run the pipeline, query the lake."""

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from orchestration.cli.common import _progress, _resources, _run, app, console, ingest_app


@app.command()
def simulate(
    calls: Annotated[int, typer.Option(help="How many calls to generate.")] = 100,
    seed: Annotated[
        int, typer.Option(help="Random seed: the same seed gives the same traffic.")
    ] = 7,
    out: Annotated[Path, typer.Option(help="Output folder.")] = Path(".scanlake/sim"),
    town: Annotated[
        str,
        typer.Option(
            help="Simulated county: autauga (Autauga County, AL), wexmoor (generated "
            "streets) or generated-SEED (a county built from SEED)."
        ),
    ] = "autauga",
    rich_incidents: Annotated[
        bool,
        typer.Option(help="Add major multi-agency incidents; units work one incident at a time."),
    ] = False,
) -> None:
    """Generate a county's radio traffic as trunk-recorder call folders, with ground truth."""
    from resources.simulator.simulate import simulate as run_simulation

    with _progress() as progress:
        task = progress.add_task("synthesizing calls", total=calls)
        result = run_simulation(
            calls,
            seed,
            out,
            progress=lambda n: progress.update(task, completed=n),
            town=town,
            rich_incidents=rich_incidents,
        )
    console.print(f"capture folder: {result.capture_dir}\nground truth: {result.ground_truth}")
    console.print(f"gazetteer: {result.gazetteer_csv}")


@ingest_app.command("trunk-recorder")
def ingest_trunk_recorder(
    capture_dir: Annotated[
        Path, typer.Argument(help="trunk-recorder capture folder (SHORTNAME/YYYY/M/D/).")
    ],
    since: Annotated[str | None, typer.Option(help="First day to import, YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Last day to import, YYYY-MM-DD.")] = None,
) -> None:
    """Import a trunk-recorder archive: one partitioned run of raw_calls per call date."""
    from orchestration import runner
    from resources.trunk_recorder.resource import TrunkRecorderSource

    if not capture_dir.is_dir():
        raise typer.BadParameter(f"{capture_dir} is not a folder")
    resources = _resources([capture_dir])
    source: TrunkRecorderSource = resources["trunk_recorder"]
    days = sorted(source.scan_dates())
    first = dt.date.fromisoformat(since) if since else None
    last = dt.date.fromisoformat(until) if until else None
    days = [d for d in days if (not first or d >= first) and (not last or d <= last)]
    instance = runner.dagster_instance()
    with _progress() as progress:
        task = progress.add_task("ingesting days", total=len(days))
        results = runner.ingest_days(
            days, resources, instance, on_day=lambda day, _: progress.advance(task)
        )
    if not all(r.success for r in results):
        raise typer.Exit(1)
    console.print(f"ingested {len(days)} day(s) from {capture_dir}")


@app.command()
def run() -> None:
    """Materialize everything pending, end to end, in process."""
    _run(_resources())


@app.command()
def query(
    sql: Annotated[
        str, typer.Argument(help="DuckDB SQL over the lake's tables (one view per table).")
    ],
) -> None:
    """Run one read-only query over the lake, in a sandbox that reads the lake's tables and
    nothing else (on S3 with SCANLAKE_QUERY_AWS_* read-only keys when set), and print it."""
    import duckdb

    from lake.queries.adhoc import NotReadOnly, open_sandbox, run_sql
    from lake.sandbox import MissingQuerySecret

    try:
        frame = run_sql(open_sandbox(), sql)
    except (NotReadOnly, MissingQuerySecret, duckdb.Error) as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    table = Table(*[str(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        table.add_row(*("" if v is None or v != v else str(v) for v in row))
    console.print(table)
