"""The upload service's caps and transport rules: bodies handled at once, refused keys per
client address, TLS, and no plain HTTP off loopback by default."""

from __future__ import annotations

import asyncio
import os
import ssl
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from resources.upload import PlaintextRefused, UploadSettings
from resources.upload.server import check_transport
from tests.resources.upload.abuse import MiB, Outcome, form, post_head, trickle
from tests.resources.upload.conftest import running
from tests.resources.upload.support import TrunkRecorderCall, libcurl_mime, wav_bytes

REPO = Path(__file__).resolve().parents[3]


def _post(url: str, call: TrunkRecorderCall, source: str = "127.0.0.1", **client: object) -> httpx.Response:
    headers, body = libcurl_mime(call)
    transport = httpx.HTTPTransport(local_address=source, verify=client.pop("verify", True))
    with httpx.Client(transport=transport, timeout=30, **client) as http:
        return http.post(f"{url}/api/call-upload", content=body, headers=headers)


def test_bodies_past_the_cap_get_503_at_once(settings: UploadSettings, upload_key: str):
    capped = settings.model_copy(
        update={"max_concurrent_uploads": 3, "max_uploads_per_address": 2, "body_timeout_s": 4.0}
    )
    boundary, body = form([("key", upload_key.encode()), ("audio", os.urandom(MiB))])

    async def clients(port: int) -> tuple[Outcome, Outcome, Outcome, list[Outcome]]:
        head = post_head(port, boundary, len(body))
        slow = [asyncio.create_task(trickle(port, head, body, 4096, 0.2, 10)) for _ in range(2)]
        await asyncio.sleep(0.5)  # both hold a slot
        # a third body from the same address is over its share; another address gets the last slot
        same = await trickle(port, head, body, len(body), 0, 3)
        other = asyncio.create_task(trickle(port, head, body, 4096, 0.2, 10, source="127.0.0.2"))
        await asyncio.sleep(0.5)
        full = await trickle(port, head, body, len(body), 0, 3, source="127.0.0.3")
        return same, full, await other, list(await asyncio.gather(*slow))

    with running(capped) as port:
        same, full, other, slow = asyncio.run(clients(port))
    for refused in (same, full):
        assert refused.status == 503 and b"retry-after: 1\r\n" in refused.reply.lower()
        assert refused.closed_after_s is not None and refused.closed_after_s < 2
    assert [s.status for s in slow] == [408, 408] and other.status == 408


def test_refused_keys_are_throttled_per_client_address(settings: UploadSettings, upload_key: str):
    strict = settings.model_copy(update={"auth_failure_burst": 3, "auth_failures_per_min": 1.0})
    wrong = TrunkRecorderCall(audio=wav_bytes(0.5), api_key="not-a-key-we-know-0123456789")
    right = TrunkRecorderCall(audio=wav_bytes(0.5), api_key=upload_key)
    with running(strict) as port:
        url = f"http://127.0.0.1:{port}"
        assert [_post(url, wrong).status_code for _ in range(3)] == [401, 401, 401]
        throttled = _post(url, wrong)
        assert throttled.status_code == 429 and int(throttled.headers["retry-after"]) >= 1
        # the address is throttled before its body is read, whatever key it now sends
        assert _post(url, right).status_code == 429
        # another address is not
        assert _post(url, right, source="127.0.0.2").status_code == 200


def _self_signed(folder: Path) -> tuple[str, str]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    return str(cert), str(key)


def test_tls_serves_https_and_not_http(settings: UploadSettings, upload_key: str, tmp_path: Path):
    cert, key = _self_signed(tmp_path)
    with running(settings.model_copy(update={"tls_cert": cert, "tls_key": key})) as port:
        trusted = ssl.create_default_context(cafile=cert)
        reply = _post(f"https://127.0.0.1:{port}", TrunkRecorderCall(audio=wav_bytes(0.5), api_key=upload_key), verify=trusted)
        assert reply.status_code == 200
        with pytest.raises(httpx.HTTPError):
            _post(f"http://127.0.0.1:{port}", TrunkRecorderCall(audio=wav_bytes(0.5), api_key=upload_key))


def test_no_plain_http_off_loopback_unless_said():
    for host in ("127.0.0.1", "::1", "localhost"):
        check_transport(UploadSettings(host=host))
    for host in ("0.0.0.0", "::", "192.168.1.20", "scanner.example.org"):
        with pytest.raises(PlaintextRefused):
            check_transport(UploadSettings(host=host))
        check_transport(UploadSettings(host=host, allow_plaintext=True))
        check_transport(UploadSettings(host=host, tls_cert="c.pem", tls_key="k.pem"))
    with pytest.raises(ValueError, match="go together"):
        UploadSettings(tls_cert="c.pem")
    env = {**os.environ, "SCANLAKE_UPLOAD_HOST": "0.0.0.0", "SCANLAKE_UPLOAD_PORT": "1"}
    env.pop("SCANLAKE_UPLOAD_ALLOW_PLAINTEXT", None)
    refused = subprocess.run(
        [sys.executable, "-m", "resources.upload"], env=env, cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert refused.returncode != 0 and "SCANLAKE_UPLOAD_TLS_CERT" in refused.stderr
