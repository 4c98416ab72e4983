"""Unit attribution end to end: a call of the small lake whose srcList hands the call from
a dispatcher to an engine mid-call, transcribed by the real asset, word rows carrying ids."""

import datetime as dt
import io

import dagster as dg
import numpy as np
import pyarrow as pa
import pytest
import soundfile as sf

from assets.transcripts.assets import transcribe_calls
from lake import delta, objects
from lake.objects import ObjectStore
from lake.tables import NORMALIZED_AUDIO, RAW_CALLS, TRANSCRIPT_WORDS
from resources.asr.resource import TranscriberResource
from resources.lake import LakeResource
from tests.assets.transcripts.speech import KEY_WORDS, SENTENCES, speak
from tests.fixtures.small_lake import build_small_lake

pytestmark = pytest.mark.slow

DISPATCH, ENGINE = 911000, 1201
LEAD_S = 0.5  # what the audio layer trimmed from the start of the recording


def _flac(audio: np.ndarray) -> bytes:
    buf = io.BytesIO()
    sf.write(buf, audio, 16000, format="FLAC")
    return buf.getvalue()


def test_unit_attribution_materialized_on_the_small_lake(tmp_path):
    small = build_small_lake(location := LakeResource(uri=str(tmp_path / "lake")).location)
    first, second = speak(SENTENCES["engine"]), speak(SENTENCES["ladder"])
    audio = np.concatenate([first, second])
    handover_s = first.size / 16000  # in the normalized audio
    start = small.now - dt.timedelta(seconds=40)
    day, uid = start.date(), f"clarkco-101-{int(start.timestamp())}"
    key = objects.audio_key(objects.NORMALIZED_AUDIO, "clarkco", day, uid, "flac")
    ObjectStore(location).put(key, _flac(audio))
    duration_s = LEAD_S + audio.size / 16000
    delta.merge(location, RAW_CALLS, pa.Table.from_pylist([dict(
        call_uid=uid, call_date=day, call_hour=start.hour, system="clarkco", talkgroup=101,
        start_time=start, duration_s=duration_s, audio_key=key, audio_bytes=1,
        source="trunk-recorder", ingested_at=start,
        # srcList positions are in the recorded call; the engine's key-up is listed first
        units=[dict(unit_id=ENGINE, tag=None, pos_s=LEAD_S + handover_s, emergency=False),
               dict(unit_id=DISPATCH, tag=None, pos_s=0.0, emergency=False)],
    )]))
    delta.merge(location, NORMALIZED_AUDIO, pa.Table.from_pylist([dict(
        call_uid=uid, call_date=day, processing_version=1, audio_key=key, audio_bytes=1,
        duration_s=audio.size / 16000, sample_rate_hz=16000, tier="clean",
        chain=["bandpass:80-7600Hz", f"trim:{LEAD_S:.2f}s+0.00s"],
        processed_at=dt.datetime.now(dt.UTC),
    )]))

    result = dg.materialize(
        [transcribe_calls],
        partition_key=day.isoformat(),
        resources={
            "lake": LakeResource(uri=location.uri),
            "transcriber": TranscriberResource(model="tiny.en"),
        },
    )
    assert result.success
    assert result.asset_materializations_for_node("transcribe_calls")[0].metadata[
        "calls_transcribed"
    ].value == 1

    rows = sorted(
        (w for w in delta.read(location, TRANSCRIPT_WORDS).to_pylist() if w["call_uid"] == uid),
        key=lambda w: w["word_index"],
    )
    said = {w["word"].strip(".,").lower(): w["unit_id"] for w in rows}
    assert {said[k] for k in KEY_WORDS["engine"] if k in said} == {DISPATCH}
    assert {said[k] for k in KEY_WORDS["ladder"] if k in said} == {ENGINE}
    assert len(KEY_WORDS["engine"] & said.keys()) >= 4 and len(KEY_WORDS["ladder"] & said.keys()) >= 3
    # one hand-over: the ids change once, from the dispatcher to the engine
    ids = [w["unit_id"] for w in rows]
    assert ids == sorted(ids, key=lambda u: u == ENGINE) and ids[0] == DISPATCH
