"""End to end: ``alerts`` and ``alert_deliveries`` materialized on a small lake, sending to
real local receivers (signed webhook, Signal REST API, SMTP)."""

from __future__ import annotations

import dagster as dg
import pyarrow as pa
import pytest
import yaml

from assets.alerts.assets import alert_deliveries, alert_retry_sensor, alerts, deliveries_not_stuck
from lake import delta
from lake.tables import ALERT_DELIVERIES, ALERTS
from resources.asr.resource import TranscriberResource
from resources.notify.resource import NotifierResource
from resources.notify.signing import verify
from tests.assets.alerts.rows import Call, write
from tests.resources.notify.receivers import http_receiver, smtp_receiver

SECRET = "hook-secret"


@pytest.fixture
def receivers(monkeypatch):
    with http_receiver() as hook, http_receiver() as signal, smtp_receiver() as smtp:
        monkeypatch.setenv("SCANLAKE_NOTIFY_CAD", f"{hook.url}/scanlake")
        monkeypatch.setenv("SCANLAKE_NOTIFY_CAD_SECRET", SECRET)
        monkeypatch.setenv(
            "SCANLAKE_NOTIFY_DISPATCH",
            f"signal://127.0.0.1:{signal.port}/+15551230000/+15557654321",
        )
        monkeypatch.setenv(
            "SCANLAKE_NOTIFY_OPS_MAIL",
            f"mailto://127.0.0.1:{smtp.port}?smtp=127.0.0.1&mode=insecure&from=scanlake@example.org&to=ops@example.org",
        )
        yield hook, signal, smtp


@pytest.fixture
def config_path(tmp_path):
    path = tmp_path / "alerts.yaml"
    config = {
        "channels": {
            "cad": {"signing_secret_env": "SCANLAKE_NOTIFY_CAD_SECRET"},
            "dispatch": {},
            "ops-mail": {},
        },
        "keyword_groups": {"fire": {"words": ["fire"], "not": ["fire alarm test"]}},
        "subscriptions": [{"groups": ["fire"], "channels": ["cad", "dispatch", "ops-mail"]}],
    }
    path.write_text(yaml.safe_dump(config))
    return str(path)


@pytest.fixture
def calls(lake):
    found = [
        Call("Engine 12 working fire at 1220 Oak", place=("1220 Oak St", 41.92, -87.65)),
        Call("fire alarm test at the school", talkgroup=1202),
        Call("Medic 4 respond", talkgroup=1203),
    ]
    write(lake, found)
    return found


def materialize(lake_resource, config_path, tags=None, **settings):
    notifier = NotifierResource(
        config_path=config_path, backoff_s=0.0, backoff_max_s=0.0, send_tries=2, **settings
    )
    day = Call("").day.isoformat()
    result = dg.materialize(
        [alerts, alert_deliveries, deliveries_not_stuck],
        partition_key=day,
        resources={
            "lake": lake_resource,
            "notifier": notifier,
            "transcriber": TranscriberResource(model="tiny.en"),
        },
        tags=tags or {},
    )
    assert result.success
    return result


def deliveries(lake):
    rows = delta.read(lake, ALERT_DELIVERIES).to_pylist()
    newest = {}
    for r in rows:
        if r["attempt"] >= newest.get(r["channel"], {"attempt": -1})["attempt"]:
            newest[r["channel"]] = r
    return newest


def test_materializing_twice_notifies_each_channel_once(
    lake, lake_resource, config_path, calls, receivers
):
    hook, signal, smtp = receivers
    materialize(lake_resource, config_path)
    materialize(lake_resource, config_path)

    [alert] = delta.read(lake, ALERTS).to_pylist()
    assert alert["call_uid"] == calls[0].uid
    assert [w["word"] for w in alert["matched_words"]] == ["fire"]
    assert alert["matched_words"][0]["start_s"] == 1.5 and alert["location"] == "1220 Oak St"

    [webhook] = hook.accepted()
    assert verify(SECRET, webhook.body, webhook.headers["x-scanlake-signature"])
    body = webhook.json()
    assert body["alert_id"] == alert["alert_id"] and body["talkgroup"] == "1201@metro"
    assert body["snippet"] == "Engine 12 working fire at 1220 Oak"
    assert body["audio_url"].endswith(f"{calls[0].uid}.wav")
    assert body["location"] == {"text": "1220 Oak St", "lat": 41.92, "lon": -87.65}
    [sig] = signal.accepted()
    assert (
        sig.json()["recipients"] == ["+15557654321"]
        and f"ref {alert['alert_id']}" in sig.json()["message"]
    )
    [(rcpt, mail)] = smtp.messages
    assert mail["X-Scanlake-Alert-Id"] == alert["alert_id"]
    assert {c: r["status"] for c, r in deliveries(lake).items()} == {
        "cad": "sent",
        "dispatch": "sent",
        "ops-mail": "sent",
    }


def test_a_failing_channel_stays_pending_and_a_later_run_delivers(
    lake, lake_resource, config_path, calls, receivers
):
    hook, signal, smtp = receivers
    hook.fail_always = True
    first = materialize(lake_resource, config_path, retry_after_s=0)
    pending = deliveries(lake)["cad"]
    assert (
        pending["status"] == "pending" and "500" in pending["last_error"] and pending["tries"] == 2
    )
    meta = first.asset_materializations_for_node("alert_deliveries")[0].metadata
    assert meta["sent"].value == 2 and meta["failed_attempts"].value == 1

    hook.fail_always = False
    materialize(lake_resource, config_path, retry_after_s=0)
    assert len(hook.accepted()) == 1 and len(signal.accepted()) == 1 and len(smtp.messages) == 1
    assert deliveries(lake)["cad"]["status"] == "sent"


def test_backfill_runs_do_not_notify_unless_allowed(
    lake, lake_resource, config_path, calls, receivers
):
    hook, signal, smtp = receivers
    materialize(lake_resource, config_path, tags={"dagster/backfill": "bf-1"})
    assert hook.requests == [] and signal.requests == [] and smtp.messages == []
    assert {r["status"] for r in deliveries(lake).values()} == {"suppressed"}
    assert delta.read(lake, ALERTS).num_rows == 1  # the alert itself is recorded
    materialize(lake_resource, config_path)  # a live run later does not send them either
    assert hook.requests == []


def test_backfill_notifies_when_switched_on(lake, lake_resource, config_path, calls, receivers):
    hook, signal, smtp = receivers
    materialize(
        lake_resource, config_path, tags={"dagster/backfill": "bf-2"}, notify_backfills=True
    )
    assert len(hook.accepted()) == 1 and len(signal.accepted()) == 1 and len(smtp.messages) == 1


def test_check_warns_on_given_up_deliveries(lake, lake_resource, config_path, calls, receivers):
    hook, _, _ = receivers
    hook.fail_always = True
    result = materialize(lake_resource, config_path, give_up_after_attempts=1)
    [check] = result.get_asset_check_evaluations()
    assert not check.passed and check.severity == dg.AssetCheckSeverity.WARN
    assert deliveries(lake)["cad"]["status"] == "failed"


def test_retry_sensor_requests_a_run_only_when_something_is_due(
    lake, lake_resource, config_path, calls, receivers
):
    hook, _, _ = receivers
    notifier = NotifierResource(config_path=config_path, retry_after_s=0)
    context = dg.build_sensor_context(resources={"lake": lake_resource, "notifier": notifier})
    assert isinstance(alert_retry_sensor(context), dg.SkipReason)
    hook.fail_always = True
    materialize(lake_resource, config_path, retry_after_s=0)
    result = alert_retry_sensor(
        dg.build_sensor_context(resources={"lake": lake_resource, "notifier": notifier})
    )
    [request] = result.run_requests
    assert request.partition_key == Call("").day.isoformat()
    hook.fail_always = False
    materialize(lake_resource, config_path, retry_after_s=0)
    assert isinstance(
        alert_retry_sensor(
            dg.build_sensor_context(resources={"lake": lake_resource, "notifier": notifier})
        ),
        dg.SkipReason,
    )


def test_a_retraction_reaches_every_channel_that_got_the_alert_and_the_sensor_sees_it_owed(
    lake, lake_resource, config_path, calls, receivers
):
    hook, signal, smtp = receivers
    notifier = NotifierResource(config_path=config_path, backoff_s=0.0, send_tries=2)
    resources = {"lake": lake_resource, "notifier": notifier}
    materialize(lake_resource, config_path)
    # the alerts step retracted it while this run sent it: no delivery run has seen it yet
    [alert] = delta.read(lake, ALERTS).to_pylist()
    retracted = {**alert, "retracted_at": alert["created_at"], "retraction_reason": "v1 by ed"}
    delta.merge(lake, ALERTS, pa.Table.from_pylist([retracted], schema=ALERTS.schema))
    context = dg.build_sensor_context(resources=resources)
    [request] = alert_retry_sensor(context).run_requests
    assert request.partition_key == Call("").day.isoformat()

    dg.materialize([alert_deliveries], partition_key=request.partition_key, resources=resources)
    assert [r.json()["event"] for r in hook.accepted()] == ["alert", "retraction"]
    assert verify(
        SECRET, hook.accepted()[1].body, hook.accepted()[1].headers["x-scanlake-signature"]
    )
    [_, sig] = signal.accepted()
    assert sig.json()["message"].splitlines()[1] == "RETRACTED: v1 by ed"
    [_, (_, mail)] = smtp.messages
    assert (mail["X-Scanlake-Event"], mail["X-Scanlake-Notice"]) == ("retraction", "1")
    assert {c: (r["status"], r["notice"]) for c, r in deliveries(lake).items()} == {
        c: ("sent", 1) for c in ("cad", "dispatch", "ops-mail")
    }
    assert isinstance(
        alert_retry_sensor(dg.build_sensor_context(resources=resources)), dg.SkipReason
    )
