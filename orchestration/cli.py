"""The ``scanlake`` command line: simulate traffic, ingest archives, run the pipeline,
query the lake, and the one-command demo."""

import datetime as dt
import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from orchestration import training_cli

if TYPE_CHECKING:
    from orchestration.demo import DemoPaths

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


@app.command()
def dashboard(
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8501,
    address: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
) -> None:
    """Start the Streamlit analytics and map app over the lake at SCANLAKE_LAKE_URI."""
    from dashboards.launch import run as run_dashboard

    raise typer.Exit(run_dashboard(port=port, address=address))


@app.command()
def instance(
    postgres: Annotated[bool, typer.Option(help="PostgreSQL storage from DAGSTER_PG_URL.")] = False,
) -> None:
    """Write scanlake's dagster.yaml into DAGSTER_HOME (SQLite by default)."""
    from orchestration import runner

    try:
        instance = runner.dagster_instance(postgres=postgres)
    except runner.MissingSetting as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    storage = type(instance.run_storage).__name__
    console.print(f"Dagster instance at {os.environ['DAGSTER_HOME']} ({storage})")


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


@app.command()
def worker(
    socket: Annotated[
        Path | None,
        typer.Option(
            help="Unix socket to listen on (default: $DAGSTER_HOME/scanlake-worker.sock)."
        ),
    ] = None,
    warm: Annotated[
        bool, typer.Option(help="Load the ASR and spaCy models before the first run.")
    ] = True,
) -> None:
    """Run the resident worker that executes live micro-batches with the models kept loaded."""
    from orchestration import runner
    from orchestration import worker as resident

    resident.serve(runner.dagster_instance(), socket, say=console.print, warm=warm)


@app.command("celery-worker")
def celery_worker(
    queue: Annotated[list[str], typer.Option(help="Queue to take steps from: asr or default (repeatable).")],
    name: Annotated[str | None, typer.Option(help="Worker name (default: the queues, at this host).")] = None,
    warm: Annotated[bool, typer.Option(help="Load the models the queues need before the first step.")] = True,
    loglevel: Annotated[str, typer.Option(help="Celery log level.")] = "INFO",
) -> None:
    """Run a Celery worker for the Celery executor's steps, one step at a time, with the
    models its queues need loaded once (broker from SCANLAKE_CELERY_BROKER_URL). For more
    steps at once, start more workers."""
    import sys

    from orchestration.distributed import WARM_ENV

    # The same worker ``dagster-celery worker start -A orchestration.celery_worker -q QUEUE
    # -- --pool solo`` starts, executed in place of this process so a signal reaches Celery
    # itself. Pool solo: prefork forks (delta-rs panics in forked children) and Dagster
    # steps in threads of one process deadlock on the logging lock (seen here).
    os.environ[WARM_ENV] = "1" if warm else "0"
    args = [
        str(Path(sys.executable).parent / "celery"),
        "-A",
        "orchestration.celery_worker",
        "worker",
        "--pool",
        "solo",
        "--prefetch-multiplier=1",
        "--loglevel",
        loglevel,
        "-n",
        f"{name or '-'.join(queue)}@%h",
        *[arg for q in queue for arg in ("-Q", q)],
    ]
    os.execv(args[0], args)


@app.command()
def live(
    port: Annotated[int, typer.Option(help="Dagster UI port.")] = 3000,
) -> None:
    """Run scanlake live: the resident worker plus ``dagster dev`` (UI, daemon, sensors) on
    the instance at DAGSTER_HOME. Ctrl-C or SIGTERM stops both and everything they started."""
    import sys

    from orchestration import runner
    from orchestration.processes import supervise

    runner.dagster_instance()  # writes scanlake's dagster.yaml on first use
    bin_dir = Path(sys.executable).parent
    workspace = Path(__file__).resolve().parents[1] / "workspace.yaml"
    code = supervise(
        [
            [str(bin_dir / "scanlake"), "worker"],
            [str(bin_dir / "dagster"), "dev", "-w", str(workspace), "-p", str(port)],
        ]
    )
    raise typer.Exit(code)


@app.command("serve-upload")
def serve_upload() -> None:
    """Start the rdio-scanner-compatible call-upload endpoint (settings from SCANLAKE_UPLOAD_*)."""
    from resources.upload import PlaintextRefused, UploadSettings, serve

    try:
        serve(UploadSettings.from_env())
    except PlaintextRefused as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc


@app.command("upload-key")
def upload_key(
    key: Annotated[
        str | None, typer.Argument(help="An existing key to hash; a new one is made if omitted.")
    ] = None,
    systems: Annotated[
        str, typer.Option(help="Comma-separated systems the key may upload for; * for all.")
    ] = "*",
) -> None:
    """Make an upload API key and the SCANLAKE_UPLOAD_KEYS entry (its hash) for the server."""
    from resources.upload.keys import key_entry, new_key

    key = key or new_key()
    allowed = (
        None if systems.strip() == "*" else [s.strip() for s in systems.split(",") if s.strip()]
    )
    console.print(f"key (give to the recorder): {key}")
    console.print(f"SCANLAKE_UPLOAD_KEYS entry (give to the server): {key_entry(key, allowed)}")


@app.command()
def redact(
    call_uid: Annotated[str, typer.Argument(help="The call to take out of the lake.")],
    reason: Annotated[str | None, typer.Option(help="Why (kept in the redactions audit table).")] = None,
    by: Annotated[str | None, typer.Option(help="Who asked (default: the OS user).")] = None,
) -> None:
    """Remove a call's audio and text from every table and object, VACUUM the bytes away,
    and record who, when, why and what in the redactions table."""
    import getpass

    from lake import LakeLocation
    from lake.redaction import NothingToRedact
    from lake.redaction import redact as redact_call

    try:
        done = redact_call(LakeLocation.from_env(), call_uid, f"cli:{by or getpass.getuser()}", reason)
    except NothingToRedact as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    rows = ", ".join(f"{t} {n}" for t, n in done.rows_removed.items())
    console.print(f"redacted {call_uid}: rows {rows}; {len(done.objects_removed)} object(s); "
                  f"{done.files_vacuumed} file(s) vacuumed; audit {done.redaction_id}")


app.command("export-training")(training_cli.export_training)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
