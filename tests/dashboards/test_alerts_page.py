"""The Alerts page and its queries on a small lake whose alerts have real delivery logs:
one sent to both channels, one still retrying, one failed, one retracted by a correction
after it was sent."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest
import yaml

from lake import LakeLocation, delta
from lake import queries as q
from lake.tables import ALERT_DELIVERIES, ALERTS, conform
from tests.dashboards.conftest import open_app
from tests.fixtures.small_lake import SmallLake, build_small_lake


@pytest.fixture(scope="module")
def alert_lake(tmp_path_factory: pytest.TempPathFactory) -> SmallLake:
    built = build_small_lake(LakeLocation(str(tmp_path_factory.mktemp("alerts") / "lake")))
    alerts = (
        delta.read(built.location, ALERTS).sort_by([("call_start_time", "descending")]).to_pylist()
    )
    sent, retrying, failed, retracted = alerts[0], alerts[1], alerts[2], alerts[3]
    now = built.now
    rows = []
    for alert, channel, attempt, status, error, notice in (
        (sent, "cad", 1, "sending", None, None),
        (sent, "cad", 2, "sent", None, None),
        (sent, "ops-mail", 1, "sent", None, None),
        (retrying, "cad", 1, "pending", "HTTP 503 from the webhook", None),
        (failed, "cad", 1, "failed", "connection refused", None),
        (retracted, "cad", 1, "sent", None, 0),
        (retracted, "cad", 3, "sent", None, 1),
    ):
        rows.append(
            dict(
                alert_id=alert["alert_id"],
                channel=channel,
                attempt=attempt,
                call_date=alert["call_date"],
                status=status,
                tries=attempt,
                last_error=error,
                run_id="r",
                next_attempt_at=None,
                sent_at=now if status == "sent" else None,
                updated_at=now,
                notice=notice,
            )
        )
    delta.merge(
        built.location, ALERT_DELIVERIES, conform(pa.Table.from_pylist(rows), ALERT_DELIVERIES)
    )
    reason = "transcript correction v1 by [ed](javascript:alert(1))"
    retracted.update(retracted_at=now, retraction_reason=reason)
    delta.merge(built.location, ALERTS, pa.Table.from_pylist([retracted], schema=ALERTS.schema))
    built.alert_ids = [a["alert_id"] for a in (sent, retrying, failed, retracted)]  # type: ignore[attr-defined]
    return built


def _in_window(lake: SmallLake, window: q.Window) -> int:
    starts = delta.read(lake.location, ALERTS)["call_start_time"].to_pylist()
    return sum(window.since <= t < window.until for t in starts)


def test_recent_alerts_carry_each_channels_latest_state(alert_lake):
    con = q.open_lake(alert_lake.location)
    window = q.Window.last(24, now=alert_lake.now + dt.timedelta(minutes=1))
    found = q.recent_alerts(con, window).set_index("alert_id")
    total = _in_window(alert_lake, window)
    assert len(found) == total
    sent, retrying, failed, retracted = (found.loc[a] for a in alert_lake.alert_ids)
    assert (
        list(sent["deliveries"]) == ["cad: sent", "ops-mail: sent"] and sent["channels_sent"] == 2
    )
    assert (
        retrying["channels_waiting"] == 1 and retrying["last_error"] == "HTTP 503 from the webhook"
    )
    assert failed["channels_failed"] == 1 and failed["channels_sent"] == 0
    assert found["retracted_at"].notna().sum() == 1 and retracted["retraction_reason"].startswith(
        "transcript"
    )
    assert list(retracted["deliveries"]) == ["cad: retraction sent"]
    groups = q.alert_groups(con, window)
    assert groups["alerts"].sum() == total - 1 and groups["retracted"].sum() == 1
    only = q.recent_alerts(con, window, groups=["crash"])
    assert set(only["keyword_group"]) == {"crash"} and 0 < len(only) < total


def test_alerts_page_shows_alerts_states_and_the_keyword_groups(alert_lake, monkeypatch, tmp_path):
    config = tmp_path / "alerts.yaml"
    config.write_text(
        yaml.safe_dump(
            {"keyword_groups": {"fire": {"words": ["fire"], "not": ["fire alarm test"]}}}
        )
    )
    monkeypatch.setenv("SCANLAKE_LAKE_URI", alert_lake.location.uri)
    monkeypatch.setenv("SCANLAKE_ALERTS_CONFIG", str(config))
    for name in ("SCANLAKE_DASHBOARD_AUTH", "SCANLAKE_DASHBOARD_PASSWORD", "DAGSTER_HOME"):
        monkeypatch.delenv(name, raising=False)
    at = open_app("views/alerts.py")
    total = _in_window(alert_lake, q.Window.last(24, now=alert_lake.now + dt.timedelta(minutes=1)))
    assert [m.value for m in at.metric] == [str(total - 1), "1", "1", "1"]
    captions = [c.value for c in at.caption]
    assert "cad: sent" in captions and "Last error: connection refused" in captions
    assert "cad: retraction sent" in captions
    [why] = [c for c in captions if c.startswith("Retracted ")]
    assert (
        "transcript correction v1 by" in why and "](javascript" not in why
    )  # the editor's text, escaped
    assert sum(":gray-badge[retracted]" in m.value for m in at.markdown) == 1
    assert len(at.get("audio")) == total
    assert at.json[0].value and "fire alarm test" in at.json[0].value
    at.multiselect(key="alerts_groups").set_value(["crash"]).run()
    assert int(at.metric[0].value) < total


def test_alerts_page_says_where_the_rules_would_come_from(alert_lake, monkeypatch, tmp_path):
    monkeypatch.setenv("SCANLAKE_LAKE_URI", alert_lake.location.uri)
    for name in (
        "SCANLAKE_ALERTS_CONFIG",
        "SCANLAKE_DASHBOARD_AUTH",
        "SCANLAKE_DASHBOARD_PASSWORD",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no config/alerts.yaml here: the resource's default is absent
    at = open_app("views/alerts.py")
    [warning] = at.warning
    assert (
        "config/alerts.yaml does not exist" in warning.value
        and "SCANLAKE_ALERTS_CONFIG" in warning.value
    )
