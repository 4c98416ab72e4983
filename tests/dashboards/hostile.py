"""A small lake whose newest call carries hostile labels, as an upload or a recorder's JSON
could set them: a tracking-pixel image, a javascript: link, raw HTML and a bare URL; and an
incident of it and the call before it whose type, place and units are the same text (what
a transcript's words become)."""

from __future__ import annotations

import pyarrow as pa

from lake import LakeLocation, delta
from lake.tables import ALERTS, CALL_INCIDENTS, INCIDENTS, RAW_CALLS, TRANSCRIPT_WORDS, TRANSCRIPTS
from tests.fixtures.scenarios import MODEL
from tests.fixtures.small_lake import SmallLake, build_small_lake

PIXEL = "http://127.0.0.1:1/x.png"
HOSTILE = f"![x]({PIXEL}) [click](javascript:alert(1)) <img src=x onerror=alert(1)> http://127.0.0.1:1/auto"
# words of HOSTILE a page must still show as text
VISIBLE = ("click", "onerror")


def _rewrite(location: LakeLocation, spec, uid: str, changes: dict[str, object]) -> None:
    rows = delta.read(location, spec).to_pylist()
    hit = [r | changes for r in rows if r["call_uid"] == uid]
    assert hit, f"{spec.name} has no row of {uid}"
    delta.merge(location, spec, pa.Table.from_pylist(hit, schema=spec.schema))


def build_hostile_lake(location: LakeLocation) -> tuple[SmallLake, str]:
    """The small lake, with its newest call's labels, units, transcript and words hostile;
    returns it and that call's uid (its scenario raises an alert)."""
    lake = build_small_lake(location)
    uid = lake.call_uids[0]
    raw = delta.read(location, RAW_CALLS).to_pylist()
    units = next(r["units"] for r in raw if r["call_uid"] == uid)
    _rewrite(
        location,
        RAW_CALLS,
        uid,
        {
            "talkgroup_tag": HOSTILE,
            "talkgroup_group": HOSTILE,
            "system": HOSTILE,
            "units": [u | {"tag": HOSTILE} for u in units],
        },
    )
    _rewrite(location, TRANSCRIPTS, uid, {"text": f"structure fire {HOSTILE}"})
    words = [
        w
        for w in delta.read(location, TRANSCRIPT_WORDS).to_pylist()
        if w["call_uid"] == uid and w["model_id"] == MODEL
    ]
    words[0]["word"] = HOSTILE
    delta.merge(
        location, TRANSCRIPT_WORDS, pa.Table.from_pylist(words[:1], schema=TRANSCRIPT_WORDS.schema)
    )
    _rewrite(
        location, ALERTS, uid, {"talkgroup_tag": HOSTILE, "snippet": HOSTILE, "location": HOSTILE}
    )
    _hostile_incident(lake, [lake.call_uids[1], uid])
    return lake, uid


def _hostile_incident(lake: SmallLake, uids: list[str]) -> None:
    """An incident of ``uids`` (oldest first) with a hostile type, place and unit."""
    first, last = lake.start_of[uids[0]], lake.start_of[uids[-1]]
    incident_id = f"inc-{uids[0]}"
    row = {
        "incident_id": incident_id, "call_date": last.date(), "incident_type": HOSTILE,
        "place": HOSTILE, "lat": 40.0176, "lon": -105.2797, "first_call_uid": uids[0],
        "first_call_time": first, "last_call_uid": uids[-1], "last_call_time": last,
        "units": [HOSTILE, "Engine 12"], "talkgroups": [1001], "status": "on_scene",
        "call_count": len(uids), "grouped_at": lake.now,
    }  # fmt: skip
    delta.merge(lake.location, INCIDENTS, pa.Table.from_pylist([row], schema=INCIDENTS.schema))
    links = [
        {
            "call_uid": u,
            "call_date": lake.start_of[u].date(),
            "incident_id": incident_id,
            "grouped_at": lake.now,
        }
        for u in uids
    ]
    delta.merge(
        lake.location, CALL_INCIDENTS, pa.Table.from_pylist(links, schema=CALL_INCIDENTS.schema)
    )
