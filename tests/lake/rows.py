"""Small, valid rows for lake tests."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

NOW = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)


def raw_calls(n: int, day: dt.date = dt.date(2026, 11, 2), prefix: str = "sys-1") -> pa.Table:
    return pa.Table.from_pylist(
        [
            dict(
                call_uid=f"{prefix}-{i}",
                call_date=day,
                call_hour=9,
                system="sys",
                talkgroup=100 + i,
                start_time=dt.datetime.combine(day, dt.time(9, 0), dt.UTC)
                + dt.timedelta(seconds=i),
                duration_s=3.5,
                audio_key=f"audio/raw/system=sys/date={day}/{prefix}-{i}.wav",
                audio_bytes=100,
                source="test",
                ingested_at=NOW,
            )
            for i in range(n)
        ]
    )
