"""Channels against real local receivers: Apprise's json://, signal:// and mailto:// plugins,
and the signed webhook, with retries and backoff."""

from __future__ import annotations

import pytest

from resources.notify.channels import (
    ChannelNotConfigured,
    ChannelSpec,
    Notification,
    send_once,
    send_with_retries,
)
from resources.notify.resource import NotifierResource
from resources.notify.signing import body_bytes, verify
from tests.resources.notify.receivers import http_receiver, smtp_receiver

NOTE = Notification(
    alert_id="a1b2c3",
    title="[structure-fire] Metro Fire Disp (1201@metro)",
    body="Engine 12 respond to a working fire at 1220 Oak Street\nref a1b2c3",
    payload={"alert_id": "a1b2c3", "snippet": "working fire at 1220 Oak Street", "lat": 41.88},
    attempt=1,
)


def test_json_webhook_through_apprise_carries_the_alert_id_header():
    with http_receiver() as hook:
        env = {"HOOK": f"json://127.0.0.1:{hook.port}/alerts"}
        send_once(ChannelSpec("hook", "HOOK"), NOTE, env, timeout_s=5)
    [req] = hook.requests
    assert req.path == "/alerts"
    assert req.headers["x-scanlake-alert-id"] == "a1b2c3"
    assert req.headers["x-scanlake-attempt"] == "1"
    body = req.json()
    assert body["title"] == NOTE.title
    assert "working fire at 1220 Oak Street" in body["message"]


def test_signal_rest_api_shape():
    with http_receiver() as signal:
        env = {"SIG": f"signal://127.0.0.1:{signal.port}/+15551230000/+15557654321"}
        send_once(ChannelSpec("sig", "SIG"), NOTE, env, timeout_s=5)
    [req] = signal.accepted()
    assert req.path == "/v2/send"
    data = req.json()
    assert data["number"] == "+15551230000"
    assert data["recipients"] == ["+15557654321"]
    assert "1220 Oak Street" in data["message"] and "ref a1b2c3" in data["message"]


def test_email_through_smtp():
    with smtp_receiver() as smtp:
        env = {
            "MAIL": f"mailto://127.0.0.1:{smtp.port}?smtp=127.0.0.1&mode=insecure"
            "&from=scanlake@example.org&to=ops@example.org"
        }
        send_once(ChannelSpec("mail", "MAIL"), NOTE, env, timeout_s=5)
    [(rcpt, msg)] = smtp.messages
    assert rcpt == ["ops@example.org"]
    assert msg["Subject"] == NOTE.title
    assert msg["X-Scanlake-Alert-Id"] == "a1b2c3"
    text = "".join(
        part.get_payload(decode=True).decode()
        for part in msg.walk()
        if part.get_content_type() == "text/plain"
    )
    assert "working fire at 1220 Oak Street" in text


def test_signed_webhook_verifies_on_the_exact_bytes_received():
    with http_receiver() as hook:
        env = {"URL": f"{hook.url}/signed", "SECRET": "s3cret"}
        send_once(ChannelSpec("signed", "URL", "SECRET"), NOTE, env, timeout_s=5)
    [req] = hook.requests
    header = req.headers["x-scanlake-signature"]
    assert req.body == body_bytes(NOTE.payload)
    assert verify("s3cret", req.body, header)
    assert not verify("wrong", req.body, header)
    assert not verify("s3cret", req.body.replace(b"1220", b"1221"), header)
    assert req.json()["snippet"] == "working fire at 1220 Oak Street"
    assert req.headers["x-scanlake-alert-id"] == "a1b2c3"


def test_retries_back_off_until_the_receiver_recovers():
    waits: list[float] = []
    with http_receiver(fail_next=2) as hook:
        result = send_with_retries(
            ChannelSpec("hook", "HOOK"),
            NOTE,
            {"HOOK": f"json://127.0.0.1:{hook.port}/"},
            tries=4,
            backoff_s=0.2,
            backoff_max_s=5,
            timeout_s=5,
            sleep=waits.append,
        )
    assert result.ok and result.tries == 3
    assert len(hook.requests) == 3 and len(hook.accepted()) == 1
    assert len(waits) == 2
    assert 0.1 <= waits[0] <= 0.2 and 0.2 <= waits[1] <= 0.4  # doubling, with jitter


def test_a_channel_that_keeps_failing_reports_its_error():
    with http_receiver(fail_always=True, fail_status=503) as hook:
        env = {"URL": hook.url, "SECRET": "k"}
        result = send_with_retries(
            ChannelSpec("signed", "URL", "SECRET"),
            NOTE,
            env,
            3,
            0.01,
            0.01,
            5,
            sleep=lambda s: None,
        )
    assert not result.ok and result.tries == 3
    assert "503" in (result.error or "")
    assert len(hook.requests) == 3


def test_unset_url_is_not_retried():
    waits: list[float] = []
    result = send_with_retries(
        ChannelSpec("x", "NOT_SET"), NOTE, {}, 4, 1, 1, 1, sleep=waits.append
    )
    assert not result.ok and result.tries == 1 and waits == []
    assert "NOT_SET" in (result.error or "")


def test_unusable_urls_are_configuration_errors():
    with pytest.raises(ChannelNotConfigured):
        send_once(ChannelSpec("x", "U"), NOTE, {"U": "nosuchservice://nowhere"}, 1)
    with pytest.raises(ChannelNotConfigured):
        send_once(ChannelSpec("x", "U", "S"), NOTE, {"U": "json://127.0.0.1/", "S": "k"}, 1)
    with pytest.raises(ChannelNotConfigured):
        send_once(ChannelSpec("x", "U", "S"), NOTE, {"U": "http://127.0.0.1/"}, 1)


def test_resource_refuses_a_staleness_shorter_than_one_attempt():
    with pytest.raises(ValueError, match="stale_after_s"):
        NotifierResource(send_tries=4, timeout_s=10, backoff_max_s=8, stale_after_s=60)
    assert NotifierResource(stale_after_s=600).stale_after_s == 600


def test_delivery_errors_carry_no_alert_text_and_no_channel_token(caplog):
    import logging

    caplog.set_level(logging.INFO)
    with http_receiver(fail_always=True, fail_status=502, echo_on_failure=True) as hook:
        signed = send_with_retries(
            ChannelSpec("signed", "URL", "SECRET"), NOTE, {"URL": hook.url + "/hook/s3cr3tpath", "SECRET": "k"},
            1, 0.01, 0.01, 5, sleep=lambda s: None,
        )
        apprised = send_with_retries(
            ChannelSpec("hook", "HOOK"), NOTE, {"HOOK": f"json://127.0.0.1:{hook.port}/tok3nvalue"},
            1, 0.01, 0.01, 5, sleep=lambda s: None,
        )
    assert signed.error == "HTTP 502 Bad Gateway"
    assert apprised.error and not apprised.ok
    for text in (signed.error, apprised.error, caplog.text):
        assert "Oak Street" not in text and "s3cr3tpath" not in text and "tok3nvalue" not in text


@pytest.mark.parametrize(("status", "sends"), [(404, 1), (400, 1), (429, 3), (408, 3)])
def test_a_refusal_for_good_is_not_sent_again(status: int, sends: int):
    waits: list[float] = []
    with http_receiver(fail_always=True, fail_status=status) as hook:
        result = send_with_retries(
            ChannelSpec("signed", "URL", "SECRET"), NOTE, {"URL": hook.url, "SECRET": "k"},
            3, 0.01, 0.01, 5, sleep=waits.append,
        )
    assert not result.ok and result.tries == sends and str(status) in (result.error or "")
    assert len(hook.requests) == sends and len(waits) == sends - 1
