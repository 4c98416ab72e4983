"""The resident run worker: executes live micro-batch runs in one long-lived process.

``ResidentRunLauncher`` hands it each live run's id over a Unix socket. The worker has
imported the code location and loaded the ASR and spaCy models once, at start, so a run
costs its own work and not a Python start-up plus a model load. It executes runs one at a
time, in arrival order, exactly as Dagster's run process does (``core_execute_run``): the
run, its events, materializations and checks land in the instance like any other run, and
a cancel from the UI interrupts it. A run it accepted but never finished (the worker
died) is marked failed when a worker starts again, so the sensor that requested it
requests its calls again.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import socketserver
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dagster as dg
from dagster._core.events import EngineEventData
from dagster._core.execution.run_cancellation_thread import start_run_cancellation_thread
from dagster._core.origin import JobPythonOrigin
from dagster._core.storage.dagster_run import DagsterRunStatus
from dagster._grpc.impl import core_execute_run
from dagster._utils.hosted_user_process import recon_job_from_origin
from dagster._utils.interrupts import capture_interrupts, setup_interrupt_handlers

from orchestration.launcher import WORKER_TAG, default_socket
from orchestration.warm import warm_up

Say = Callable[[str], None]


class _Inbox(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True

    def __init__(self, path: Path, runs: queue.Queue[str], status: dict[str, Any]) -> None:
        self.runs, self.status = runs, status
        super().__init__(str(path), _Handler)


class _Handler(socketserver.StreamRequestHandler):
    server: _Inbox

    def handle(self) -> None:
        try:
            message = json.loads(self.rfile.readline() or b"{}")
        except ValueError:
            message = {}
        op = message.get("op")
        if op == "launch" and isinstance(message.get("run_id"), str):
            self.server.runs.put(message["run_id"])
            answer: dict[str, Any] = {"ok": True, "pid": os.getpid()}
        elif op == "status":
            answer = {"ok": True, "pid": os.getpid(), "queued": self.server.runs.qsize(), **self.server.status}
        else:
            answer = {"ok": False, "error": f"unknown request {message!r:.200}"}
        self.wfile.write(json.dumps(answer).encode() + b"\n")


def recover(instance: dg.DagsterInstance, say: Say) -> int:
    """Fail the runs a previous worker accepted and never finished, so their sensors
    request those calls again. Returns how many it failed."""
    stale = instance.get_runs(
        filters=dg.RunsFilter(
            statuses=[DagsterRunStatus.STARTING, DagsterRunStatus.STARTED, DagsterRunStatus.CANCELING]
        )
    )
    failed = 0
    for run in stale:
        pid = run.tags.get(WORKER_TAG)
        if pid is None or pid == str(os.getpid()) or _alive(int(pid)):
            continue
        instance.report_run_failed(run, f"The resident worker (pid {pid}) stopped before the run finished.")
        failed += 1
    if failed:
        say(f"marked {failed} unfinished run(s) of a stopped worker as failed")
    return failed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def execute(instance: dg.DagsterInstance, run_id: str, say: Say) -> DagsterRunStatus | None:
    """Execute one launched run here, as Dagster's run process would."""
    run = instance.get_run_by_id(run_id)
    if run is None:
        say(f"run {run_id} not found")
        return None
    if run.status != DagsterRunStatus.STARTING:
        # Canceled before it started, or already picked up: nothing to do.
        say(f"run {run_id} is {run.status.value}; skipped")
        return run.status
    origin = run.job_code_origin
    if not isinstance(origin, JobPythonOrigin):
        instance.report_run_failed(run, "The run has no code origin to execute.")
        return DagsterRunStatus.FAILURE
    instance.report_engine_event(
        f"Started in the resident worker (pid: {os.getpid()}).", run, EngineEventData.in_process(os.getpid())
    )
    canceller, stop = start_run_cancellation_thread(instance, run_id)
    try:
        with capture_interrupts():
            for _ in core_execute_run(recon_job_from_origin(origin), run, instance, inject_env_vars=False):
                pass
    except Exception as exc:  # core_execute_run has recorded the failure in the run; keep serving
        say(f"run {run_id} raised {type(exc).__name__}: {exc}")
    finally:
        stop.set()
        canceller.join()
    done = instance.get_run_by_id(run_id)
    return None if done is None else done.status


@contextmanager
def listening(path: Path, runs: queue.Queue[str], status: dict[str, Any]) -> Iterator[_Inbox]:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()  # a stale socket from a worker that did not exit cleanly
    inbox = _Inbox(path, runs, status)
    os.chmod(path, 0o600)  # only this user's daemon may hand it runs
    thread = threading.Thread(target=inbox.serve_forever, name="scanlake-worker-inbox", daemon=True)
    thread.start()
    try:
        yield inbox
    finally:
        inbox.shutdown()
        inbox.server_close()
        path.unlink(missing_ok=True)


def serve(
    instance: dg.DagsterInstance,
    socket_path: Path | None = None,
    say: Say = print,
    warm: bool = True,
) -> int:
    """Accept and execute live runs until interrupted. Returns the number of runs executed."""
    path = socket_path or default_socket()
    setup_interrupt_handlers()  # SIGTERM stops the worker the way SIGINT does
    if warm:
        warm_up(say)
    recover(instance, say)
    runs: queue.Queue[str] = queue.Queue()
    status: dict[str, Any] = {"running": None, "executed": 0}
    with listening(path, runs, status):
        say(f"listening on {path}")
        while True:
            try:
                run_id = runs.get()
            except KeyboardInterrupt:
                # Stopping: a second signal (SIGTERM to the group, then SIGINT from
                # ``scanlake live``) must not cut the socket's clean-up short.
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
                break
            status["running"] = run_id
            t0 = time.perf_counter()
            outcome = execute(instance, run_id, say)
            status["running"], status["executed"] = None, status["executed"] + 1
            say(f"run {run_id}: {outcome.value if outcome else 'missing'} in {time.perf_counter() - t0:.2f} s")
    return int(status["executed"])
