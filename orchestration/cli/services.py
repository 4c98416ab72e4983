"""Service commands: the dashboard, the Dagster instance, the resident and Celery workers,
``scanlake live`` and the upload endpoint."""

import os
from pathlib import Path
from typing import Annotated

import typer

from orchestration.cli.common import app, console


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
    workspace = Path(__file__).resolve().parents[2] / "workspace.yaml"
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
