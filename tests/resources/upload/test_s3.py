"""Uploads into a lake on S3 (SeaweedFS on 127.0.0.1): the landing zone holds the call once
the reply says so."""

from __future__ import annotations

import httpx
import pytest

from lake import LakeLocation
from lake.objects import ObjectStore
from resources.landing import LandingZone
from resources.upload import UploadSettings, key_entry, new_key
from tests.resources.upload.conftest import running
from tests.resources.upload.support import TrunkRecorderCall, libcurl_mime, wav_bytes

pytestmark = pytest.mark.s3


def test_plugin_upload_lands_in_an_s3_landing_zone(s3_lake: LakeLocation) -> None:
    key = new_key()
    landing = LandingZone(ObjectStore(s3_lake))
    call = TrunkRecorderCall(audio=wav_bytes(1.0), api_key=key)
    headers, body = libcurl_mime(call)
    with running(UploadSettings(keys=key_entry(key)), landing) as port:
        url = f"http://127.0.0.1:{port}/api/call-upload"
        replies = [httpx.post(url, headers=headers, content=body, timeout=60) for _ in range(2)]

    assert [r.text for r in replies] == ["Call imported successfully.\n"] * 2
    [delivery] = list(LandingZone(ObjectStore(s3_lake)).read(landing.pending()))
    assert delivery.meta.call_uid == "countyfire-1234-1700000000"
    assert delivery.read_audio() == call.audio
