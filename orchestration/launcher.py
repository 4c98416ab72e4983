"""A run launcher that hands live micro-batches to a resident run worker.

Dagster's default launcher starts a fresh process for every run, which then imports the
code location (torch, whisperx, spaCy) and loads the ASR model: tens of seconds before a
few seconds of audio are transcribed. Live runs (tag ``scanlake/lane=live``) go instead to
``scanlake worker``, a long-lived process that already holds the code location and the
models (:mod:`orchestration.worker`). Every other run, and any live run while no worker is
listening, goes to Dagster's own ``DefaultRunLauncher``, so nothing waits on a worker that
is not there.

Configured in ``dagster.yaml``::

    run_launcher:
      module: orchestration.launcher
      class: ResidentRunLauncher
      config:
        socket: /path/to/worker.sock   # default: $DAGSTER_HOME/scanlake-worker.sock
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Self

from dagster import Field, StringSource
from dagster import _check as check
from dagster._core.events import EngineEventData
from dagster._core.launcher import DefaultRunLauncher, LaunchRunContext, RunLauncher
from dagster._serdes import ConfigurableClass, ConfigurableClassData

from assets.lanes import LANE_TAG, LIVE_LANE

WORKER_TAG = "scanlake/worker"
SOCKET_NAME = "scanlake-worker.sock"
_CONNECT_TIMEOUT_S = 2.0


def default_socket() -> Path:
    return Path(os.environ.get("DAGSTER_HOME", ".")) / SOCKET_NAME


def request(socket_path: Path, message: Mapping[str, Any], timeout_s: float = _CONNECT_TIMEOUT_S) -> dict[str, Any]:
    """One JSON line to the worker and its one-line answer. Raises ``OSError`` when no
    worker listens on ``socket_path``."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(timeout_s)
        conn.connect(str(socket_path))
        conn.sendall(json.dumps(message).encode() + b"\n")
        with conn.makefile("rb") as reply:
            line = reply.readline()
    if not line:
        raise ConnectionError(f"the worker at {socket_path} closed the connection without answering")
    return json.loads(line)


class ResidentRunLauncher(RunLauncher, ConfigurableClass):
    """Live runs to the resident worker; the rest (and live runs with no worker) to
    Dagster's ``DefaultRunLauncher``."""

    def __init__(self, socket: str | None = None, inst_data: ConfigurableClassData | None = None) -> None:
        self._inst_data = inst_data
        self._socket = Path(socket) if socket else None
        self._fallback = DefaultRunLauncher()
        super().__init__()

    @property
    def socket_path(self) -> Path:
        return self._socket or default_socket()

    @property
    def inst_data(self) -> ConfigurableClassData | None:
        return self._inst_data

    @classmethod
    def config_type(cls) -> dict[str, Field]:
        return {"socket": Field(StringSource, is_required=False)}

    @classmethod
    def from_config_value(cls, inst_data: ConfigurableClassData, config_value: Mapping[str, Any]) -> Self:
        return cls(socket=config_value.get("socket"), inst_data=inst_data)

    def register_instance(self, instance: Any) -> None:
        super().register_instance(instance)
        self._fallback.register_instance(instance)

    def launch_run(self, context: LaunchRunContext) -> None:
        run = context.dagster_run
        if run.tags.get(LANE_TAG) == LIVE_LANE:
            try:
                answer = request(self.socket_path, {"op": "launch", "run_id": run.run_id})
            except OSError as exc:
                self._instance.report_engine_event(
                    f"No resident worker at {self.socket_path} ({exc}); starting a run process.",
                    run,
                    cls=self.__class__,
                )
            else:
                if answer.get("ok"):
                    self._instance.add_run_tags(run.run_id, {WORKER_TAG: str(answer.get("pid"))})
                    self._instance.report_engine_event(
                        f"Handed to the resident worker (pid {answer.get('pid')}).",
                        run,
                        EngineEventData({"socket": str(self.socket_path)}),
                        cls=self.__class__,
                    )
                    return
                self._instance.report_engine_event(
                    f"The resident worker refused the run ({answer.get('error')}); starting a run process.",
                    run,
                    cls=self.__class__,
                )
        self._fallback.launch_run(context)

    def terminate(self, run_id: str) -> bool:
        run = check.not_none(self._instance.get_run_by_id(run_id))
        if WORKER_TAG not in run.tags:
            return self._fallback.terminate(run_id)
        if run.is_finished:
            return False
        # The worker watches for CANCELING and interrupts the run it is executing, the way
        # Dagster's own run cancellation thread does in a run process.
        self._instance.report_run_canceling(run)
        return True

    def dispose(self) -> None:
        self._fallback.dispose()

    def join(self, timeout: int = 30) -> None:
        self._fallback.join(timeout)

