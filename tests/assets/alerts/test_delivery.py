"""The delivery protocol on a real lake, sending through real channels to a local receiver."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from assets.alerts import delivery
from assets.alerts.config import parse_config
from assets.alerts.delivery import DeliveryPolicy, deliver
from assets.alerts.delivery_log import DeliveryLog
from assets.alerts.evaluate import evaluate
from assets.alerts.message import notification
from lake import delta
from lake.tables import ALERT_DELIVERIES, ALERTS
from resources.notify.channels import ChannelSpec, send_with_retries
from tests.assets.alerts.rows import Call, inputs
from tests.resources.notify.receivers import http_receiver

CONFIG = parse_config(
    {
        "channels": {"hook": {"url_env": "HOOK"}},
        "keyword_groups": {"fire": {"words": ["fire"]}},
        "subscriptions": [{"groups": ["fire"], "channels": ["hook"]}],
    }
)


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def hook():
    with http_receiver() as receiver:
        yield receiver


@pytest.fixture
def alerts(lake):
    calls = [Call("working fire on Elm"), Call("fire on Oak", talkgroup=1202)]
    table = evaluate(inputs(calls), CONFIG, dt.datetime.now(dt.UTC))
    delta.merge(lake, ALERTS, table)
    return {r["alert_id"]: r for r in table.to_pylist()}


def run(lake, alerts, hook, clock=None, policy=None, channels=None, run_id="run-1"):
    env = {"HOOK": f"json://127.0.0.1:{hook.port}/alerts"}

    def send(channel, note):
        return send_with_retries(channel, note, env, 2, 0.0, 0.0, 5, sleep=lambda s: None)

    days = {a["call_date"] for a in alerts.values()}
    return deliver(
        DeliveryLog(lake, days),
        alerts,
        alerts.values(),
        CONFIG.channels if channels is None else channels,
        send,
        lambda alert, n, notice: notification(alert, None, "UTC", n, notice),
        policy or DeliveryPolicy(),
        run_id,
        clock or Clock(),
    )


def state(lake, alerts):
    return DeliveryLog(lake, {a["call_date"] for a in alerts.values()}).state()


def test_running_twice_sends_each_alert_once(lake, alerts, hook):
    first = run(lake, alerts, hook)
    second = run(lake, alerts, hook, run_id="run-2")
    assert (first.planned, first.sent) == (2, 2)
    assert (second.planned, second.sent) == (0, 0)
    assert sorted(r.headers["x-scanlake-alert-id"] for r in hook.accepted()) == sorted(alerts)
    assert {(r["status"], r["attempt"], r["tries"]) for r in state(lake, alerts).values()} == {
        ("sent", 1, 1)
    }
    log = delta.read(lake, ALERT_DELIVERIES).to_pylist()
    assert (
        sorted((r["attempt"], r["status"]) for r in log) == [(0, "pending")] * 2 + [(1, "sent")] * 2
    )


def test_a_failing_channel_stays_pending_then_succeeds_later(lake, alerts, hook):
    clock = Clock()
    hook.fail_always = True
    report = run(lake, alerts, hook, clock)
    assert report.sent == 0 and report.failed_attempts == 2
    rows = state(lake, alerts).values()
    assert {(r["status"], r["attempt"]) for r in rows} == {("pending", 1)}
    assert all("500" in r["last_error"] and r["next_attempt_at"] > clock.now for r in rows)

    hook.fail_always = False
    assert run(lake, alerts, hook, clock).waiting == 2  # still backing off: nothing sent
    assert hook.accepted() == []
    clock.advance(DeliveryPolicy().retry_after_s + 1)
    assert run(lake, alerts, hook, clock).sent == 2
    assert len(hook.accepted()) == 2
    assert {(r["status"], r["attempt"]) for r in state(lake, alerts).values()} == {("sent", 2)}


def test_backfill_records_suppressed_and_never_sends(lake, alerts, hook):
    report = run(lake, alerts, hook, policy=DeliveryPolicy(notify=False))
    assert report.held and report.suppressed == 2
    assert run(lake, alerts, hook).sent == 0  # a later live run does not pick them up
    assert hook.requests == []
    assert {r["status"] for r in state(lake, alerts).values()} == {"suppressed"}


def test_calls_older_than_the_limit_are_not_notified(lake, alerts, hook):
    clock = Clock()
    clock.advance(7 * 3600)
    assert run(lake, alerts, hook, clock).suppressed == 2
    assert hook.requests == []


def test_concurrent_runs_send_each_alert_once(lake, alerts, hook):
    start = threading.Barrier(4)
    reports = []

    def worker(i: int) -> None:
        start.wait()
        reports.append(run(lake, alerts, hook, run_id=f"run-{i}"))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(hook.accepted()) == 2
    assert sorted(r.headers["x-scanlake-alert-id"] for r in hook.accepted()) == sorted(alerts)
    assert sum(r.sent for r in reports) == 2


def test_a_crash_after_claiming_leaves_the_delivery_in_doubt(lake, alerts, hook):
    clock = Clock()
    aid = next(iter(alerts))
    log = DeliveryLog(lake, {alerts[aid]["call_date"]})
    log.plan(delivery.plan_rows([alerts[aid]], {}, DeliveryPolicy(), "r0", clock.now))
    # a run that died between claiming attempt 1 and recording its outcome
    orphan = {**log.state()[(aid, "hook")], "attempt": 1, "status": "sending", "run_id": "dead"}
    assert log.claim(orphan)
    assert not log.claim(orphan)  # the attempt is taken

    only = {aid: alerts[aid]}
    assert run(lake, only, hook, clock, policy=DeliveryPolicy(stale_after_s=60)).busy == 1
    clock.advance(61)
    assert run(lake, only, hook, clock, policy=DeliveryPolicy(stale_after_s=60)).in_doubt == 1
    assert run(lake, only, hook, clock, policy=DeliveryPolicy(stale_after_s=60)).in_doubt == 0
    assert hook.requests == []
    row = log.state()[(aid, "hook")]
    assert row["status"] == "in_doubt" and "dead" in row["last_error"]


def test_resend_in_doubt_for_idempotent_receivers(lake, alerts, hook):
    clock = Clock()
    channels = {"hook": ChannelSpec("hook", "HOOK", resend_in_doubt=True)}
    aid = next(iter(alerts))
    log = DeliveryLog(lake, {alerts[aid]["call_date"]})
    log.plan(delivery.plan_rows([alerts[aid]], {}, DeliveryPolicy(), "r0", clock.now))
    orphan = {**log.state()[(aid, "hook")], "attempt": 1, "status": "sending", "run_id": "dead"}
    assert log.claim(orphan)
    clock.advance(301)
    run(lake, {aid: alerts[aid]}, hook, clock, channels=channels)
    [req] = hook.accepted()
    assert req.headers["x-scanlake-alert-id"] == aid and req.headers["x-scanlake-attempt"] == "2"
    log_rows = sorted(
        (r["attempt"], r["status"]) for r in delta.read(lake, ALERT_DELIVERIES).to_pylist()
    )
    assert log_rows == [(0, "pending"), (1, "in_doubt"), (2, "sent")]


def test_give_up_after_attempts(lake, alerts, hook):
    clock = Clock()
    policy = DeliveryPolicy(give_up_after_attempts=2, retry_after_s=0)
    hook.fail_always = True
    run(lake, alerts, hook, clock, policy)
    report = run(lake, alerts, hook, clock, policy)
    assert report.gave_up == 2
    assert {(r["status"], r["attempt"]) for r in state(lake, alerts).values()} == {("failed", 2)}
    requests = len(hook.requests)
    run(lake, alerts, hook, clock, policy)
    assert len(hook.requests) == requests


def test_a_channel_missing_from_the_config_stays_pending(lake, alerts, hook):
    report = run(lake, alerts, hook, channels={})
    assert report.unknown_channel == 2 and hook.requests == []
    assert {r["status"] for r in state(lake, alerts).values()} == {"pending"}


def test_an_unset_channel_url_is_a_visible_pending_error(lake, alerts, hook):
    channels = {"hook": ChannelSpec("hook", "SCANLAKE_TEST_UNSET_URL")}
    run(lake, alerts, hook, channels=channels)
    rows = state(lake, alerts).values()
    assert {r["status"] for r in rows} == {"pending"}
    assert all("SCANLAKE_TEST_UNSET_URL" in r["last_error"] for r in rows)


class Crash(BaseException):
    """The run's process dying: nothing after it runs, not even an except clause."""


def test_a_crash_between_send_and_record_is_detected_not_resent(lake, alerts, hook):
    clock = Clock()
    aid = next(iter(alerts))
    only = {aid: alerts[aid]}
    env = {"HOOK": f"json://127.0.0.1:{hook.port}/alerts"}

    def send_then_die(channel, note):
        send_with_retries(channel, note, env, 1, 0.0, 0.0, 5)
        raise Crash

    log = DeliveryLog(lake, {alerts[aid]["call_date"]})
    render = lambda alert, n, notice: notification(alert, None, "UTC", n, notice)  # noqa: E731
    with pytest.raises(Crash):
        deliver(
            log,
            only,
            only.values(),
            CONFIG.channels,
            send_then_die,
            render,
            DeliveryPolicy(),
            "r1",
            clock,
        )
    assert len(hook.accepted()) == 1
    assert log.state()[(aid, "hook")]["status"] == "sending"

    assert run(lake, only, hook, clock).busy == 1  # too fresh to call abandoned
    clock.advance(DeliveryPolicy().stale_after_s + 1)
    assert run(lake, only, hook, clock).in_doubt == 1
    run(lake, only, hook, clock)
    assert len(hook.accepted()) == 1
    assert log.state()[(aid, "hook")]["status"] == "in_doubt"


def retracted(alerts, at=None):
    at = at or dt.datetime.now(dt.UTC)
    return {
        aid: {**a, "retracted_at": at, "retraction_reason": "corrected"}
        for aid, a in alerts.items()
    }


def events(hook):
    return [
        (
            r.headers["x-scanlake-alert-id"],
            r.headers["x-scanlake-event"],
            r.headers["x-scanlake-notice"],
        )
        for r in hook.accepted()
    ]


def test_a_retraction_goes_once_to_each_channel_that_got_the_alert(lake, alerts, hook):
    run(lake, alerts, hook)
    report = run(lake, retracted(alerts), hook, run_id="run-2")
    assert (report.notices_planned, report.sent) == (2, 2)
    assert sorted(events(hook)) == sorted(
        [(a, "alert", "0") for a in alerts] + [(a, "retraction", "1") for a in alerts]
    )
    assert run(lake, retracted(alerts), hook, run_id="run-3").sent == 0
    assert len(hook.accepted()) == 4
    assert {(r["status"], r["notice"]) for r in state(lake, alerts).values()} == {("sent", 1)}
    # the text says what it takes back, and the reference names the notice
    last = hook.accepted()[-1].json()
    assert (
        last["title"].startswith("[fire] RETRACTION: ")
        and "RETRACTED: corrected" in last["message"]
    )


def test_an_alert_retracted_before_it_was_sent_is_withdrawn_then_sent_when_restored(
    lake, alerts, hook
):
    clock = Clock()
    hook.fail_always = True
    run(lake, alerts, hook, clock)  # both stay pending
    hook.fail_always = False
    clock.advance(DeliveryPolicy().retry_after_s + 1)
    report = run(lake, retracted(alerts), hook, clock)
    assert (report.withdrawn, report.sent) == (2, 0)
    assert hook.accepted() == []  # the receiver never hears of it
    assert {r["status"] for r in state(lake, alerts).values()} == {"withdrawn"}
    assert run(lake, retracted(alerts), hook, clock).sent == 0
    report = run(lake, alerts, hook, clock)  # a later correction raises them again
    assert report.sent == 2 and sorted(events(hook)) == sorted((a, "alert", "0") for a in alerts)


def test_a_failing_retraction_is_retried_and_sent_once(lake, alerts, hook):
    clock = Clock()
    run(lake, alerts, hook, clock)
    hook.fail_always = True
    assert run(lake, retracted(alerts), hook, clock).failed_attempts == 2
    hook.fail_always = False
    assert run(lake, retracted(alerts), hook, clock).waiting == 2  # backing off, not replanned
    clock.advance(DeliveryPolicy().retry_after_s + 1)
    assert run(lake, retracted(alerts), hook, clock).sent == 2
    run(lake, retracted(alerts), hook, clock)
    assert sorted(e for e in events(hook) if e[1] == "retraction") == sorted(
        (a, "retraction", "1") for a in alerts
    )


def test_concurrent_runs_send_each_retraction_once(lake, alerts, hook):
    run(lake, alerts, hook)
    gone = retracted(alerts)
    start = threading.Barrier(4)

    def worker(i: int) -> None:
        start.wait()
        run(lake, gone, hook, run_id=f"run-{i}")

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(e for e in events(hook) if e[1] == "retraction") == sorted(
        (a, "retraction", "1") for a in alerts
    )


def test_a_suppressed_alert_retracted_and_restored_is_never_sent(lake, alerts, hook):
    run(lake, alerts, hook, policy=DeliveryPolicy(notify=False))
    run(lake, retracted(alerts), hook)
    run(lake, alerts, hook)
    assert hook.requests == []
    assert {r["status"] for r in state(lake, alerts).values()} == {"suppressed"}


def test_a_retraction_counts_its_own_attempts_toward_giving_up(lake, alerts, hook):
    clock = Clock()
    policy = DeliveryPolicy(give_up_after_attempts=2, retry_after_s=0)
    hook.fail_next = 4  # each alert's first attempt fails on both tries; its second is sent
    run(lake, alerts, hook, clock, policy)
    run(lake, alerts, hook, clock, policy)
    assert {(r["status"], r["attempt"]) for r in state(lake, alerts).values()} == {("sent", 2)}
    hook.fail_always = True
    report = run(lake, retracted(alerts), hook, clock, policy)
    assert (report.failed_attempts, report.gave_up) == (
        2,
        0,
    )  # its first attempt, not the alert's third
    assert {r["status"] for r in state(lake, alerts).values()} == {"pending"}
    assert run(lake, retracted(alerts), hook, clock, policy).gave_up == 2
