"""Values the lake will not keep get a 4xx, never a 5xx (which recorders retry forever) or
a 200 (after which the call failed in the pipeline). What was seen 1, 2, 3 and 7."""

from __future__ import annotations

import json

import httpx
import pytest

from resources.bounds import LIMITS
from tests.resources.upload.conftest import Service
from tests.resources.upload.support import TrunkRecorderCall, wav_bytes
from tests.resources.upload.test_rejections import _with


@pytest.mark.parametrize(
    "fields",
    [
        {"talkgroup": "1e300"},
        {"talkgroup": str(2**64)},
        {"talkgroup": "9" * 30},
        {"frequency": "9" * 5000},
        {"talkgroupLabel": "x" * (LIMITS.max_label_chars + 1)},
        {"systemLabel": "x" * 300},
        {"dateTime": "4102444800"},  # 2100-01-01
        {"dateTime": "5"},  # 1970-01-01
        {"dateTime": "1e300"},
        {"sources": '[{"src": 1e300, "pos": 0}]'},
        {"frequencies": '[{"freq": ' + "9" * 400 + "}]"},
        {"frequencies": "[" * 100_000},
    ],
    ids=lambda f: next(iter(f)) + ":" + next(iter(f.values()))[:12],
)
def test_values_the_lake_will_not_keep_get_400(service: Service, fields: dict[str, str]) -> None:
    headers, body = _with(TrunkRecorderCall(audio=wav_bytes(1.0), api_key=service.key), **fields)
    answer = httpx.post(f"{service.url}/api/call-upload", headers=headers, content=body, timeout=30)
    assert answer.status_code == 400, answer.text
    assert answer.text.startswith("Invalid call data: ")
    assert service.stored_objects() == []


def _meta(**changes: object) -> bytes:
    data = {"short_name": "county", "talkgroup": 4201, "start_time": 1_700_000_000, "call_length": 2}
    data.update(changes)
    return json.dumps(data).encode()


@pytest.mark.parametrize(
    "meta",
    [
        _meta(talkgroup="@").replace(b'"@"', b"9" * 5000),
        _meta(talkgroup="@").replace(b'"@"', b"9" * 400),
        _meta(talkgroup=2**64),
        _meta(talkgroup=1e300),
        _meta(start_time=4_102_444_800),
        _meta(start_time=5),
        _meta(short_name="s" * 300),
        _meta(short_name="\ud800"),
    ],
    ids=["5000-digits", "400-digits", "2^64", "1e300", "2100", "1970", "long-name", "surrogate"],
)
def test_trunk_recorder_meta_the_lake_will_not_keep_gets_400(service: Service, meta: bytes) -> None:
    answer = httpx.post(
        f"{service.url}/api/trunk-recorder-call-upload",
        data={"key": service.key, "system": "1"},
        files={"audio": ("call.wav", wav_bytes(1.0), "audio/wav"), "meta": ("c.json", meta, "application/json")},
        timeout=30,
    )
    assert answer.status_code == 400, answer.text
    assert service.stored_objects() == []
