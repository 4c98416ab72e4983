"""The aliases asset end to end: real-format files in, tables out, bad lines reported,
and the names the lake's queries then give ids."""

import shutil
from pathlib import Path

import dagster as dg

from assets.aliases.assets import aliases
from lake import delta
from lake import queries as q
from lake.tables import TALKGROUP_ALIASES, UNIT_ALIASES
from resources.aliases import AliasFilesResource

SAMPLES = Path(__file__).parents[2] / "resources" / "trunk_recorder" / "samples"


def run(lake_resource, units: str, talkgroups: str) -> dg.ExecuteInProcessResult:
    result = dg.materialize(
        [aliases],
        resources={
            "lake": lake_resource,
            "alias_files": AliasFilesResource(unit_tags_files=units, talkgroups_files=talkgroups),
        },
    )
    assert result.success
    return result


def metadata(result: dg.ExecuteInProcessResult, key: str) -> dict:
    return next(
        m.metadata for m in result.asset_materializations_for_node("aliases") if m.asset_key.path == [key]
    )


def test_aliases_imported_with_bad_lines_reported_and_named_by_queries(lake, lake_resource, tmp_path):
    units = tmp_path / "UnitTags.csv"
    shutil.copy(SAMPLES / "UnitTags.csv", units)
    metro = tmp_path / "metro_units.csv"
    metro.write_text("911000,Metro Dispatch\n/^9/,Nines\n", encoding="utf-8")
    setting = f"clarkco={units};metro={metro}"
    talkgroups = f"{SAMPLES / 'rr_talkgroups.csv'};clarkco={SAMPLES / 'talkgroups.csv'}"
    result = run(lake_resource, setting, talkgroups)

    unit_meta = metadata(result, "unit_aliases")
    assert unit_meta["rows_imported"].value == 10 and unit_meta["bad_lines"].value == 4
    assert [b["line"] for b in unit_meta["first_bad_lines"].value] == [8, 9, 10, 11]
    assert unit_meta["first_bad_lines"].value[0]["file"] == str(units)
    (check,) = result.get_asset_check_evaluations()
    assert not check.passed and check.severity == dg.AssetCheckSeverity.WARN
    assert check.metadata["bad_lines"].value == 7  # 4 unit lines, 3 talkgroup lines

    con = q.open_lake(lake)
    assert q.unit_names(
        con,
        [("clarkco", 911000), ("clarkco", 1210207), ("clarkco", 1410201), ("clarkco", 173102555),
         ("clarkco", 555), ("metro", 911000), ("metro", 9123), ("other", 911000)],
    ) == {
        ("clarkco", 911000): "Dispatch",
        ("clarkco", 1210207): "Engine 20 (spare)",  # the exact id above the rule wins
        ("clarkco", 1410201): "Engine 20",  # a whole-id rule with its capture group
        ("clarkco", 173102555): "Ambulance 102",  # /partial/: only the match is named
        ("metro", 911000): "Metro Dispatch",
        ("metro", 9123): "Nines",
    }
    assert q.talkgroup_names(con, [("clarkco", 101), ("clarkco", 1601), ("metro", 1701), ("metro", 101)]) == {
        ("clarkco", 101): "DCFD 01 Disp",
        ("clarkco", 1601): "CLK FD Disp",  # the every-system file names what clarkco's does not
        ("metro", 1701): "CLK SO Main",
    }

    # a line taken out of a file is gone after the next import; an unreadable file keeps
    # its system's names
    units.write_text("911000,Dispatch Center\n", encoding="utf-8")
    metro.unlink()
    again = run(lake_resource, setting, talkgroups)
    assert metadata(again, "unit_aliases")["rows_removed"].value == 7
    rows = delta.read(lake, UNIT_ALIASES).to_pylist()
    assert sorted((r["system"], r["line"], r["alias"]) for r in rows) == [
        ("clarkco", 1, "Dispatch Center"), ("metro", 1, "Metro Dispatch"), ("metro", 2, "Nines"),
    ]
    assert delta.read(lake, TALKGROUP_ALIASES).num_rows == 6


def test_aliases_without_files_import_nothing(lake, lake_resource):
    result = run(lake_resource, "", "")
    assert metadata(result, "unit_aliases")["rows_imported"].value == 0
    assert result.get_asset_check_evaluations()[0].passed


def test_aliases_sensor_requests_an_import_when_a_file_changes(tmp_path):
    from assets.aliases.assets import alias_files_changed

    units = tmp_path / "UnitTags.csv"
    units.write_text("1,A\n", encoding="utf-8")
    files = AliasFilesResource(unit_tags_files=f"clarkco={units}")
    context = dg.build_sensor_context(resources={"alias_files": files})
    assert len(list(alias_files_changed(context))) == 1
    assert list(alias_files_changed(context)) == []  # nothing changed since
    units.write_text("1,A\n2,B\n", encoding="utf-8")
    assert len(list(alias_files_changed(context))) == 1
    units.unlink()  # a file gone is a change too (its system's names are kept)
    assert len(list(alias_files_changed(context))) == 1
