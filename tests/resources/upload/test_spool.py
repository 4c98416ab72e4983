"""The multipart reader's memory bound and its per-part hook, without a server."""

from __future__ import annotations

import os

import pytest

from resources.upload.multipart import FormReader, Part
from tests.resources.upload.abuse import form


class WrongKey(Exception):
    pass


def test_parts_past_the_memory_budget_go_to_disk_unchanged() -> None:
    audio = os.urandom(10_000)
    boundary, body = form([("key", b"k" * 20), ("audio", audio), ("system", b"5")])
    reader = FormReader(boundary.encode(), max_bytes=len(body), memory_bytes=1000)
    for start in range(0, len(body), 333):
        reader.feed(body[start : start + 333])
    parts = reader.finish()
    assert [parts[n].on_disk for n in ("key", "audio", "system")] == [False, True, False]
    assert parts["audio"] == Part("audio", "call.wav", None, audio)
    assert parts["key"].head(5) == b"kkkkk" and parts["key"].size == 20
    reader.close()
    assert parts["audio"].size == 0  # closed: its temporary file is gone


def test_the_part_hook_stops_reading_at_the_key() -> None:
    boundary, body = form([("key", b"wrong"), ("audio", os.urandom(100_000))])
    seen: list[str] = []

    def refuse(part: Part, parts: object) -> None:
        seen.append(part.name)
        if part.name == "key" and part.data != b"right":
            raise WrongKey

    reader = FormReader(boundary.encode(), max_bytes=len(body), on_part=refuse)
    fed = 0
    with pytest.raises(WrongKey):
        for start in range(0, len(body), 1024):
            reader.feed(body[start : start + 1024])
            fed += 1024
    assert seen == ["key"] and fed < 2048
