"""Retraction end to end on the small lake: a correction that no longer matches retracts the
alert (kept, with when and why), its channel gets one signed retraction whatever re-runs do,
and a later correction that matches again restores it with one more message."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dagster as dg
import pyarrow as pa
import pytest

from assets.alerts.assets import alert_deliveries, alerts
from assets.alerts.evaluate import alert_id
from assets.alerts.retraction import retractions
from assets.transcripts.corrections import commit_day
from lake import LakeLocation, corrections, delta
from lake.corrections import CorrectionRequest
from lake.effective import effective_transcripts
from lake.objects import ObjectStore
from lake.tables import ALERT_DELIVERIES, ALERTS, CALL_DUPLICATES
from resources.asr.resource import TranscriberResource
from resources.lake import LakeResource
from resources.notify.resource import NotifierResource
from resources.notify.signing import verify
from tests.fixtures.scenarios import MODEL
from tests.fixtures.small_lake import SmallLake, build_small_lake
from tests.resources.notify.receivers import http_receiver

SECRET = "retraction-test-secret"
CONFIG = (
    "channels:\n  cad: {signing_secret_env: SCANLAKE_NOTIFY_CAD_SECRET}\n"
    "keyword_groups:\n  fire: {words: ['structure fire', 'brush fire']}\n"
    "  medical: {words: ['fall victim']}\n"
    "subscriptions:\n  - {groups: [fire, medical], channels: [cad]}\n"
)


@pytest.fixture
def small(tmp_path: Path) -> SmallLake:
    lake = build_small_lake(LakeLocation(str(tmp_path / "lake")))
    # the fixture's own alerts were not written by the asset: start from none
    delta.delete_where_keys(lake.location, ALERTS, delta.read(lake.location, ALERTS, ["alert_id"]))
    return lake


def correct(lake: SmallLake, uid: str, text: str, version: int) -> None:
    day = lake.start_of[uid].date()
    base = next(
        r["text"]
        for r in effective_transcripts(lake.location, day, []).to_pylist()
        if r["call_uid"] == uid
    )
    request = CorrectionRequest.new(
        uid, day, text, "ed@example.org", base, base_version=version, base_model_id=MODEL
    )
    corrections.submit(ObjectStore(lake.location), request)
    assert commit_day(lake.location, ObjectStore(lake.location), day).committed == [
        (uid, version + 1)
    ]


def the_alert(lake: SmallLake, uid: str) -> dict:
    [row] = [r for r in delta.read(lake.location, ALERTS).to_pylist() if r["call_uid"] == uid]
    return row


def test_a_correction_retracts_the_alert_once_and_a_later_one_restores_it(
    small, tmp_path, monkeypatch
):
    config = tmp_path / "alerts.yaml"
    config.write_text(CONFIG)
    uid = small.call_uids[0]  # scenario 0, the newest call: "... a structure fire at ..."
    assert small.scenario_of[uid] == 0
    day = small.start_of[uid].date().isoformat()
    resources = {
        "lake": LakeResource(uri=small.location.uri),
        "notifier": NotifierResource(config_path=str(config), backoff_s=0.0, send_tries=1),
        "transcriber": TranscriberResource(model=MODEL),
    }

    def run() -> dg.ExecuteInProcessResult:
        return dg.materialize(
            [alerts, alert_deliveries], partition_key=day, resources=resources, selection=None
        )

    with http_receiver() as hook:
        monkeypatch.setenv("SCANLAKE_NOTIFY_CAD", f"{hook.url}/scanlake")
        monkeypatch.setenv("SCANLAKE_NOTIFY_CAD_SECRET", SECRET)

        def messages() -> list:
            return [m for m in hook.accepted() if m.json()["call_uid"] == uid]

        run()
        first = the_alert(small, uid)
        assert first["retracted_at"] is None
        [alerted] = messages()
        assert alerted.json()["event"] == "alert" and alerted.headers["x-scanlake-notice"] == "0"
        others = len(hook.accepted())

        # the editor hears a medical call, not a fire: the alert no longer stands
        correct(small, uid, "Engine 12 respond to a medical call at 455 Maple Avenue", version=0)
        result = run()
        retracted = the_alert(small, uid)
        assert (
            retracted["alert_id"] == first["alert_id"]
            and retracted["matched_terms"] == first["matched_terms"]
        )
        assert (
            retracted["retracted_at"] is not None and retracted["created_at"] == first["created_at"]
        )
        assert "correction v1 by ed@example.org" in retracted["retraction_reason"]
        assert "'fire'" in retracted["retraction_reason"]
        meta = result.asset_materializations_for_node("alerts")[0].metadata
        assert meta["retracted"].value == 1
        [_, retraction] = messages()
        # signed as alerts are, over the exact bytes received
        assert verify(SECRET, retraction.body, retraction.headers["x-scanlake-signature"])
        body = retraction.json()
        assert (body["event"], body["notice"], body["alert_id"]) == (
            "retraction",
            1,
            first["alert_id"],
        )
        assert body["retraction_reason"] == retracted["retraction_reason"] and body["retracted_at"]
        headers = retraction.headers
        assert (headers["x-scanlake-event"], headers["x-scanlake-notice"]) == ("retraction", "1")
        assert headers["x-scanlake-alert-id"] == first["alert_id"]
        # no other alert was touched, and nothing else was sent
        assert len(hook.accepted()) == others + 1

        # re-runs (the sensor's, a retry) send nothing more and keep when it was retracted
        run()
        run()
        assert len(messages()) == 2 and len(hook.accepted()) == others + 1
        assert the_alert(small, uid)["retracted_at"] == retracted["retracted_at"]

        # a second correction hears the fire after all: the alert stands again
        correct(small, uid, "Engine 12 respond to a brush fire at 455 Maple Avenue", version=1)
        result = run()
        restored = the_alert(small, uid)
        assert restored["retracted_at"] is None and restored["retraction_reason"] is None
        assert restored["matched_terms"] == ["brush fire"]
        assert result.asset_materializations_for_node("alerts")[0].metadata["restored"].value == 1
        run()
        [_, _, restoration] = messages()
        assert verify(SECRET, restoration.body, restoration.headers["x-scanlake-signature"])
        assert (restoration.json()["event"], restoration.json()["notice"]) == ("restoration", 2)
        assert restoration.json()["retracted_at"] is None
        assert len(hook.accepted()) == others + 2

    log = [
        r
        for r in delta.read(small.location, ALERT_DELIVERIES).to_pylist()
        if r["alert_id"] == first["alert_id"]
    ]
    sent = sorted((r["attempt"], r["notice"] or 0) for r in log if r["status"] == "sent")
    assert [notice for _, notice in sent] == [0, 1, 2]


def test_a_correction_that_still_matches_keeps_the_alert_standing(small, tmp_path, monkeypatch):
    config = tmp_path / "alerts.yaml"
    config.write_text(CONFIG)
    uid = small.call_uids[0]
    day = small.start_of[uid].date().isoformat()
    resources = {
        "lake": LakeResource(uri=small.location.uri),
        "notifier": NotifierResource(config_path=str(config), backoff_s=0.0, send_tries=1),
        "transcriber": TranscriberResource(model=MODEL),
    }
    with http_receiver() as hook:
        monkeypatch.setenv("SCANLAKE_NOTIFY_CAD", f"{hook.url}/scanlake")
        monkeypatch.setenv("SCANLAKE_NOTIFY_CAD_SECRET", SECRET)
        dg.materialize(
            [alerts, alert_deliveries], partition_key=day, resources=resources, selection=None
        )
        sent = len(hook.accepted())
        correct(small, uid, "Engine 12 respond to a structure fire at 455 Maple Avenue", version=0)
        dg.materialize(
            [alerts, alert_deliveries], partition_key=day, resources=resources, selection=None
        )
        assert the_alert(small, uid)["retracted_at"] is None
        assert len(hook.accepted()) == sent


def test_only_a_correction_of_an_evaluated_call_retracts_a_keyword_alert():
    now = dt.datetime(2026, 12, 5, 12, tzinfo=dt.UTC)
    fix = {"version": 2, "editor": "ed"}

    def row(uid: str, group: str, aid: str | None = None) -> dict:
        return {
            "alert_id": aid or alert_id(uid, group),
            "call_uid": uid,
            "keyword_group": group,
            "retracted_at": None,
        }

    known = [
        row("a", "fire"),  # corrected, evaluated, no longer raised: retracted
        row("b", "fire"),  # not corrected (a model's new text, say): stands
        row("c", "fire"),  # corrected but not evaluated this run (another model's call)
        row("a", "gone"),  # its group was taken out of the YAML
        row("a", "big-fire", aid=alert_id("inc-a", "big-fire")),  # an incident rule's alert
        {**row("d", "fire"), "retracted_at": now - dt.timedelta(hours=1)},  # already retracted
        row("e", "fire"),  # corrected and raised again
        row("f", "fire"),  # not evaluated: a copy of "g", kept in its place
    ]
    out = retractions(
        known,
        raised={alert_id("e", "fire")},
        evaluated={"a", "b", "d", "e"},
        corrections={u: fix for u in "acde"},
        groups={"fire", "big-fire"},
        now=now,
        duplicates={"f": "g"},
    )
    assert [(r["call_uid"], r["keyword_group"]) for r in out] == [("a", "fire"), ("f", "fire")]
    assert "copy of g" in out[1]["retraction_reason"]
    assert out[0]["retracted_at"] == now and "v2 by ed" in out[0]["retraction_reason"]


def test_a_copy_demoted_after_it_was_alerted_on_has_its_alert_retracted(
    small, tmp_path, monkeypatch
):
    config = tmp_path / "alerts.yaml"
    config.write_text(CONFIG)
    uid = small.call_uids[0]  # "... a structure fire at ...": alerted on
    day = small.start_of[uid].date()
    better = next(u for u in small.call_uids[1:] if small.start_of[u].date() == day)
    resources = {
        "lake": LakeResource(uri=small.location.uri),
        "notifier": NotifierResource(config_path=str(config), backoff_s=0.0, send_tries=1),
        "transcriber": TranscriberResource(model=MODEL),
    }

    def run() -> None:
        dg.materialize(
            [alerts, alert_deliveries],
            partition_key=day.isoformat(),
            resources=resources,
            selection=None,
        )

    with http_receiver() as hook:
        monkeypatch.setenv("SCANLAKE_NOTIFY_CAD", f"{hook.url}/scanlake")
        monkeypatch.setenv("SCANLAKE_NOTIFY_CAD_SECRET", SECRET)
        run()
        sent = len(hook.accepted())
        # a later run finds the call to be a worse copy of another capture's (call_duplicates)
        start = small.start_of[uid]
        link = {
            "call_uid": uid, "call_date": day, "system": "clarkco", "source": "test",
            "capture_system": "clarkco-south", "talkgroup": 1001, "start_time": start,
            "kept_call_uid": better, "kept_call_date": day, "is_duplicate": True, "copies": 2,
            "start_offset_s": 0.4, "decided_at": small.now,
        }  # fmt: skip
        delta.merge(
            small.location,
            CALL_DUPLICATES,
            pa.Table.from_pylist([link], schema=CALL_DUPLICATES.schema),
        )
        run()
        run()
        gone = the_alert(small, uid)
        assert gone["retracted_at"] is not None and f"copy of {better}" in gone["retraction_reason"]
        [retraction] = [m for m in hook.accepted()[sent:] if m.json()["call_uid"] == uid]
        assert retraction.json()["event"] == "retraction" and len(hook.accepted()) == sent + 1
        assert verify(SECRET, retraction.body, retraction.headers["x-scanlake-signature"])
