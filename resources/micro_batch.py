"""The micro-batch interval: how often the ingestion sensors tick, and so how long a
dashboard may cache a query result without showing data older than one batch.

Read here only: the sensors (``assets/raw/sensors.py``) and the dashboards
(``dashboards/settings.py``) both ask this module, so they cannot drift apart. It imports
nothing of scanlake, so either side may import it.
"""

from __future__ import annotations

import os

SENSOR_INTERVAL_ENV = "SCANLAKE_SENSOR_INTERVAL_S"
DEFAULT_SENSOR_INTERVAL_S = 5


def sensor_interval_s() -> int:
    """Seconds between sensor ticks (``SCANLAKE_SENSOR_INTERVAL_S``, default 5)."""
    value = os.environ.get(SENSOR_INTERVAL_ENV)
    return int(value) if value else DEFAULT_SENSOR_INTERVAL_S
