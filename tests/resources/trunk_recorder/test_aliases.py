"""Alias files as trunk-recorder documents them (docs/CONFIGURE.md, unitTagsFile and
talkgroupsFile) and as RadioReference exports talkgroups: sample files in samples/."""

from pathlib import Path

import pytest

from resources.aliases import ANY_SYSTEM, AliasFile, BadAliasSetting, alias_files
from resources.trunk_recorder.tags import (
    MAX_RULE_CHARS,
    TalkgroupTag,
    UnitTag,
    parse_talkgroups,
    parse_unit_tags,
    re2_template,
)

SAMPLES = Path(__file__).parent / "samples"


def sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


def test_unit_tags_aliases_ids_rules_and_bad_lines_with_numbers():
    parsed = parse_unit_tags(sample("UnitTags.csv"))
    assert parsed.rows[:6] == [
        UnitTag(1, "Dispatch", unit_id=911000),
        UnitTag(2, "Engine 20 (spare)", unit_id=1210207),
        UnitTag(3, "Engine \\1", pattern="1[1245]10([0-9]{2})[127]"),
        UnitTag(4, "Ambulance \\1", pattern="^1[78]3(1[0-9]{2})", partial=True),
        UnitTag(5, "Battalion 1, North", unit_id=3300),  # a quoted name keeps its comma
        UnitTag(6, "Tab Separated", unit_id=2002),  # older files separate with tabs
    ]
    # RE2 runs in linear time: a nested quantifier is harmless and imported
    assert UnitTag(12, "Nested Quantifier", pattern="(a+)+$") in parsed.rows
    assert parsed.rows[-1] == UnitTag(13, "Car 55 $1", unit_id=5500)  # an exact id's name is literal
    bad = {b.line: b.reason for b in parsed.bad}
    assert sorted(bad) == [8, 9, 10, 11]
    assert "RE2" in bad[8] and "escape" in bad[8]  # a back-reference needs backtracking
    assert "$2" in bad[9]
    assert "two columns" in bad[10]
    assert f"over the {MAX_RULE_CHARS} cap" in bad[11]


def test_unit_tags_aliases_skip_blank_and_comment_lines_and_a_bom():
    parsed = parse_unit_tags("\ufeff# radios\n\n911000,Dispatch\n")
    assert parsed.rows == [UnitTag(3, "Dispatch", unit_id=911000)] and parsed.bad == []


def test_unit_tags_aliases_bound_names_and_ids():
    parsed = parse_unit_tags(f"1,{'x' * 300}\n{'9' * 30},Huge\n2,ok\n")
    assert [b.line for b in parsed.bad] == [1, 2] and parsed.rows == [UnitTag(3, "ok", unit_id=2)]


def test_unit_tags_aliases_template_follows_boost_format():
    assert re2_template("Engine $1") == "Engine \\1"
    assert re2_template("All $& of $$5 \\ x") == "All \\0 of $5 \\\\ x"


def test_talkgroup_aliases_from_trunk_recorder_header_file():
    parsed = parse_talkgroups(sample("talkgroups.csv"))
    assert parsed.rows == [
        TalkgroupTag(2, 101, "DCFD 01 Disp", "01 Dispatch", "Fire Dispatch", "Fire", "D"),
        TalkgroupTag(3, 2227, "DC StcarYard", "Streetcar Yard", "Transportation", "Services", "D"),
        # no Alpha Tag: the Description names it
        TalkgroupTag(4, 3001, "Sheriff Ops 1", "Sheriff Ops 1", "Law Tac", "Sheriff", "T"),
    ]
    bad = {b.line: b.reason for b in parsed.bad}
    assert "not a decimal" in bad[5] and "neither" in bad[6] and "line 2" in bad[7]


def test_talkgroup_aliases_from_radioreference_csv():
    parsed = parse_talkgroups(sample("rr_talkgroups.csv"))
    assert parsed.bad == []
    assert [(t.line, t.talkgroup, t.alias, t.mode, t.category) for t in parsed.rows] == [
        (2, 1601, "CLK FD Disp", "D", "Clark County Fire"),
        (3, 1602, "CLK FD TAC 2", "De", "Clark County Fire"),
        (4, 1701, "CLK SO Main", "TE", "Clark County Sheriff"),
    ]
    assert parsed.rows[2].description == "Sheriff Main, Encrypted"


def test_talkgroup_aliases_from_a_headerless_older_file():
    parsed = parse_talkgroups(sample("legacy_talkgroups.csv"))
    assert [(t.line, t.talkgroup, t.alias, t.category) for t in parsed.rows] == [
        (1, 101, "DCFD 01 Disp", "Fire"),
        (2, 2227, "DC StcarYard", "Services"),
    ]


def test_alias_file_settings():
    assert alias_files("clarkco=/a.csv; metro = /b.csv ;") == [
        AliasFile("clarkco", "/a.csv"),
        AliasFile("metro", "/b.csv"),
    ]
    assert alias_files("/etc/UnitTags.csv") == [AliasFile(ANY_SYSTEM, "/etc/UnitTags.csv")]
    assert alias_files(None) == [] and alias_files("") == []
    for bad in ("clarkco=", "a=/x;a=/y", "=/x"):
        with pytest.raises(BadAliasSetting):
            alias_files(bad)
