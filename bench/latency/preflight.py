"""What the latency benchmark needs from the pipeline, checked before anything is timed:
the chain of assets from ``raw_calls`` to ``alert_deliveries``, the trunk-recorder sensor
selecting that chain, and the resources wired to the settings the harness sets.

Anything missing is listed by name, and the benchmark reports it instead of a number.
"""

from __future__ import annotations

import importlib
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHAIN = (
    "raw_calls",
    "normalized_audio",
    "transcripts",
    "transcript_words",
    "alerts",
    "alert_deliveries",
)
SENSOR = "trunk_recorder_sensor"
DEFAULT_MODULE = "orchestration.definitions"
_PROBE_CONFIG = "/nonexistent/scanlake-bench-probe/alerts.yaml"
_PROBE_DIR = "/nonexistent/scanlake-bench-probe/capture"


@contextmanager
def _probe_env() -> Iterator[None]:
    """Definitions read the environment: set probe values to see that they reach them."""
    probes = {"SCANLAKE_ALERTS_CONFIG": _PROBE_CONFIG, "SCANLAKE_TRUNK_RECORDER_DIRS": _PROBE_DIR}
    saved = {k: os.environ.get(k) for k in probes}
    os.environ.update(probes)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def missing_pieces(module: str = DEFAULT_MODULE) -> list[str]:
    """Empty when the real pipeline can be timed; otherwise what the harness cannot find."""
    with _probe_env():
        return _check(module)


def _check(module: str) -> list[str]:
    missing: list[str] = []
    if not shutil.which("dagster-daemon", path=str(Path(sys.executable).parent)):
        missing.append("the dagster-daemon executable beside this Python")
    try:
        defs = importlib.import_module(module).defs
    except Exception as exc:  # any import failure is a finding to report, not a crash
        return [*missing, f"{module} does not import: {type(exc).__name__}: {exc}"]

    import dagster as dg

    graph = defs.resolve_asset_graph()
    present = {k.to_user_string() for k in graph.get_all_asset_keys()}
    missing += [f"asset {name!r} in {module}" for name in CHAIN if name not in present]
    if {"raw_calls", "alert_deliveries"} <= present:
        downstream = dg.AssetSelection.assets("raw_calls").downstream().resolve(graph)
        if dg.AssetKey("alert_deliveries") not in downstream:
            missing.append("a dependency path raw_calls -> ... -> alert_deliveries")

    names = [s.name for s in defs.sensors or []]
    if SENSOR not in names:
        missing.append(f"sensor {SENSOR!r}")
    elif "alert_deliveries" in present:
        selection = defs.resolve_sensor_def(SENSOR).asset_selection
        if selection is None or dg.AssetKey("alert_deliveries") not in selection.resolve(graph):
            missing.append(
                f"{SENSOR} selecting alert_deliveries (the live micro-batch must reach it)"
            )

    resources = dict(defs.resources or {})
    notifier = resources.get("notifier")
    if notifier is None:
        missing.append("resource 'notifier' (resources.notify.resource.NotifierResource)")
    elif _value(getattr(notifier, "config_path", None)) != _PROBE_CONFIG:
        missing.append("notifier.config_path taken from SCANLAKE_ALERTS_CONFIG")
    source = resources.get("trunk_recorder")
    if source is None:
        missing.append("resource 'trunk_recorder'")
    elif list(getattr(source, "capture_dirs", [])) != [_PROBE_DIR]:
        missing.append("trunk_recorder.capture_dirs taken from SCANLAKE_TRUNK_RECORDER_DIRS")
    return missing


def _value(setting: object) -> object:
    """A resource field set from ``dg.EnvVar`` holds the variable, not its value."""
    import dagster as dg

    return setting.get_value() if isinstance(setting, dg.EnvVar) else setting
