"""Which calls are copies of one transmission, on hand-made copies: the setting, the
window, the kept copy, the sticky earlier decision."""

from __future__ import annotations

import datetime as dt

import pytest

from assets.duplicates.match import BadSystemsSetting, Copy, decide, parse_systems

T0 = dt.datetime(2024, 5, 1, 14, 0, tzinfo=dt.UTC)
SYSTEMS = parse_systems("county=north,south;metro=metro-a")


def copy(
    uid: str, site: str, offset_s: float = 0.0, *, tg: int = 101, tier: str = "moderate",
    snr: float = 15.0, duration_s: float = 6.0, units: tuple[int, ...] = (), source: str = "trunk_recorder",
) -> Copy:  # fmt: skip
    start = T0 + dt.timedelta(seconds=offset_s)
    return Copy(uid, start.date(), source, site, tg, start, duration_s, frozenset(units), tier, snr)


def kept_of(copies: list[Copy], before: frozenset[str] = frozenset()) -> dict[str, str]:
    return {d.copy.call_uid: d.kept.call_uid for d in decide(copies, SYSTEMS, 2.0, before)}


def test_duplicate_systems_setting_parses_and_refuses_bad_entries() -> None:
    assert parse_systems("") == {}
    assert parse_systems(" county = north , south ; metro=metro-a") == {
        "north": "county", "south": "county", "metro-a": "metro",
    }  # fmt: skip
    for bad in ("county", "county=", "=north", "a=x;b=x"):
        with pytest.raises(BadSystemsSetting):
            parse_systems(bad)


def test_duplicate_keeps_the_better_tier_then_the_higher_snr() -> None:
    assert kept_of([copy("n", "north", tier="poor", snr=30), copy("s", "south", 0.8, tier="moderate", snr=12)]) == {
        "n": "s", "s": "s",
    }  # fmt: skip
    assert kept_of([copy("n", "north", snr=11), copy("s", "south", 1.5, snr=18)]) == {"n": "s", "s": "s"}
    decisions = decide([copy("n", "north"), copy("s", "south", 1.0)], SYSTEMS, 2.0)
    assert [(d.copy.call_uid, d.is_duplicate, d.copies) for d in decisions] == [("n", False, 2), ("s", True, 2)]


def test_duplicate_needs_one_system_one_talkgroup_and_the_window() -> None:
    # unlisted capture systems are systems of their own
    assert kept_of([copy("n", "north"), copy("o", "other", 0.5)]) == {"n": "n", "o": "o"}
    assert kept_of([copy("n", "north"), copy("s", "south", 0.5, tg=102)]) == {"n": "n", "s": "s"}
    assert kept_of([copy("n", "north"), copy("s", "south", 2.5)]) == {"n": "n", "s": "s"}
    # a start inside the window but an end far from it: a reply, not a copy
    assert kept_of([copy("n", "north"), copy("s", "south", 1.0, duration_s=12)]) == {"n": "n", "s": "s"}
    # both decoded radio ids and none in common: two transmissions
    assert kept_of([copy("n", "north", units=(7,)), copy("s", "south", 0.5, units=(9,))]) == {"n": "n", "s": "s"}
    assert kept_of([copy("n", "north", units=(7,)), copy("s", "south", 0.5, units=(7, 9))]) == {"n": "n", "s": "n"}


def test_duplicate_one_capture_never_duplicates_itself() -> None:
    # north hears two quick transmissions; south hears the first: one pair, not three copies
    calls = [copy("n1", "north"), copy("s1", "south", 0.4, snr=25), copy("n2", "north", 1.5)]
    assert kept_of(calls) == {"n1": "s1", "s1": "s1", "n2": "n2"}
    # the same system name through two sources (a recorder and an upload) is two captures
    pair = [copy("r", "north"), copy("u", "north", 0.3, source="upload", snr=20)]
    assert kept_of(pair) == {"r": "u", "u": "u"}


def test_duplicate_copy_kept_by_an_earlier_run_stays_kept() -> None:
    # north's copy arrived first, alone, and was transcribed; south's better copy came later
    calls = [copy("n", "north", snr=11), copy("s", "south", 1.0, snr=25)]
    assert kept_of(calls, frozenset({"n"})) == {"n": "n", "s": "n"}
    assert kept_of(calls) == {"n": "s", "s": "s"}


def test_duplicate_decisions_do_not_depend_on_input_order() -> None:
    calls = [copy("a", "north", 0, snr=12), copy("b", "south", 0.5, snr=12), copy("c", "metro-a", 0.2)]
    forward = kept_of(calls)
    assert forward == kept_of(list(reversed(calls)))
    assert forward == {"a": "a", "b": "a", "c": "c"}  # equal quality: the earlier copy
