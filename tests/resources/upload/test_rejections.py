"""Everything the service refuses, it refuses with a clear status and line, and writes nothing."""

from __future__ import annotations

import socket
import time

import httpx
import pytest

from resources.upload import UploadSettings
from tests.resources.upload.conftest import Service, running
from tests.resources.upload.support import TrunkRecorderCall, encoded, libcurl_mime, wav_bytes


def _post(service: Service, call: TrunkRecorderCall, path: str = "/api/call-upload") -> httpx.Response:
    headers, body = libcurl_mime(call)
    return httpx.post(f"{service.url}{path}", headers=headers, content=body, timeout=30)


def _with(call: TrunkRecorderCall, **fields: str) -> tuple[dict[str, str], bytes]:
    """The plugin's request with some text fields replaced (``""`` drops nothing: it sends empty)."""
    headers, body = libcurl_mime(call)
    for name, value in fields.items():
        old = dict(call.fields())[name]
        marker = f'name="{name}"\r\n\r\n'
        body = body.replace(f"{marker}{old}\r\n".encode(), f"{marker}{value}\r\n".encode())
    return headers, body


@pytest.mark.parametrize(
    ("key", "status"),
    [("", 401), ("not-a-key-we-know-0123456789", 401), ("metro-only-key-0123456789", 403)],
)
def test_missing_wrong_or_unauthorized_keys_write_nothing(service: Service, key: str, status: int) -> None:
    reply = _post(service, TrunkRecorderCall(audio=wav_bytes(1.0), api_key=key))

    assert (reply.status_code, reply.text) == (status, "Invalid API key for system countyfire talkgroup 1234.\n")
    assert service.stored_objects() == []


def test_a_key_limited_to_a_system_uploads_for_it(service: Service) -> None:
    call = TrunkRecorderCall(audio=wav_bytes(1.0), api_key="metro-only-key-0123456789", short_name="metro")
    assert _post(service, call).status_code == 200
    assert [m.system for m, _, _ in service.landed()] == ["metro"]


@pytest.mark.parametrize(
    ("fields", "reply"),
    [
        ({"talkgroup": "0"}, "Incomplete call data: no talkgroup"),
        ({"talkgroup": "", "dateTime": ""}, "Incomplete call data: no talkgroup"),
        ({"system": "0", "systemLabel": ""}, "Incomplete call data: no system"),
        ({"dateTime": ""}, "Incomplete call data: no datetime"),
    ],
)
def test_incomplete_calls_get_rdio_scanners_417(service: Service, fields: dict[str, str], reply: str) -> None:
    headers, body = _with(TrunkRecorderCall(audio=wav_bytes(1.0), api_key=service.key), **fields)
    answer = httpx.post(f"{service.url}/api/call-upload", headers=headers, content=body)

    assert (answer.status_code, answer.text) == (417, f"{reply}\n")
    assert service.stored_objects() == []


def test_a_call_without_audio_is_incomplete(service: Service) -> None:
    answer = _post(service, TrunkRecorderCall(audio=wav_bytes(0.001)[:44], api_key=service.key))
    assert (answer.status_code, answer.text) == (417, "Incomplete call data: no audio\n")


@pytest.mark.parametrize(
    ("fields", "reply"),
    [
        ({"talkgroup": "tg-12"}, "Invalid call data: talkgroup: 'tg-12' is not a number"),
        ({"dateTime": "yesterday"}, "Invalid call data: dateTime: 'yesterday' is neither Unix seconds nor RFC 3339"),
        ({"dateTime": "2024-03-09T14:05:07"}, "Invalid call data: dateTime: '2024-03-09T14:05:07' has no timezone"),
        ({"sources": "[{ pos: 0 }"}, "Invalid call data: sources: not JSON"),
        ({"frequencies": '{"freq": 1}'}, "Invalid call data: frequencies: not a JSON array"),
        ({"patches": '["a"]'}, "Invalid call data: patches: 'a' is not a talkgroup number"),
        ({"frequency": "-5"}, "Invalid call data: frequency: -5 is negative"),
    ],
)
def test_malformed_fields_get_400_naming_the_field(service: Service, fields: dict[str, str], reply: str) -> None:
    headers, body = _with(TrunkRecorderCall(audio=wav_bytes(1.0), api_key=service.key), **fields)
    answer = httpx.post(f"{service.url}/api/call-upload", headers=headers, content=body)

    assert (answer.status_code, answer.text) == (400, f"{reply}\n")
    assert service.stored_objects() == []


def test_audio_that_is_not_audio_gets_415(service: Service) -> None:
    garbage = b"<html>" + bytes(range(256)) * 8
    answer = _post(service, TrunkRecorderCall(audio=garbage, api_key=service.key))
    assert answer.status_code == 415
    assert answer.text.startswith("Unsupported audio type: not one of wav, m4a, mp3, flac, ogg (declared audio/wav)")
    assert service.stored_objects() == []


def test_broken_audio_of_a_known_format_gets_400(service: Service) -> None:
    broken = b"\x00\x00\x00\x1cftypM4A " + bytes(2000)
    answer = _post(service, TrunkRecorderCall(audio=broken, api_key=service.key, audio_type="audio/mp4"))
    assert (answer.status_code, answer.text.split(":")[0]) == (400, "Invalid call data")
    assert service.stored_objects() == []


def test_audio_longer_than_the_cap_is_refused(service: Service) -> None:
    answer = _post(service, TrunkRecorderCall(audio=encoded(31.0, "mp3"), api_key=service.key))
    assert answer.status_code == 400
    assert "over the 30 s cap" in answer.text
    assert service.stored_objects() == []


@pytest.mark.parametrize(
    ("content_type", "body", "reply"),
    [
        (None, b"key=abc&talkgroup=1", "Invalid content-type"),
        ("application/x-www-form-urlencoded", b"key=abc&talkgroup=1", "Not a multipart content"),
        ("multipart/form-data; boundary=xyz", bytes(range(256)) * 40, "Invalid multipart body"),
        ("multipart/form-data; boundary=xyz", b'--xyz\r\nContent-Disposition: form-data; name="key"\r\n\r\nab', "Invalid multipart body: it ends before its closing boundary"),
        ("multipart/form-data; boundary=xyz", b"--xyz\r\nContent-Type: text/plain\r\n\r\nab\r\n--xyz--\r\n", "Invalid multipart body: a part has no form-data name"),
    ],
)
def test_garbage_bodies_get_400(service: Service, content_type: str | None, body: bytes, reply: str) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    answer = httpx.post(f"{service.url}/api/call-upload", headers=headers, content=body)
    assert answer.status_code == 400
    assert answer.text.startswith(reply)
    assert service.stored_objects() == []


def _raw_exchange(port: int, head: bytes, first_body: bytes) -> tuple[bytes, float]:
    """Send a request head and the start of a body, then read the reply: a server that
    waited for the whole body would never answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        started = time.monotonic()
        conn.sendall(head + first_body)
        reply = b""
        while b"\r\n\r\n" not in reply or not reply.endswith(b"\n"):
            chunk = conn.recv(65536)
            if not chunk:
                break
            reply += chunk
        return reply, time.monotonic() - started


def test_oversized_upload_is_refused_from_its_content_length_before_the_body(service: Service) -> None:
    head = (
        b"POST /api/call-upload HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: TrunkRecorder1.0\r\n"
        b"Content-Type: multipart/form-data; boundary=abc\r\nContent-Length: 500000000\r\n\r\n"
    )
    reply, elapsed_s = _raw_exchange(service.port, head, b"--abc\r\n")

    assert reply.startswith(b"HTTP/1.1 413 ")
    assert reply.endswith(b"Request too large: the cap is 2000000 bytes\n")
    assert b"connection: close" in reply.lower()
    assert elapsed_s < 5
    assert service.stored_objects() == []


def test_oversized_chunked_upload_is_cut_off_at_the_cap(service: Service) -> None:
    head = (
        b"POST /api/call-upload HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: multipart/form-data; boundary=abc\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    part = b'--abc\r\nContent-Disposition: form-data; name="audio"; filename="a.wav"\r\n\r\n' + b"RIFF" + bytes(2_100_000)
    chunked = b"%x\r\n%s\r\n" % (len(part), part)
    reply, _ = _raw_exchange(service.port, head, chunked)

    assert reply.startswith(b"HTTP/1.1 413 ")
    assert service.stored_objects() == []


def test_uploads_over_a_keys_rate_get_429_then_pass_again(upload_key: str, settings: UploadSettings) -> None:
    limited = settings.model_copy(update={"rate_per_s": 0.5, "rate_burst": 3})
    with running(limited) as port:
        url = f"http://127.0.0.1:{port}/api/call-upload"
        calls = [TrunkRecorderCall(audio=wav_bytes(0.5), api_key=upload_key, talkgroup=100 + i) for i in range(5)]
        replies = []
        for call in calls:
            headers, body = libcurl_mime(call)
            replies.append(httpx.post(url, headers=headers, content=body, timeout=30))
        assert [r.status_code for r in replies][:3] == [200, 200, 200]
        refused = [r for r in replies if r.status_code == 429]
        assert refused, [r.status_code for r in replies]
        assert refused[0].text.startswith("Too many uploads for this API key; retry in")
        assert int(refused[0].headers["Retry-After"]) >= 1

        time.sleep(2.1)  # a token back at 0.5/s
        headers, body = libcurl_mime(TrunkRecorderCall(audio=wav_bytes(0.5), api_key=upload_key, talkgroup=999))
        assert httpx.post(url, headers=headers, content=body, timeout=30).status_code == 200


def test_other_methods_and_health(service: Service) -> None:
    answer = httpx.get(f"{service.url}/api/call-upload")
    assert (answer.status_code, answer.text) == (405, "Unsupported method\n")
    health = httpx.get(f"{service.url}/healthz")
    assert (health.status_code, health.json()) == (200, {"status": "ok"})


def test_trunk_recorder_endpoint_rejects_broken_meta_and_unknown_keys(service: Service) -> None:
    url = f"{service.url}/api/trunk-recorder-call-upload"
    audio = ("call.wav", wav_bytes(1.0), "audio/wav")
    broken = httpx.post(url, data={"key": service.key, "system": "1"}, files={"audio": audio, "meta": ("c.json", b'{"talkgroup": 5,', "application/json")})
    assert broken.status_code == 400
    assert broken.text.startswith("Invalid call data: meta: truncated JSON")
    stranger = httpx.post(url, data={"key": "nope-nope-nope-nope", "system": "1"}, files={"audio": audio})
    assert stranger.status_code == 401
    missing = httpx.post(url, data={"key": service.key, "system": "1"}, files={"audio": audio})
    assert (missing.status_code, missing.text) == (417, "Incomplete call data: no meta\n")
    assert service.stored_objects() == []
