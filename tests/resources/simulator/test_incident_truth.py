"""The simulator's incidents as ground truth: rich traffic has long multi-agency incidents
whose units are on one incident at a time, and classic traffic is what it always was."""

from __future__ import annotations

import hashlib
from collections import defaultdict

from resources.simulator import traffic

# traffic.plan(200, seed=5) before rich incidents existed (computed on the round-1 code)
CLASSIC_DIGEST = "85faabb145ee8db17955fe44d739e0fed71549c52fae31904ceb8a1f59455947"


def test_classic_traffic_is_unchanged_by_incident_realism() -> None:
    calls = traffic.plan(200, seed=5)
    digest = hashlib.sha256(
        repr(
            [
                (c.start_time.isoformat(), c.talkgroup.tgid, [u.text for u in c.utterances],
                 c.incident_id, c.snr_db, c.audio_ext)
                for c in calls
            ]
        ).encode()
    ).hexdigest()  # fmt: skip
    assert digest == CLASSIC_DIGEST


def test_rich_incident_truth_has_long_multi_agency_incidents() -> None:
    calls = traffic.plan(500, seed=7, rich_incidents=True)
    by_incident = defaultdict(list)
    for c in calls:
        if c.incident_id:
            by_incident[c.incident_id].append(c)
    big = [cs for cs in by_incident.values() if len(cs) >= 8]
    assert big, "no major incident in 500 calls"
    for cs in big:
        groups = {c.talkgroup.group for c in cs}
        span_s = (cs[-1].start_time - cs[0].start_time).total_seconds()
        assert len(groups) >= 2 and span_s >= 15 * 60
        assert len({c.incident_type for c in cs}) == 1
    assert any(len(cs) == 1 for cs in by_incident.values())  # single-call traffic stays
    assert traffic.plan(500, seed=7, rich_incidents=True) == calls  # seeded


def test_rich_incident_units_are_on_one_incident_at_a_time() -> None:
    calls = traffic.plan(500, seed=9, rich_incidents=True)
    spans: dict[str, dict[str, list]] = defaultdict(dict)  # unit -> incident -> [first, last]
    for c in calls:
        for u in c.utterances:
            for e in u.entities:
                if e.label == "UNIT" and c.incident_id:
                    span = spans[e.normalized].setdefault(c.incident_id, [c.start_time, c.start_time])
                    span[1] = c.start_time
    overlaps = 0
    for incidents in spans.values():
        ordered = sorted(incidents.values())
        overlaps += sum(b[0] < a[1] for a, b in zip(ordered, ordered[1:], strict=False))
    assert overlaps == 0
    assert any(unit.split()[-1].isdigit() and int(unit.split()[-1]) >= 60 for unit in spans)  # mutual aid
