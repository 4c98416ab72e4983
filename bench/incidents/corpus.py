"""The benchmark corpus: a simulated stretch of county traffic with rich incidents, as the
entity and geo layers would see it from ground-truth text (the recorder's unit tags, the
written transcript, its entities and their geocoded places)."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assets.entities.extract import EntityExtractor
from assets.entities.numbers import house_number_settings
from assets.entities.pipeline import RadioSettings
from assets.geo.queries import query_for
from assets.incidents.signals import CallFacts, call_facts
from resources.geocoding.gazetteer import LocalGazetteer, leading_number
from resources.geocoding.gazetteer_files import load_gazetteer_file
from resources.geocoding.resource import GeocoderResource
from resources.simulator import catalog, gazetteer
from resources.simulator.traffic import PlannedCall, plan


@dataclass(frozen=True)
class Corpus:
    facts: list[CallFacts]
    truth: dict[str, str]  # call_uid -> true incident id ("" for none)
    planned: list[PlannedCall]


def call_uid(call: PlannedCall) -> str:
    return f"{catalog.SYSTEM}-{call.talkgroup.tgid}-{call.start_time.timestamp():.0f}"


def _tools(folder: Path) -> tuple[EntityExtractor, Any]:
    gaz = gazetteer.build()
    csv_path = gazetteer.write_openaddresses_csv(gaz, folder / "gazetteer.csv")
    county = gazetteer.write_county_geojson(folder / "county.geojson")
    ten_codes = catalog.write_ten_codes_csv(folder / "ten_codes.csv")
    rows = load_gazetteer_file(csv_path)
    local = LocalGazetteer(rows)
    settings = RadioSettings(
        streets=tuple(local.street_names()),
        cities=tuple(sorted({c for c in rows["city"].to_pylist() if c})),
        highways=tuple(h.name for h in gaz.highways),
        ten_codes_path=str(ten_codes),
        house_numbers=house_number_settings(
            rows["street_key"].to_pylist(), map(leading_number, rows["number"].to_pylist())
        ),
    )
    geocoder = GeocoderResource(county_path=str(county)).geocoder(None, gazetteer=local)
    return EntityExtractor(settings), geocoder


def build(calls: int, seed: int, calls_per_minute: float = 3.0, rich: bool = True) -> Corpus:
    """``calls`` planned calls of ``seed`` (no audio is rendered: the text path needs none),
    silent key-ups left out; ``rich`` plans rich incidents (``traffic.plan``)."""
    start = dt.datetime(2026, 11, 2, 14, tzinfo=dt.UTC)
    planned = [c for c in plan(calls, seed, start, calls_per_minute, rich) if not c.is_silent]
    with tempfile.TemporaryDirectory(prefix="bench-incidents-") as tmp:
        extractor, geocoder = _tools(Path(tmp))
        texts = {call_uid(c): " ".join(u.written for u in c.utterances) for c in planned}
        found = extractor.extract_many((texts[call_uid(c)], []) for c in planned)
        entities: list[dict[str, Any]] = []
        for c, ents in zip(planned, found, strict=True):
            for i, e in enumerate(ents):
                entities.append(
                    {
                        "call_uid": call_uid(c),
                        "entity_id": f"{call_uid(c)}-{i}",
                        "label": e.label,
                        "normalized": e.normalized,
                        "detail": e.detail,
                        "start_char": e.start_char,
                    }
                )
        queries = {
            e["entity_id"]: q
            for e in entities
            if (q := query_for(e["label"], e["normalized"], e["detail"]))
        }
        placed = geocoder.geocode(queries.values()).placed
    locations = [
        {"entity_id": eid, "lat": placed[q.key].match.lat, "lon": placed[q.key].match.lon}
        for eid, q in queries.items()
        if q.key in placed
    ]
    rows = [
        {
            "call_uid": call_uid(c),
            "start_time": c.start_time,
            "talkgroup": c.talkgroup.tgid,
            "talkgroup_group": c.talkgroup.group,
            # the recorder's unit tags: who keyed up, by radio id
            "units": [{"tag": u.speaker} for u in c.utterances],
        }
        for c in planned
    ]
    return Corpus(
        call_facts(rows, texts, entities, locations),
        {call_uid(c): c.incident_id for c in planned},
        planned,
    )
