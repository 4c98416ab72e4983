"""Incident rules: "a new incident of type X inside geofence Y", from the YAML to a
delivered webhook, once per incident."""

from __future__ import annotations

import datetime as dt

import dagster as dg
import pytest
import yaml

from assets.alerts.assets import alert_deliveries, alerts
from assets.alerts.config import BadAlertConfig, Circle, parse_config
from assets.alerts.evaluate import read_inputs
from assets.alerts.incident_rules import evaluate_incidents
from assets.incidents.assets import incidents
from assets.incidents.partition import group_partition
from lake import delta
from lake.tables import ALERT_DELIVERIES, ALERTS
from resources.asr.resource import TranscriberResource
from resources.notify.resource import NotifierResource
from tests.fixtures.incident_lake import CALLS, write_calls
from tests.fixtures.scenarios import MODEL, PLACES
from tests.resources.notify.receivers import http_receiver

OAK = list(PLACES["1220 Oak Street"])
RULES = {
    "channels": {"cad": {"signing_secret_env": "SCANLAKE_NOTIFY_CAD_SECRET"}},
    "incident_rules": {
        "oak-fires": {"incident_types": ["structure fire"], "geofence": {"center": OAK, "radius_m": 500}},
        "any-crash": {"incident_types": ["MVA"]},
        "far-away": {"geofence": {"center": [41.9, -87.6], "radius_m": 1000}},
    },
    "subscriptions": [{"groups": ["oak-fires"], "channels": ["cad"]}],
}  # fmt: skip


def test_incident_rule_config_parses_and_refuses_mistakes() -> None:
    config = parse_config(RULES)
    rule = config.incident_rules["oak-fires"]
    assert rule.incident_types == {"structure_fire"} and isinstance(rule.geofence, Circle)
    with pytest.raises(BadAlertConfig, match="unknown keys"):
        parse_config({"incident_rules": {"x": {"incident_type": ["MVA"]}}})
    with pytest.raises(BadAlertConfig, match="needs incident_types"):
        parse_config({"incident_rules": {"x": {}}})
    clash = {"keyword_groups": {"x": {"words": ["fire"]}}, "incident_rules": {"x": {"incident_types": ["MVA"]}}}
    with pytest.raises(BadAlertConfig, match="both a keyword group and an incident rule"):
        parse_config(clash)


def test_incident_rules_match_type_and_geofence_once(lake) -> None:
    start = dt.datetime(2024, 5, 1, 14, tzinfo=dt.UTC)
    uids = write_calls(lake, start, tuple(c for c in CALLS if c.name != "f5"))
    now = start + dt.timedelta(hours=1)
    group_partition(lake, start.date(), now, MODEL)
    config = parse_config(RULES)
    rows = evaluate_incidents(read_inputs(lake, start.date(), MODEL), config, now).to_pylist()
    got = {(r["keyword_group"], r["call_uid"]) for r in rows}
    assert got == {("oak-fires", uids["f1"]), ("any-crash", uids["m1"])}
    fire = next(r for r in rows if r["keyword_group"] == "oak-fires")
    assert fire["channels"] == ["cad"] and fire["talkgroup"] == f"1001@{uids['f1'].split('-')[0]}"
    assert fire["snippet"].startswith("New structure fire at 1220 OAK STREET")
    # the incident grows (its clear comes in): the same alert, not a new one
    write_calls(lake, start, tuple(c for c in CALLS if c.name == "f5"))
    group_partition(lake, start.date(), now, MODEL)
    again = evaluate_incidents(read_inputs(lake, start.date(), MODEL), config, now).to_pylist()
    assert {r["alert_id"] for r in again} == {r["alert_id"] for r in rows}


def test_incident_alert_is_delivered_exactly_once(lake, lake_resource, tmp_path, monkeypatch) -> None:
    start = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(minutes=30)
    uids = write_calls(lake, start)
    path = tmp_path / "alerts.yaml"
    path.write_text(yaml.safe_dump(RULES))
    with http_receiver() as hook:
        monkeypatch.setenv("SCANLAKE_NOTIFY_CAD", f"{hook.url}/scanlake")
        monkeypatch.setenv("SCANLAKE_NOTIFY_CAD_SECRET", "hook-secret")
        for _ in range(2):
            result = dg.materialize(
                [incidents, alerts, alert_deliveries],
                partition_key=start.date().isoformat(),
                resources={
                    "lake": lake_resource,
                    "notifier": NotifierResource(config_path=str(path), backoff_s=0.0),
                    "transcriber": TranscriberResource(model=MODEL),
                },
            )
            assert result.success
        [sent] = hook.accepted()
    assert sent.json()["snippet"].startswith("New structure fire at 1220 OAK STREET")
    stored = {r["keyword_group"]: r for r in delta.read(lake, ALERTS).to_pylist()}
    assert set(stored) == {"oak-fires", "any-crash"} and stored["oak-fires"]["call_uid"] == uids["f1"]
    statuses = [r["status"] for r in delta.read(lake, ALERT_DELIVERIES).to_pylist()]
    assert statuses.count("sent") == 1
