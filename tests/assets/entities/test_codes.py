"""The ten-code and incident tables: shipped defaults, and one's own files."""

from __future__ import annotations

from pathlib import Path

import pytest

from assets.entities.codes import CodeTableError, IncidentTaxonomy, TenCodes
from assets.entities.extract import EntityExtractor
from assets.entities.pipeline import RadioSettings


def test_shipped_tables() -> None:
    codes = TenCodes.load()
    assert codes.meaning(4) == "Acknowledged" and codes.meaning(23) == "Arrived on scene"
    assert codes.meaning(999) is None
    taxonomy = IncidentTaxonomy.load()
    assert (
        "structure fire" in taxonomy.phrases["STRUCTURE_FIRE"] and "mva" in taxonomy.phrases["MVA"]
    )


def test_a_county_csv_table_changes_the_meanings(tmp_path: Path) -> None:
    table = tmp_path / "codes.csv"
    table.write_text("code,meaning\n10-4,Copy that\n10-97,On location\n")
    extractor = EntityExtractor(RadioSettings(ten_codes_path=str(table)))
    [code] = [e for e in extractor.extract("Engine 3, 10-97.") if e.label == "TEN_CODE"]
    assert (code.normalized, code.detail) == ("10-97", "On location")
    assert extractor.version != EntityExtractor(RadioSettings()).version


def test_own_incident_taxonomy(tmp_path: Path) -> None:
    table = tmp_path / "incidents.yaml"
    table.write_text("LIVESTOCK: [cows in the road, loose livestock]\n")
    extractor = EntityExtractor(RadioSettings(incident_types_path=str(table)))
    assert [(e.label, e.normalized) for e in extractor.extract("we have cows in the road")] == [
        ("INCIDENT_TYPE", "LIVESTOCK")
    ]
    assert [e for e in extractor.extract("structure fire") if e.label == "INCIDENT_TYPE"] == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bad.yaml", "- just\n- a list\n"),
        ("bad2.yaml", "STRUCTURE_FIRE: fire\n"),
        ("bad.csv", "a,b\n1,2\n"),
        ("bad3.yaml", '"twelve": nope\n'),
    ],
)
def test_unreadable_tables_are_typed_errors(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content)
    loader = IncidentTaxonomy.load if name == "bad2.yaml" else TenCodes.load
    with pytest.raises(CodeTableError):
        loader(path)
