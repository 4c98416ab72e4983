"""Data-quality rules for ``geocode_cache`` (pure; the Dagster check wraps them)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pyarrow as pa


@dataclass(frozen=True)
class CacheFinding:
    rows: int
    duplicate_keys: list[str] = field(default_factory=list)
    # a hit must carry a position, a miss must not: either way round, a lookup would
    # return an answer the geocoder never gave
    inconsistent: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not (self.duplicate_keys or self.inconsistent)


def cache_consistent(rows: pa.Table) -> CacheFinding:
    """One answer per (query_key, backend), and each answer's ``found`` agrees with its
    position."""
    keys = list(zip(rows["query_key"].to_pylist(), rows["backend"].to_pylist(), strict=True))
    twice = sorted(f"{b}:{q}" for (q, b), n in Counter(keys).items() if n > 1)
    inconsistent = [
        f"{b}:{q}"
        for (q, b), found, lat, lon in zip(
            keys, rows["found"].to_pylist(), rows["lat"].to_pylist(), rows["lon"].to_pylist(), strict=True
        )
        if bool(found) != (lat is not None and lon is not None)
    ]
    return CacheFinding(rows.num_rows, twice, sorted(inconsistent))
