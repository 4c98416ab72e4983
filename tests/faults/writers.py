"""The writer processes of the concurrent-writers fault test, in a module that imports
only the lake library, so each spawned process starts in a second or two."""

from __future__ import annotations

from lake import delta
from lake.location import LakeLocation
from lake.tables import RAW_CALLS

WRITERS = 3
ROUNDS = 2
SLICE = 6


def merge_overlapping(uri: str, options: dict[str, str], writer: int, start, outcomes) -> None:
    """Merge this writer's overlapping slices into raw_calls once the others are ready."""
    from tests.lake.rows import raw_calls

    location = LakeLocation(uri, options)
    every = raw_calls(WRITERS * SLICE + SLICE, prefix="c")
    start.wait()
    try:
        for r in range(ROUNDS):
            # Overlapping slices: writer w's round r shares half its calls with writer w+1.
            offset = (writer * SLICE // 2 + r * SLICE) % (every.num_rows - SLICE)
            delta.merge(location, RAW_CALLS, every.slice(offset, SLICE), update=False)
        outcomes.put((writer, "ok"))
    except Exception as exc:  # reported to the test, which fails on it
        outcomes.put((writer, f"{type(exc).__name__}: {exc}"))
