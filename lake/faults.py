"""A test seam for fault injection: crash this process at a named point.

``SCANLAKE_FAULT_POINT=<name>`` makes the process ``os._exit(137)`` (what ``kill -9`` looks
like to its parent) the first time it reaches ``crash_point(<name>)``. Only the fault tests
and ``python -m bench.faults`` set it. Unset, a crash point is one comparison with None.

Named points, each between two writes whose order the recovery relies on:
- ``object_put_partial``: a local object's bytes are on disk as ``.partial``, not renamed;
- ``landing_put_between``: a landing call's audio is stored, its envelope is not;
- ``landing_ack_between``: an acknowledged call's audio is deleted, its envelope is not;
- ``delta_after_commit``: a Delta merge has committed; the caller has not gone on.
"""

from __future__ import annotations

import os

POINTS = ("object_put_partial", "landing_put_between", "landing_ack_between", "delta_after_commit")
_ARMED = os.environ.get("SCANLAKE_FAULT_POINT") or None


def arm(name: str | None) -> None:
    """Arm (or, with None, disarm) a point in this process: for a child that a preloaded
    fork server started, whose modules were imported before its variable was known."""
    global _ARMED
    _ARMED = name or None


def crash_point(name: str) -> None:
    if _ARMED is not None and _ARMED == name:
        os._exit(137)
