"""A simulated corpus as the benchmark reads it: the ground truth, and the extractor and
geocoder configured from the corpus's own gazetteer as the assets configure them."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from assets.entities.extract import Entity, EntityExtractor
from assets.entities.numbers import house_number_settings
from assets.entities.pipeline import RadioSettings
from assets.geo.queries import query_for
from bench.common import console
from resources.geocoding.chain import Geocoder
from resources.geocoding.gazetteer import LocalGazetteer, leading_number
from resources.geocoding.gazetteer_files import load_gazetteer_file
from resources.geocoding.resource import GeocoderResource


@dataclass
class Corpus:
    out: Path
    town: str
    truth: list[dict[str, object]]
    extractor: EntityExtractor
    geocoder: Geocoder


def simulated(calls: int, seed: int, sim_dir: Path | None, town: str) -> Path:
    """The simulation in ``sim_dir`` (made there, or in a temporary folder, when absent)."""
    from resources.simulator.simulate import simulate

    out = sim_dir or Path(tempfile.mkdtemp(prefix="bench-geo-"))
    if (out / "ground_truth.parquet").exists() and pq.read_metadata(
        out / "ground_truth.parquet"
    ).num_rows == calls:
        return out
    console.print(f"simulating {calls} calls (seed {seed}, town {town}) into {out} ...")
    result = simulate(calls=calls, seed=seed, out=out, town=town)
    console.print(
        f"  {result.calls} calls, {result.audio_seconds:.0f} s of audio in {result.elapsed_s:.0f} s"
    )
    return out


def load(out: Path, town: str) -> Corpus:
    """The corpus in ``out``, simulated for ``town``, with its extractor and geocoder."""
    from resources.simulator.gazetteer import build  # the county's highway names, as configured

    truth = pq.read_table(out / "ground_truth.parquet").to_pylist()
    rows = load_gazetteer_file(out / "gazetteer.csv")
    gazetteer = LocalGazetteer(rows)
    county = build(town)
    console.print(f"town: {town} ({county.area.name}, {county.area.state})")
    settings = RadioSettings(
        streets=tuple(gazetteer.street_names()),
        cities=tuple(sorted({c for c in rows["city"].to_pylist() if c})),
        highways=tuple(h.name for h in county.highways),
        ten_codes_path=str(out / "ten_codes.csv"),
        # as the entities asset reads them from the gazetteer table
        house_numbers=house_number_settings(
            rows["street_key"].to_pylist(), map(leading_number, rows["number"].to_pylist())
        ),
    )
    geocoder = GeocoderResource(county_path=str(out / "county.geojson")).geocoder(
        None, gazetteer=gazetteer
    )
    return Corpus(out, town, truth, EntityExtractor(settings), geocoder)


def located(entities: list[Entity], geocoder: Geocoder, label: str) -> list[tuple[float, float]]:
    """Where the geocoder places each entity of ``label`` (the unplaced are left out)."""
    queries = [
        q
        for e in entities
        if e.label == label and (q := query_for(e.label, e.normalized, e.detail))
    ]
    placed = geocoder.geocode(queries).placed
    return [(placed[q.key].match.lat, placed[q.key].match.lon) for q in queries if q.key in placed]
