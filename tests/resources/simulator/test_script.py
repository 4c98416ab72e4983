import datetime as dt
import re

from resources.simulator import county, gazetteer, traffic
from resources.simulator.catalog import INCIDENT_TYPES, TEN_CODES, UNITS


def test_entity_spans_match_the_spoken_text():
    calls = traffic.plan(300, seed=11)
    labels = set()
    for call in calls:
        for u in call.utterances:
            assert "  " not in u.text and u.text == u.text.strip()
            assert not re.search(r"\d", u.text), u.text  # the voices read words only
            for e in u.entities:
                assert u.text[e.start_char : e.end_char] == e.text
                labels.add(e.label)
                if e.label in ("ADDRESS", "INTERSECTION", "MILE_MARKER"):
                    assert e.lat is not None and e.lon is not None and county.contains(e.lon, e.lat)
                if e.label == "UNIT":
                    assert e.normalized in UNITS
                if e.label == "TEN_CODE":
                    assert int(e.normalized.removeprefix("10-")) in TEN_CODES
                if e.label == "INCIDENT_TYPE":
                    assert e.normalized in INCIDENT_TYPES
                if e.label == "PLATE":
                    assert re.fullmatch(r"[A-Z]{3}\d{3,4}", e.normalized)
    assert labels == {
        "ADDRESS",
        "INTERSECTION",
        "UNIT",
        "TEN_CODE",
        "INCIDENT_TYPE",
        "PLATE",
        "HIGHWAY",
        "MILE_MARKER",
    }


def test_written_text_uses_digits_where_the_spoken_text_has_words():
    calls = traffic.plan(80, seed=3)
    pairs = [(u.text, u.written) for c in calls for u in c.utterances]
    assert any("10-4" in w and "ten four" in s for s, w in pairs)
    address = next(
        e for c in calls for u in c.utterances for e in u.entities if e.label == "ADDRESS"
    )
    number = address.normalized.split()[0]
    assert any(address.normalized in w for _, w in pairs) and number.isdigit()


def test_plan_is_deterministic_and_paced():
    a = traffic.plan(120, seed=5)
    assert a == traffic.plan(120, seed=5)
    assert a != traffic.plan(120, seed=6)
    assert [c.index for c in a] == list(range(120))
    assert a[0].start_time >= traffic.DEFAULT_START
    minutes = (a[-1].start_time - a[0].start_time).total_seconds() / 60
    assert 1.5 < 120 / minutes < 6  # a few calls a minute
    assert len({c.talkgroup.tgid for c in a}) >= 5
    # one call at a time on a talkgroup, so call_uids (talkgroup, start second) are unique
    assert len({(c.talkgroup.tgid, int(c.start_time.timestamp())) for c in a}) == len(a)
    assert any(c.is_silent for c in traffic.plan(300, seed=5))
    assert {c.audio_ext for c in a} == {"wav", "m4a"} and {c.sample_rate for c in a} == {
        8000,
        16000,
    }


def test_a_late_start_spans_two_utc_days():
    calls = traffic.plan(60, seed=2, start=dt.datetime(2026, 11, 2, 23, 50, tzinfo=dt.UTC))
    assert {c.start_time.date() for c in calls} == {dt.date(2026, 11, 2), dt.date(2026, 11, 3)}


def test_entity_coordinates_agree_with_the_gazetteer():
    gaz = gazetteer.build()
    listed = {(p.number, p.street.name): (p.lon, p.lat) for p in gaz.addresses}
    crossings = {frozenset((x.a.name, x.b.name)): (x.lon, x.lat) for x in gaz.intersections}
    hits = 0
    for call in traffic.plan(300, seed=4):
        for e in (e for u in call.utterances for e in u.entities):
            if e.label == "ADDRESS":
                number, street = e.normalized.split(" ", 1)
                if (int(number), street) in listed:  # a listed point: the very same spot
                    assert county.distance_m(listed[int(number), street], (e.lon, e.lat)) < 0.01
                    hits += 1
                else:  # any other number: on its street, by the street's own interpolation
                    assert (
                        county.distance_m(gaz.street(street).locate(int(number)), (e.lon, e.lat))
                        < 0.01
                    )
            if e.label == "INTERSECTION":
                a, b = e.normalized.split(" & ")
                assert crossings[frozenset((a, b))] == (e.lon, e.lat)
    assert hits > 10
