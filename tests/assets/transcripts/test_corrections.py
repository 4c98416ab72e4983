"""Corrections end to end on the small lake: an editor's request becomes a version of the
call's text, and the call's entities and place follow it; retries, stale and unknown
requests; an alert already delivered is not delivered again."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import dagster as dg
import pytest

from assets.entities.assets import entities, entity_spans_match_transcripts
from assets.geo.assets import gazetteer, locations
from assets.transcripts.assets import transcript_corrections
from assets.transcripts.corrections import commit_day
from lake import LakeLocation, corrections, delta
from lake.corrections import BadCorrection, CorrectionRequest
from lake.effective import effective_transcripts
from lake.objects import ObjectStore
from lake.tables import ENTITIES, LOCATIONS, TRANSCRIPT_CORRECTIONS
from resources.geocoding.resource import GeocoderResource
from resources.lake import LakeResource
from tests.fixtures.scenarios import MODEL
from tests.fixtures.small_lake import SmallLake, build_small_lake

# Boulder points on two streets the small lake's calls name (see tests/fixtures/scenarios).
OAK = {n: (40.0176 + (n - 1220) * 1e-5, -105.2797) for n in range(1200, 1250, 2)}
MAPLE = {n: (40.0302 + (n - 455) * 1e-5, -105.2551) for n in range(431, 481, 2)}


def write_gazetteer(path: Path) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["LON", "LAT", "NUMBER", "STREET", "UNIT", "CITY", "DISTRICT", "REGION", "POSTCODE"])
        for street, points in (("Oak Street", OAK), ("Maple Avenue", MAPLE)):
            for n, (lat, lon) in points.items():
                writer.writerow([f"{lon:.7f}", f"{lat:.7f}", n, street, "", "Boulder", "", "CO", "80302"])
    return path


@pytest.fixture
def small(tmp_path: Path) -> SmallLake:
    return build_small_lake(LakeLocation(str(tmp_path / "lake")))


def request(lake: SmallLake, uid: str, text: str, base_version: int = 0, editor: str = "ed") -> CorrectionRequest:
    machine = effective_transcripts(lake.location, lake.start_of[uid].date(), ["model_id"])
    base = next(r["text"] for r in machine.to_pylist() if r["call_uid"] == uid)
    return CorrectionRequest.new(
        uid, lake.start_of[uid].date(), text, editor, base, base_version=base_version, base_model_id=MODEL
    )


def call_places(location: LakeLocation, uid: str) -> set[tuple[float, float]]:
    """Where the call's places are (one row per model's transcript of it)."""
    rows = delta.read(location, LOCATIONS).to_pylist()
    return {(round(r["lat"], 4), round(r["lon"], 4)) for r in rows if r["call_uid"] == uid}


def test_corrections_move_the_call_place_through_materialize(small: SmallLake, tmp_path: Path):
    uid = small.calls_of(0)[0]  # "... respond to a structure fire at 1220 Oak Street"
    day = small.start_of[uid].date().isoformat()
    resources = {
        "lake": LakeResource(uri=small.location.uri),
        "geocoder": GeocoderResource(gazetteer_path=str(write_gazetteer(tmp_path / "gaz.csv"))),
    }
    assets = [gazetteer, transcript_corrections, entities, entity_spans_match_transcripts, locations]
    dg.materialize(assets, partition_key=day, resources=resources, selection=None)
    assert call_places(small.location, uid) == {(40.0176, -105.2797)}
    other = small.calls_of(0)[1]
    elsewhere = call_places(small.location, other)

    text = "Engine 12 Medic 4 respond to a structure fire at 455 Maple Avenue"
    corrections.submit(ObjectStore(small.location), request(small, uid, text))
    result = dg.materialize(assets, partition_key=day, resources=resources, selection=None)

    meta = result.asset_materializations_for_node("transcript_corrections")[0].metadata
    [spans] = result.get_asset_check_evaluations()
    assert spans.passed, spans.metadata  # the entities' spans are spans of the corrected text
    assert meta["versions_committed"].value == 1
    [row] = delta.read(small.location, TRANSCRIPT_CORRECTIONS).to_pylist()
    assert (row["call_uid"], row["version"], row["text"], row["editor"]) == (uid, 1, text, "ed")
    assert corrections.pending(ObjectStore(small.location)) == []
    # the place follows the corrected address; the old one is gone
    assert call_places(small.location, uid) == {(40.0302, -105.2551)}
    found = [e for e in delta.read(small.location, ENTITIES).to_pylist() if e["call_uid"] == uid]
    addresses = {e["normalized"] for e in found if e["label"] == "ADDRESS"}
    assert addresses == {"455 MAPLE AVE"}
    # a corrected text has no word timings: no entity claims a time in the audio
    assert all(e["start_s"] is None for e in found)
    # another call of the same words keeps its place
    assert call_places(small.location, other) == elsewhere and elsewhere


def test_corrections_commit_once_and_set_aside_stale_and_unknown(small: SmallLake):
    store = ObjectStore(small.location)
    uid = small.calls_of(1)[0]
    day = small.start_of[uid].date()
    first = request(small, uid, "Medic 7 respond to 457 Maple Avenue for a fall victim")
    rival = request(small, uid, "Medic 8 respond to 455 Maple Avenue for a fall victim", editor="other")
    corrections.submit(store, first)
    corrections.submit(store, rival)
    ghost = CorrectionRequest.new("clarkco-1-1", day, "nothing", "ed", "x")
    corrections.submit(store, ghost)

    done = commit_day(small.location, store, day)

    assert len(done.committed) == 1 and set(done.rejected.values()) == {"stale_base", "unknown_call"}
    [row] = delta.read(small.location, TRANSCRIPT_CORRECTIONS).to_pylist()
    # the loser's text stays with a person, out of the queue, with its reason
    rejected = [k for k in store.list("rejected/corrections") if k.endswith(".reason")]
    assert len(rejected) == 2 and corrections.pending(store) == []
    # the same request delivered again (a retry after a lost reply) is recognised
    winner = first if row["request_id"] == first.request_id else rival
    corrections.submit(store, winner)
    again = commit_day(small.location, store, day)
    assert (again.committed, again.already_committed) == ([], 1)
    # a second edit builds on version 1
    corrections.submit(store, request(small, uid, "Medic 7 respond to 459 Maple Avenue", base_version=1))
    assert commit_day(small.location, store, day).committed == [(uid, 2)]
    text = {r["call_uid"]: r["text"] for r in effective_transcripts(small.location, day, []).to_pylist()}
    assert text[uid] == "Medic 7 respond to 459 Maple Avenue"


@pytest.mark.parametrize(
    ("text", "reason"),
    [("", "empty_text"), ("x" * (corrections.MAX_TEXT_CHARS + 1), "text_too_long"), ("a\x00b", "control_characters")],
)
def test_corrections_refuse_text_the_lake_will_not_keep(text: str, reason: str):
    with pytest.raises(BadCorrection) as raised:
        CorrectionRequest.new("clarkco-1-1", dt.date(2026, 1, 1), text, "ed", "base")
    assert raised.value.reason == reason


def test_corrections_overlay_keeps_machine_rows_and_moves_their_time(small: SmallLake):
    uid = small.call_uids[0]  # transcribed by two models
    day = small.start_of[uid].date()
    before = effective_transcripts(small.location, day, ["model_id", "transcribed_at"])
    corrections.submit(ObjectStore(small.location), request(small, uid, "Corrected words only"))
    commit_day(small.location, ObjectStore(small.location), day)
    after = effective_transcripts(small.location, day, ["model_id", "transcribed_at"])
    mine = [r for r in after.to_pylist() if r["call_uid"] == uid]
    assert len(mine) == 2 and {r["text"] for r in mine} == {"Corrected words only"}
    assert all(r["corrected"] for r in mine)
    old = {r["model_id"]: r["transcribed_at"] for r in before.to_pylist() if r["call_uid"] == uid}
    assert all(r["transcribed_at"] > old[r["model_id"]] for r in mine)
    assert sum(after["corrected"].to_pylist()) == 2 and after.num_rows == before.num_rows


def test_corrections_rerun_alerts_without_delivering_twice(small: SmallLake, tmp_path: Path, monkeypatch):
    from assets.alerts.assets import alert_deliveries, alerts
    from lake.tables import ALERT_DELIVERIES, ALERTS
    from resources.asr.resource import TranscriberResource
    from resources.notify.resource import NotifierResource
    from tests.resources.notify.receivers import http_receiver

    config = tmp_path / "alerts.yaml"
    config.write_text(
        "channels:\n  cad: {signing_secret_env: SCANLAKE_NOTIFY_CAD_SECRET}\n"
        "keyword_groups:\n  fire: {words: ['structure fire', 'brush fire']}\n"
        "subscriptions:\n  - {groups: [fire], channels: [cad]}\n"
    )
    uid = small.call_uids[0]  # scenario 0, the newest call: "... a structure fire at ..."
    assert small.scenario_of[uid] == 0
    day = small.start_of[uid].date().isoformat()
    # the fixture's own alerts were not written by the asset: start from none
    delta.delete_where_keys(small.location, ALERTS, delta.read(small.location, ALERTS, ["alert_id"]))
    with http_receiver() as hook:
        monkeypatch.setenv("SCANLAKE_NOTIFY_CAD", f"{hook.url}/scanlake")
        monkeypatch.setenv("SCANLAKE_NOTIFY_CAD_SECRET", "s")
        resources = {
            "lake": LakeResource(uri=small.location.uri),
            "notifier": NotifierResource(config_path=str(config), backoff_s=0.0, send_tries=1),
            "transcriber": TranscriberResource(model=MODEL),
        }
        dg.materialize([alerts, alert_deliveries], partition_key=day, resources=resources, selection=None)
        [before] = [r for r in delta.read(small.location, ALERTS).to_pylist() if r["call_uid"] == uid]
        assert len([m for m in hook.accepted() if uid in m.body.decode()]) == 1

        text = "Engine 12 respond to a brush fire at 455 Maple Avenue"
        corrections.submit(ObjectStore(small.location), request(small, uid, text))
        commit_day(small.location, ObjectStore(small.location), small.start_of[uid].date())
        dg.materialize([alerts, alert_deliveries], partition_key=day, resources=resources, selection=None)

        [after] = [r for r in delta.read(small.location, ALERTS).to_pylist() if r["call_uid"] == uid]
        assert after["alert_id"] == before["alert_id"] and after["matched_terms"] == ["brush fire"]
        assert after["match_start_s"] is None  # corrected words carry no audio time
        # the alert keeps its id, so its delivery is not planned or sent again
        assert len([m for m in hook.accepted() if uid in m.body.decode()]) == 1
    sent = [r for r in delta.read(small.location, ALERT_DELIVERIES).to_pylist() if r["alert_id"] == after["alert_id"]]
    assert [r["status"] for r in sent if r["attempt"] > 0][-1] == "sent"


def test_corrections_sensor_runs_the_corrected_day_downstream(small: SmallLake):
    from assets.transcripts.assets import correction_sensor

    uid = small.calls_of(2)[0]
    day = small.start_of[uid].date()
    context = dg.build_sensor_context(resources={"lake": LakeResource(uri=small.location.uri)})
    assert isinstance(correction_sensor(context), dg.SkipReason)

    corrections.submit(ObjectStore(small.location), request(small, uid, "Unit 23 10-50 at Fifth and Oak"))
    result = correction_sensor(context)
    [run] = result.run_requests
    assert run.partition_key == day.isoformat()
    # the same waiting requests map to the same run, so one tick after another asks once
    assert correction_sensor(context).run_requests[0].run_key == run.run_key
    assert {"transcript_corrections", "entities", "locations", "alerts"} <= {
        k.to_user_string() for k in correction_sensor.asset_selection.resolve(_graph())
    }

    commit_day(small.location, ObjectStore(small.location), day)
    assert isinstance(correction_sensor(context), dg.SkipReason)


def _graph() -> dg.AssetGraph:
    from orchestration.definitions import defs

    return defs.resolve_asset_graph()
