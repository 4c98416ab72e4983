"""Load: 200 uploads from 8 concurrent clients on 127.0.0.1, none lost."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from lake import LakeLocation
from lake.objects import ObjectStore
from resources.landing import LandingZone
from resources.upload import UploadSettings
from tests.resources.upload.conftest import Service, running
from tests.resources.upload.support import TrunkRecorderCall, libcurl_mime, wav_bytes

UPLOADS = 200
CLIENTS = 8


@pytest.mark.timeout(180)
def test_200_uploads_from_8_clients_all_land(settings: UploadSettings, lake: LakeLocation, upload_key: str) -> None:
    loaded = settings.model_copy(update={"rate_per_s": 1000.0, "rate_burst": 1000})
    calls = [
        TrunkRecorderCall(
            audio=wav_bytes(1.0 + (i % 5) * 0.25, tone_hz=300 + i), api_key=upload_key,
            talkgroup=1000 + i % 40, start_time=1_700_000_000 + i,
        )  # fmt: skip
        for i in range(UPLOADS)
    ]

    with running(loaded) as port:
        url = f"http://127.0.0.1:{port}/api/call-upload"

        def client(share: list[TrunkRecorderCall]) -> list[int]:
            with httpx.Client(timeout=60) as http:
                statuses = []
                for call in share:
                    headers, body = libcurl_mime(call)
                    statuses.append(http.post(url, headers=headers, content=body).status_code)
                return statuses

        started = time.monotonic()
        with ThreadPoolExecutor(CLIENTS) as pool:
            statuses = [s for share in pool.map(client, [calls[i::CLIENTS] for i in range(CLIENTS)]) for s in share]
        elapsed_s = time.monotonic() - started

    assert statuses == [200] * UPLOADS
    assert elapsed_s < 120
    service = Service(url, port, upload_key, LandingZone(ObjectStore(lake)))
    landed = {meta.call_uid: (audio, meta.duration_s) for meta, audio, _ in service.landed()}
    assert len(landed) == UPLOADS
    for i, call in enumerate(calls):
        audio, duration_s = landed[f"countyfire-{call.talkgroup}-{call.start_time}"]
        assert audio == call.audio
        assert duration_s == pytest.approx(1.0 + (i % 5) * 0.25)
