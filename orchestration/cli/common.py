"""What every ``scanlake`` command shares: the Typer apps, the console, progress bars, and
the resources and in-process runs of the pipeline commands."""

import datetime as dt
import warnings
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

# No locals in tracebacks: rendering a Dagster run's frames took minutes and gigabytes.
app = typer.Typer(
    help="scanlake: a lakehouse for radio-scanner traffic.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
ingest_app = typer.Typer(help="Import call archives (a backfill).", no_args_is_help=True)
app.add_typer(ingest_app, name="ingest")
console = Console()
# Partitioned asset checks are a Dagster preview feature; say so once in the docs, not per run.
warnings.filterwarnings("ignore", message=".*partitions_def on an AssetCheckSpec.*")
EXAMPLE_QUERY = "SELECT talkgroup_tag, count(*) AS calls FROM raw_calls GROUP BY 1 ORDER BY 2 DESC"


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


def _resources(capture_dirs: list[Path] | None = None) -> dict[str, Any]:
    from orchestration.resources import build_resources
    from resources.trunk_recorder.resource import TrunkRecorderSource

    resources = build_resources()
    if capture_dirs is not None:
        # An archive named on the command line is complete: no file is still being written,
        # so nothing waits out the live watcher's settle time.
        resources["trunk_recorder"] = TrunkRecorderSource(
            capture_dirs=[str(p.resolve()) for p in capture_dirs], settle_s=0.0
        )
    return resources


def _run(resources: dict[str, Any], days: list[dt.date] | None = None) -> None:
    from orchestration import runner

    instance = runner.dagster_instance()
    with _progress() as progress:
        task = progress.add_task("pipeline", total=None)

        def on_day(day: dt.date, stage: str) -> None:
            progress.update(task, description=f"{stage} {day.isoformat()}", advance=1)

        results = runner.run_all(resources, instance, days=days, on_day=on_day)
        progress.update(task, total=len(results), completed=len(results))
    failed = [r for r in results if not r.success]
    if failed:
        console.print(f"[red]{len(failed)} run(s) failed; see the Dagster UI for the logs.[/red]")
        raise typer.Exit(1)
