"""Loading gazetteer files into the lake: one source per file, unchanged files skipped,
a shorter new version leaves no stale rows."""

from __future__ import annotations

from pathlib import Path

import pyarrow.compute as pc

from assets.geo.partition import load_gazetteer
from lake import LakeLocation, delta
from lake.tables import GAZETTEER
from tests.resources.geocoding import towns


def test_reload_replaces_a_source_and_keeps_the_others(lake: LakeLocation, tmp_path: Path) -> None:
    points = towns.write_openaddresses(tmp_path / "addresses.csv")
    ranges = towns.write_tiger(tmp_path / "ranges.csv")
    first = load_gazetteer(lake, str(points))
    assert not first.skipped and first.rows == 1000
    assert load_gazetteer(lake, str(ranges)).rows == 4
    assert load_gazetteer(lake, str(points)).skipped

    towns.write_openaddresses(points, step=40)  # the same file, re-published with fewer points
    again = load_gazetteer(lake, str(points))
    assert (
        not again.skipped and again.rows < first.rows and again.removed == first.rows - again.rows
    )
    table = delta.read(lake, GAZETTEER)
    mine = table.filter(pc.equal(table["source"], "addresses.csv"))
    assert mine.num_rows == again.rows and sorted(mine["row_id"].to_pylist()) == list(
        range(again.rows)
    )
    assert table.num_rows == again.rows + 4
