"""The ``incidents`` asset end to end on a small lake: rows, links, checks, re-runs and a
day boundary."""

from __future__ import annotations

import datetime as dt

import dagster as dg
import pyarrow as pa
import pyarrow.compute as pc

from assets.incidents import checks
from assets.incidents.assets import incident_ids_stable, incident_links_one_to_one, incidents
from lake import LakeLocation, delta
from lake.tables import CALL_DUPLICATES, CALL_INCIDENTS, INCIDENTS, RAW_CALLS
from resources.asr.resource import TranscriberResource
from resources.lake import LakeResource
from tests.fixtures.incident_lake import CALLS, Call, write_calls
from tests.fixtures.scenarios import MODEL

START = dt.datetime(2024, 5, 1, 14, 0, tzinfo=dt.UTC)


def run(lake_resource: LakeResource, day: dt.date) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [incidents, incident_links_one_to_one, incident_ids_stable],
        partition_key=day.isoformat(),
        resources={"lake": lake_resource, "transcriber": TranscriberResource(model=MODEL)},
    )


def rows_of(lake: LakeLocation, day: dt.date) -> tuple[dict[str, dict], dict[str, str]]:
    part = {"call_date": [day]}
    found = {r["incident_id"]: r for r in delta.read(lake, INCIDENTS, partitions=part).to_pylist()}
    links = delta.read(lake, CALL_INCIDENTS, partitions=part)
    return found, dict(zip(links["call_uid"].to_pylist(), links["incident_id"].to_pylist(), strict=True))


def test_incident_asset_writes_incidents_and_links(lake: LakeLocation, lake_resource: LakeResource) -> None:
    uids = write_calls(lake, START)
    result = run(lake_resource, START.date())
    assert result.success
    assert all(c.passed for c in result.get_asset_check_evaluations())
    found, links = rows_of(lake, START.date())
    fire, mva = found[f"inc-{uids['f1']}"], found[f"inc-{uids['m1']}"]
    assert len(found) == 2
    assert fire["call_count"] == 5 and fire["status"] == "cleared"
    assert fire["incident_type"] == "STRUCTURE_FIRE" and fire["place"] == "1220 OAK STREET"
    assert fire["units"] == ["Engine 12", "Ladder 3", "Medic 4"]
    assert fire["talkgroups"] == [1001, 1002, 2001]
    assert fire["first_call_uid"] == uids["f1"] and fire["last_call_uid"] == uids["f5"]
    assert fire["lat"] is not None
    assert mva["call_count"] == 2 and mva["status"] == "on_scene" and mva["incident_type"] == "MVA"
    assert uids["a1"] not in links  # a radio check is no incident
    assert {links[uids[c.name]] for c in CALLS if c.incident == "fire"} == {fire["incident_id"]}
    meta = result.asset_materializations_for_node("incidents")[0].metadata
    assert meta["incidents"].value == 2 and meta["grouped_calls"].value == 7


def test_incident_rerun_and_late_call_keep_ids(lake: LakeLocation, lake_resource: LakeResource) -> None:
    uids = write_calls(lake, START, tuple(c for c in CALLS if c.name != "f4"))
    run(lake_resource, START.date())
    first, _ = rows_of(lake, START.date())
    assert first[f"inc-{uids['f1']}"]["call_count"] == 4
    late = tuple(c for c in CALLS if c.name == "f4")  # EMS sent to the fire, ingested late
    uids |= write_calls(lake, START, late)
    result = run(lake_resource, START.date())
    again, links = rows_of(lake, START.date())
    assert set(again) == set(first)
    assert again[f"inc-{uids['f1']}"]["call_count"] == 5
    assert links[uids["f4"]] == f"inc-{uids['f1']}"
    assert result.get_asset_check_evaluations()[1].passed  # ids stable


def test_incident_crossing_midnight_keeps_its_id(lake: LakeLocation, lake_resource: LakeResource) -> None:
    start = dt.datetime(2024, 5, 1, 23, 50, tzinfo=dt.UTC)
    calls = (
        Call("d", 0, 1001, "Engine 12, respond to a structure fire at 1220 Oak Street", "Dispatch A",
             (("UNIT", "Engine 12"), ("INCIDENT_TYPE", "STRUCTURE_FIRE"), ("ADDRESS", "1220 Oak Street")), "x"),
        Call("s", 15 * 60, 1002, "Engine 12 on scene", "Engine 12", (("UNIT", "Engine 12"),), "x"),
    )  # fmt: skip
    uids = write_calls(lake, start, calls)
    run(lake_resource, start.date())
    run(lake_resource, start.date() + dt.timedelta(days=1))
    before, links_before = rows_of(lake, start.date())
    after, links_after = rows_of(lake, start.date() + dt.timedelta(days=1))
    want = f"inc-{uids['d']}"
    assert links_before == {uids["d"]: want} and links_after == {uids["s"]: want}
    assert before[want]["call_count"] == 1 and after[want]["call_count"] == 2
    assert after[want]["status"] == "on_scene"


def test_incident_link_check_fails_on_a_dangling_link(
    lake: LakeLocation, lake_resource: LakeResource
) -> None:
    write_calls(lake, START)
    run(lake_resource, START.date())
    rows = delta.read(lake, INCIDENTS, partitions={"call_date": [START.date()]})
    kept = rows.filter(pc.invert(pc.equal(rows["incident_type"], "MVA")))
    delta.overwrite_partitions(lake, INCIDENTS, kept, {"call_date": [START.date()]})
    problems = checks.link_problems(lake, START.date())
    assert len(problems["links_to_missing_incident"]) == 1
    assert not problems["calls_linked_twice"] and not problems["incidents_without_calls"]


def test_incident_leaves_out_a_duplicate_copy(lake: LakeLocation, lake_resource: LakeResource) -> None:
    uids = write_calls(lake, START)
    part = {"call_date": [START.date()]}
    raw = delta.read(lake, RAW_CALLS, partitions=part).to_pylist()
    heard = next(r for r in raw if r["call_uid"] == uids["f2"])
    # a second site's copy of "Engine 12, 10-76": untranscribed, but its unit tag would
    # join the fire as a sixth call
    copy = heard | {"call_uid": "south-" + heard["call_uid"], "system": "south",
                    "start_time": heard["start_time"] + dt.timedelta(seconds=0.7)}  # fmt: skip
    delta.merge(lake, RAW_CALLS, pa.Table.from_pylist([copy], schema=RAW_CALLS.schema))
    link = {"call_uid": copy["call_uid"], "call_date": START.date(), "system": "county", "source": copy["source"],
            "capture_system": "south", "talkgroup": copy["talkgroup"], "start_time": copy["start_time"],
            "kept_call_uid": uids["f2"], "kept_call_date": START.date(), "is_duplicate": True, "copies": 2,
            "start_offset_s": 0.7, "decided_at": START}  # fmt: skip
    delta.merge(lake, CALL_DUPLICATES, pa.Table.from_pylist([link], schema=CALL_DUPLICATES.schema))
    assert run(lake_resource, START.date()).success
    found, links = rows_of(lake, START.date())
    assert found[f"inc-{uids['f1']}"]["call_count"] == 5
    assert copy["call_uid"] not in links
