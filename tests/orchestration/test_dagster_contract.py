"""The private Dagster behaviour the resident run worker (orchestration/worker.py) and its
launcher (orchestration/launcher.py) rely on, pinned. Dagster may move or change anything
under ``dagster._*`` in any release; these tests fail loudly, naming the piece, when an
upgrade does, instead of live runs failing in production. Each behaviour is exercised,
not only imported. (Decided in bench/README.md, "resident worker or Celery".)"""

from __future__ import annotations

import importlib
import inspect
import os
import signal
import threading
import time

import dagster as dg
import pytest

from orchestration import launcher, worker
from tests.orchestration.resident_probe import probe

PRIVATE = [
    ("dagster._core.events", "EngineEventData"),
    ("dagster._core.execution.run_cancellation_thread", "start_run_cancellation_thread"),
    ("dagster._core.origin", "JobPythonOrigin"),
    ("dagster._core.storage.dagster_run", "DagsterRunStatus"),
    ("dagster._grpc.impl", "core_execute_run"),
    ("dagster._utils.hosted_user_process", "recon_job_from_origin"),
    ("dagster._utils.interrupts", "capture_interrupts"),
    ("dagster._utils.interrupts", "setup_interrupt_handlers"),
    ("dagster._core.launcher", "DefaultRunLauncher"),
    ("dagster._core.launcher", "LaunchRunContext"),
    ("dagster._core.launcher", "RunLauncher"),
    ("dagster._serdes", "ConfigurableClass"),
    ("dagster._serdes", "ConfigurableClassData"),
    ("dagster._core.storage.tags", "PARTITION_NAME_TAG"),
]


def _params(fn: object) -> list[str]:
    return list(inspect.signature(fn).parameters)  # type: ignore[arg-type]


@pytest.mark.parametrize(("module", "name"), PRIVATE, ids=[f"{m}.{n}" for m, n in PRIVATE])
def test_private_import_paths_still_exist(module: str, name: str):
    assert hasattr(importlib.import_module(module), name), f"{module}.{name} moved: fix orchestration/worker.py or launcher.py"


def test_every_private_import_of_the_worker_is_pinned():
    """A new private import in the worker or launcher must be added to PRIVATE above."""
    pinned = {m for m, _ in PRIVATE} | {"dagster._check"}
    for module in (worker, launcher):
        source = inspect.getsource(module)
        used = {line.split()[1] for line in source.splitlines() if line.startswith("from dagster._")}
        used |= {"dagster._check" for line in source.splitlines() if "import _check" in line}
        assert used <= pinned, used - pinned


def test_signatures_the_worker_calls():
    from dagster._core.events import EngineEventData
    from dagster._core.execution.run_cancellation_thread import start_run_cancellation_thread
    from dagster._grpc.impl import core_execute_run
    from dagster._utils.hosted_user_process import recon_job_from_origin

    assert _params(core_execute_run)[:4] == ["recon_job", "dagster_run", "instance", "inject_env_vars"]
    assert _params(start_run_cancellation_thread)[:2] == ["instance", "run_id"]
    assert _params(recon_job_from_origin) == ["origin"]
    assert _params(EngineEventData.in_process)[0] == "pid"


def test_launcher_base_classes_ask_for_what_resident_launcher_provides():
    from dagster._core.launcher import DefaultRunLauncher, LaunchRunContext, RunLauncher
    from dagster._serdes import ConfigurableClass, ConfigurableClassData

    assert RunLauncher.__abstractmethods__ == {"launch_run", "terminate"}
    assert ConfigurableClass.__abstractmethods__ == {"inst_data", "from_config_value", "config_type"}
    assert _params(LaunchRunContext)[0] == "dagster_run"
    assert {"register_instance", "dispose", "join"} <= set(dir(DefaultRunLauncher))
    assert ConfigurableClassData("orchestration.launcher", "ResidentRunLauncher", "{}").class_name == "ResidentRunLauncher"


def test_partition_tag_is_the_one_dagster_reads():
    from dagster._core.storage.tags import PARTITION_NAME_TAG

    assert PARTITION_NAME_TAG == "dagster/partition"


def test_setup_interrupt_handlers_turns_sigterm_into_keyboard_interrupt():
    from dagster._utils.interrupts import setup_interrupt_handlers

    before = signal.getsignal(signal.SIGTERM)
    try:
        setup_interrupt_handlers()
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)
    finally:
        signal.signal(signal.SIGTERM, before)


def test_capture_interrupts_records_ctrl_c_for_the_executor_instead_of_raising():
    """The worker executes a run inside ``capture_interrupts``: a SIGINT/SIGTERM then does
    not tear the run apart mid-write; Dagster's executor sees it and stops the run cleanly."""
    from dagster._utils.interrupts import capture_interrupts, check_captured_interrupt

    before = signal.getsignal(signal.SIGINT)
    with capture_interrupts():
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.2)
        assert check_captured_interrupt()
    assert signal.getsignal(signal.SIGINT) is before
    assert not check_captured_interrupt()


def test_core_execute_run_executes_a_starting_run_from_its_origin(tmp_path):
    """What worker.execute does: a run created for a reconstructable job, marked STARTING
    by a launcher, executed from its code origin, ends SUCCESS in the instance; the
    cancellation thread stops when told."""
    from dagster._core.execution.run_cancellation_thread import start_run_cancellation_thread
    from dagster._core.origin import JobPythonOrigin
    from dagster._core.storage.dagster_run import DagsterRunStatus
    from dagster._grpc.impl import core_execute_run
    from dagster._utils.hosted_user_process import recon_job_from_origin

    out = tmp_path / "pids"
    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        recon = dg.reconstructable(probe)
        run = instance.create_run_for_job(
            recon.get_definition(),
            run_config={"ops": {"note_pid": {"config": {"out": str(out), "hold_s": 0.0}}}},
            job_code_origin=recon.get_python_origin(),
        )
        # What DagsterInstance.launch_run records before it calls the launcher.
        instance.report_dagster_event(
            dg.DagsterEvent(event_type_value=dg.DagsterEventType.RUN_STARTING.value, job_name=run.job_name),
            run_id=run.run_id,
        )
        starting = instance.get_run_by_id(run.run_id)
        assert starting is not None and starting.status == DagsterRunStatus.STARTING
        assert isinstance(starting.job_code_origin, JobPythonOrigin)
        canceller, stop = start_run_cancellation_thread(instance, run.run_id)
        assert isinstance(canceller, threading.Thread) and isinstance(stop, threading.Event)
        try:
            events = list(core_execute_run(recon_job_from_origin(starting.job_code_origin), starting, instance, inject_env_vars=False))
        finally:
            stop.set()
            canceller.join(timeout=30)
        assert not canceller.is_alive()
        assert any(e.event_type == dg.DagsterEventType.RUN_SUCCESS for e in events)
        done = instance.get_run_by_id(run.run_id)
        assert done is not None and done.status == DagsterRunStatus.SUCCESS
        assert out.read_text().split() == [str(os.getpid())]
