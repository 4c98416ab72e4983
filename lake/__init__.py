"""scanlake's storage library: table schemas, Delta writes, audio objects and DuckDB views.

Assets, dashboards and notebooks reach the lake only through this package; nothing here
imports dagster or the assets.
"""

from lake.location import LakeLocation

__all__ = ["LakeLocation"]
