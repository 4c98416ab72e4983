"""Multi-site duplicates through the real layers: two sites' copies of one transmission
enter ``raw_calls``, the audio layer measures them, ``call_duplicates`` keeps the better,
and only that one reaches ``transcripts``; copies either side of UTC midnight."""

from __future__ import annotations

import datetime as dt
import io

import dagster as dg
import numpy as np
import pyarrow as pa
import pytest
import soundfile as sf

from assets.audio.assets import normalized_audio
from assets.duplicates.assets import call_duplicates
from assets.duplicates.partition import decide_partition, duplicate_uids
from assets.transcripts.assets import transcribe_calls
from lake import LakeLocation, delta, objects
from lake.objects import ObjectStore
from lake.tables import CALL_DUPLICATES, NORMALIZED_AUDIO, RAW_CALLS, TRANSCRIPTS
from resources.asr.resource import TranscriberResource
from resources.calls import call_uid
from resources.duplicates import CaptureSystemsResource
from resources.lake import LakeResource
from tests.assets.transcripts.speech import SENTENCES, radio, speak

T0 = dt.datetime(2024, 5, 1, 14, 0, tzinfo=dt.UTC)
SYSTEMS = "county=north,south"


def raw_row(site: str, tg: int, start: dt.datetime, duration_s: float, key: str, size: int) -> dict:
    return dict(
        call_uid=call_uid(site, tg, start), call_date=start.date(), call_hour=start.hour,
        system=site, talkgroup=tg, talkgroup_tag="Fire Dispatch", talkgroup_group="Fire",
        start_time=start, stop_time=start + dt.timedelta(seconds=duration_s),
        duration_s=duration_s, audio_type="wav", audio_key=key, audio_bytes=size,
        units=[dict(unit_id=1201, tag="Engine 12", pos_s=0.0, emergency=False)],
        source="trunk_recorder", source_ref=f"{site}/{start:%s}.json", ingested_at=start,
    )  # fmt: skip


def write_heard(lake: LakeLocation, site: str, tg: int, start: dt.datetime, audio: np.ndarray) -> str:
    """One call as a site captured it: raw WAV object and its ``raw_calls`` row."""
    buf = io.BytesIO()
    sf.write(buf, audio, 16000, format="WAV", subtype="PCM_16")
    uid = call_uid(site, tg, start)
    key = objects.audio_key(objects.RAW_AUDIO, site, start.date(), uid, "wav")
    ObjectStore(lake).put(key, buf.getvalue())
    row = raw_row(site, tg, start, audio.size / 16000, key, len(buf.getvalue()))
    delta.merge(lake, RAW_CALLS, pa.Table.from_pylist([row], schema=RAW_CALLS.schema))
    return uid


@pytest.mark.slow
def test_duplicate_copy_of_a_transmission_is_not_transcribed(
    lake: LakeLocation, lake_resource: LakeResource
) -> None:
    speech = speak(SENTENCES["engine"])
    near = write_heard(lake, "north", 101, T0, radio(speech, snr_db=30, seed=1))
    far = write_heard(lake, "south", 101, T0 + dt.timedelta(seconds=0.8), radio(speech, snr_db=4, seed=2))
    other = write_heard(lake, "north", 102, T0 + dt.timedelta(seconds=0.5), radio(speak(SENTENCES["ladder"]), 30, 3))
    result = dg.materialize(
        [normalized_audio, call_duplicates, transcribe_calls],
        partition_key=T0.date().isoformat(),
        resources={
            "lake": lake_resource,
            "capture_systems": CaptureSystemsResource(systems=SYSTEMS),
            "transcriber": TranscriberResource(model="tiny.en"),
        },
    )  # fmt: skip
    assert result.success
    part = {"call_date": [T0.date()]}
    audio = {r["call_uid"]: r for r in delta.read(lake, NORMALIZED_AUDIO, partitions=part).to_pylist()}
    assert audio[near]["snr_db"] > audio[far]["snr_db"]  # measured, not assumed
    links = {r["call_uid"]: r for r in delta.read(lake, CALL_DUPLICATES, partitions=part).to_pylist()}
    assert set(links) == {near, far, other}
    assert links[far]["is_duplicate"] and links[far]["kept_call_uid"] == near
    assert links[far]["copies"] == 2 and links[far]["system"] == "county"
    assert links[far]["start_offset_s"] == pytest.approx(0.8, abs=1e-3)
    assert not links[near]["is_duplicate"] and not links[other]["is_duplicate"]
    transcribed = delta.read(lake, TRANSCRIPTS, ["call_uid", "text"], part).to_pylist()
    assert {t["call_uid"] for t in transcribed} == {near, other}
    assert "engine" in next(t["text"] for t in transcribed if t["call_uid"] == near).lower()
    meta = result.asset_materializations_for_node("call_duplicates")[0].metadata
    assert meta["duplicates"].value == 1 and meta["transmissions_with_copies"].value == 1


def write_measured(lake: LakeLocation, site: str, start: dt.datetime, tier: str, snr_db: float) -> str:
    """A call's ``raw_calls`` and ``normalized_audio`` rows (no audio: the decision reads rows)."""
    uid = call_uid(site, 101, start)
    key = objects.audio_key(objects.RAW_AUDIO, site, start.date(), uid, "wav")
    delta.merge(lake, RAW_CALLS, pa.Table.from_pylist([raw_row(site, 101, start, 5.0, key, 1)], schema=RAW_CALLS.schema))
    norm = dict(
        call_uid=uid, call_date=start.date(), processing_version=1, audio_key=key, audio_bytes=1,
        duration_s=5.0, sample_rate_hz=16000, snr_db=snr_db, tier=tier, processed_at=start,
    )  # fmt: skip
    delta.merge(lake, NORMALIZED_AUDIO, pa.Table.from_pylist([norm]))
    return uid


@pytest.mark.parametrize("order", ["day_first", "next_day_first"])
def test_duplicate_pair_across_midnight_is_found_from_either_day(lake: LakeLocation, order: str) -> None:
    midnight = dt.datetime(2024, 5, 2, tzinfo=dt.UTC)
    late = write_measured(lake, "north", midnight - dt.timedelta(seconds=0.6), "poor", 8.0)
    early = write_measured(lake, "south", midnight + dt.timedelta(seconds=0.7), "clean", 24.0)
    days = [midnight.date() - dt.timedelta(days=1), midnight.date()]
    systems = {"north": "county", "south": "county"}
    for day in days if order == "day_first" else days[::-1]:
        decide_partition(lake, day, systems, 2.0, midnight)
    before = delta.read(lake, CALL_DUPLICATES, partitions={"call_date": [days[0]]}).to_pylist()
    after = delta.read(lake, CALL_DUPLICATES, partitions={"call_date": [days[1]]}).to_pylist()
    assert [(r["call_uid"], r["kept_call_uid"], r["kept_call_date"]) for r in before] == [
        (late, early, days[1])
    ]
    assert [(r["call_uid"], r["is_duplicate"]) for r in after] == [(early, False)]
    assert duplicate_uids(lake, [days[0]]) == {late} and duplicate_uids(lake, [days[1]]) == set()


def test_duplicate_decision_is_kept_when_a_better_copy_arrives_later(lake: LakeLocation) -> None:
    first = write_measured(lake, "north", T0, "moderate", 12.0)
    decide_partition(lake, T0.date(), {"north": "county", "south": "county"}, 2.0, T0)
    better = write_measured(lake, "south", T0 + dt.timedelta(seconds=1), "clean", 28.0)
    summary = decide_partition(lake, T0.date(), {"north": "county", "south": "county"}, 2.0, T0)
    assert duplicate_uids(lake, [T0.date()]) == {better}  # first was transcribed already
    rows = delta.read(lake, CALL_DUPLICATES, ["call_uid", "kept_call_uid"]).to_pylist()
    assert {r["call_uid"]: r["kept_call_uid"] for r in rows} == {first: first, better: first}
    assert summary.calls == 2 and summary.duplicates == 1
    rerun = decide_partition(lake, T0.date(), {"north": "county", "south": "county"}, 2.0, T0)
    assert rerun == summary and duplicate_uids(lake, [T0.date()]) == {better}
