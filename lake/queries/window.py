"""The time window every dashboard query takes, and the connection it runs on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from lake.duckdb import connect
from lake.location import LakeLocation


@dataclass(frozen=True)
class Window:
    """A half-open interval of call start times, ``[since, until)``, in UTC.

    Every query also filters the ``call_date`` partition column on the days the window
    touches, so a query over an hour of a year-long lake reads one or two partitions.
    """

    since: dt.datetime
    until: dt.datetime

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            value = getattr(self, name)
            if value.tzinfo is None:
                raise ValueError(f"Window.{name} must be timezone-aware, got {value!r}")
            object.__setattr__(self, name, value.astimezone(dt.UTC))
        if self.until <= self.since:
            raise ValueError(f"empty window: {self.since.isoformat()} .. {self.until.isoformat()}")

    @classmethod
    def last(cls, hours: float, now: dt.datetime | None = None) -> Window:
        now = now or dt.datetime.now(dt.UTC)
        return cls(now - dt.timedelta(hours=hours), now)

    @property
    def days(self) -> dict[str, object]:
        """Only the partition bounds, ``$d0`` and ``$d1``."""
        return {"d0": self.since.date(), "d1": self.until.date()}

    @property
    def params(self) -> dict[str, object]:
        """The window as named query parameters: ``$since``, ``$until``, ``$d0``, ``$d1``."""
        return {
            "since": self.since,
            "until": self.until,
            "d0": self.since.date(),
            "d1": self.until.date(),
        }


def open_lake(location: LakeLocation | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection over the lake (``SCANLAKE_LAKE_URI`` when no location is given)
    with timestamps shown in UTC, the zone every table stores. Its tables are pinned
    snapshots: a later commit is seen after ``lake.duckdb.refresh_views(con, location)``
    (or through a ``lake.duckdb.PinnedLake``, which re-pins on a schedule)."""
    con = connect(location or LakeLocation.from_env())
    con.execute("SET TimeZone = 'UTC'")
    return con
