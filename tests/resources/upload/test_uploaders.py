"""The requests real recorders send, against the real service: each is answered as
rdio-scanner answers it, and lands in the landing zone as the call it describes."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import threading
from pathlib import Path

import httpx
import pytest

from resources.calls import CallMeta, FreqHop, Unit
from resources.trunk_recorder.format import call_json, parse_call_json
from tests.resources.upload.conftest import Service
from tests.resources.upload.support import (
    TrunkRecorderCall,
    curl_command,
    encoded,
    libcurl_mime,
    sdrtrunk_body,
    sdrtrunk_headers,
    wav_bytes,
)

IMPORTED = "Call imported successfully.\n"


def _post_plugin(service: Service, call: TrunkRecorderCall) -> httpx.Response:
    headers, body = libcurl_mime(call)
    return httpx.post(f"{service.url}/api/call-upload", headers=headers, content=body, timeout=30)


def test_trunk_recorder_plugin_wav_upload_lands_as_the_call_it_describes(service: Service) -> None:
    audio = wav_bytes(2.5)
    reply = _post_plugin(service, TrunkRecorderCall(audio=audio, api_key=service.key))

    assert (reply.status_code, reply.text) == (200, IMPORTED)
    [(meta, stored, ext)] = service.landed()
    assert stored == audio and ext == "wav"
    start = dt.datetime.fromtimestamp(1_700_000_000, dt.UTC)
    assert meta == CallMeta(
        system="countyfire",  # systemLabel, the short name trunk-recorder's folders use too
        talkgroup=1234,
        start_time=start,
        duration_s=pytest.approx(2.5),
        stop_time=start + dt.timedelta(seconds=2.5),
        freq_hz=851_012_500,
        talkgroup_tag="FD Dispatch",
        talkgroup_description="County Fire Dispatch",
        talkgroup_group="Fire",
        talkgroup_group_tag="Fire Dispatch",
        units=(Unit(1001, pos_s=0.0), Unit(1002, pos_s=1.2)),
        freqs=(FreqHop(851_012_500, pos_s=0.0, len_s=2.5, error_count=3, spike_count=1),),
    )
    assert meta.call_uid == "countyfire-1234-1700000000"


def test_trunk_recorder_plugin_compressed_m4a_upload(service: Service) -> None:
    audio = encoded(3.0, "m4a")
    call = TrunkRecorderCall(
        audio=audio, audio_name="1234-1700000000_851012500-call_12.m4a", audio_type="audio/mp4", api_key=service.key
    )
    reply = _post_plugin(service, call)

    assert (reply.status_code, reply.text) == (200, IMPORTED)
    [(meta, stored, ext)] = service.landed()
    assert (stored, ext) == (audio, "m4a")
    assert meta.duration_s == pytest.approx(3.0, abs=0.05)


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs the curl tool")
def test_real_libcurl_multipart_is_accepted(service: Service, tmp_path: Path) -> None:
    """libcurl itself frames the request (the curl tool's -F is the same curl_mime API)."""
    audio = wav_bytes(1.5)
    call = TrunkRecorderCall(audio=audio, api_key=service.key, talkgroup=4321, patches=(4321, 4400))
    path = tmp_path / call.audio_name
    path.write_bytes(audio)

    done = subprocess.run(curl_command(call, path, f"{service.url}/api/call-upload"), capture_output=True, text=True, timeout=60)

    assert done.stdout == f"{IMPORTED}\n200", done.stderr
    [(meta, stored, _)] = service.landed()
    assert (meta.talkgroup, meta.system, stored) == (4321, "countyfire", audio)


def test_upload_script_posts_trunk_recorders_own_json(service: Service, tmp_path: Path) -> None:
    """rdio-scanner's documented uploadScript: curl -F audio=@CALL.m4a;type=audio/aac
    -F key=… -F meta=@CALL.json;type=application/json -F system=… to the trunk-recorder
    endpoint."""
    if shutil.which("curl") is None:
        pytest.skip("needs the curl tool")
    start = dt.datetime(2024, 3, 9, 14, 5, 7, 250_000, tzinfo=dt.UTC)
    meta = CallMeta(
        system="metro", talkgroup=9001, start_time=start, duration_s=2.0, freq_hz=770_106_250, emergency=True,
        talkgroup_tag="PD Disp", units=(Unit(77, tag="Unit 23", pos_s=0.0),), audio_type="digital",
    )  # fmt: skip
    (tmp_path / "call.m4a").write_bytes(encoded(2.0, "m4a"))
    (tmp_path / "call.json").write_text(json.dumps(call_json(meta), indent=2))
    command = [
        "curl", "-sS", "-w", "\n%{http_code}", f"{service.url}/api/trunk-recorder-call-upload",
        "-F", f"audio=@{tmp_path / 'call.m4a'};type=audio/aac", "-F", f"key={service.key}",
        "-F", f"meta=@{tmp_path / 'call.json'};type=application/json", "-F", "system=7",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)

    assert done.stdout == f"{IMPORTED}\n200", done.stderr
    [(landed, _, ext)] = service.landed()
    assert ext == "m4a"
    # field for field what the same JSON read from a capture folder gives
    assert landed == parse_call_json((tmp_path / "call.json").read_bytes(), "call.json")
    assert (landed.call_uid, landed.emergency, landed.units) == (meta.call_uid, True, meta.units)


def test_sdrtrunk_connection_test_sees_rdio_scanners_answer(service: Service) -> None:
    """SDRTrunk's "test" posts key, system and test=1, and counts a reply starting with
    "incomplete call data: no talkgroup" as a working server."""
    body = sdrtrunk_body([("key", service.key), ("system", "5"), ("test", "1")])
    reply = httpx.post(f"{service.url}/api/call-upload", headers=sdrtrunk_headers(False), content=body)

    assert reply.text.lower().startswith("incomplete call data: no talkgroup")
    assert service.stored_objects() == []


def test_sdrtrunk_mp3_upload_with_its_second_content_type_header(service: Service) -> None:
    audio = encoded(2.0, "mp3")
    parts = [
        ("key", service.key), ("system", "5"), ("dateTime", "1700000100"), ("talkgroup", "52198"),
        ("source", "1904"), ("frequency", "0"), ("talkgroupLabel", "TAC 2"), ("talkgroupGroup", ""),
        ("systemLabel", "STATEWIDE P25"), ("patches", "[]"),
    ]  # fmt: skip
    body = sdrtrunk_body(parts, "20231115_220820STATEWIDE_P25_TO_52198_FROM_1904.mp3", audio)
    reply = httpx.post(f"{service.url}/api/call-upload", headers=sdrtrunk_headers(), content=body)

    assert "Call imported successfully." in reply.text and reply.status_code == 200
    [(meta, stored, ext)] = service.landed()
    assert (stored, ext) == (audio, "mp3")
    assert (meta.system, meta.talkgroup, meta.freq_hz, meta.talkgroup_tag) == ("STATEWIDE P25", 52198, None, "TAC 2")
    assert meta.units == (Unit(1904),)
    assert meta.duration_s == pytest.approx(2.0, abs=0.1)


def test_a_retried_call_stays_one_call(service: Service) -> None:
    audio = wav_bytes(1.0)
    call = TrunkRecorderCall(audio=audio, api_key=service.key)
    replies = [_post_plugin(service, call) for _ in range(3)]

    assert [(r.status_code, r.text) for r in replies] == [(200, IMPORTED)] * 3
    [(meta, stored, _)] = service.landed()
    assert (meta.call_uid, stored) == ("countyfire-1234-1700000000", audio)
    assert len(service.stored_objects()) == 2  # its audio and its envelope, once


def test_racing_copies_of_one_call_all_succeed_as_one_call(service: Service) -> None:
    """A recorder that times out and resends while the first copy is still being stored."""
    call = TrunkRecorderCall(audio=wav_bytes(1.0), api_key=service.key)
    replies: list[httpx.Response] = []
    threads = [threading.Thread(target=lambda: replies.append(_post_plugin(service, call))) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert sorted(r.status_code for r in replies) == [200] * 6
    assert len(service.landed()) == 1
    assert len(service.stored_objects()) == 2
