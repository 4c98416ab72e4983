"""The tones layer through ``materialize()`` on a small lake: tones stored with their
station names, every call scanned once, an unreadable file recorded, the check green."""

from __future__ import annotations

import datetime as dt
import io

import dagster as dg
import numpy as np
import pyarrow as pa
import soundfile as sf

from assets.tones import assets as tones_assets
from lake import delta
from lake.objects import ObjectStore
from lake.tables import RAW_CALLS, TONE_SCANS, TONES, conform
from resources.lake import LakeResource
from resources.simulator import tones as gen
from resources.tones import ToneDetectorResource
from tests.assets.audio.signals import speech_like
from tests.lake.rows import raw_calls

DAY = dt.date(2026, 11, 2)
SR = 8_000


def _wav(y: np.ndarray) -> bytes:
    buf = io.BytesIO()
    sf.write(buf, y, SR, format="WAV", subtype="PCM_16")
    return buf.getvalue()


def _lake(lake) -> list[str]:
    rows = raw_calls(4, DAY)
    store = ObjectStore(lake)
    rng = np.random.default_rng(1)
    speech = speech_like(6.0, SR, seed=2)
    audio = [
        gen.mix_in(speech, gen.two_tone(853.2, 1123.4, SR), 0.5, SR, 4.0, 15.0, rng),  # Station 1
        gen.mix_in(speech, gen.long_tone(1000.0, SR), 0.5, SR, 4.0, 15.0, rng),  # All Call
        gen.mix_in(speech, np.zeros(1, np.float32), 0.0, SR, -60.0, 15.0, rng),  # no tones
    ]
    for key, y in zip(rows["audio_key"].to_pylist(), audio, strict=False):
        store.put(key, _wav(y))
    store.put(rows["audio_key"][3].as_py(), b"RIFF....not a wav at all")
    delta.merge(lake, RAW_CALLS, conform(rows, RAW_CALLS))
    return rows["call_uid"].to_pylist()


def _run(lake, stations: str) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [tones_assets.tones_layer, tones_assets.tones_belong_to_scanned_calls],
        partition_key=DAY.isoformat(),
        resources={"lake": LakeResource(uri=lake.uri), "tone_detector": ToneDetectorResource(stations_path=stations)},
    )


def test_tones_layer_stores_named_tone_outs_and_scans_each_call_once(lake, tmp_path):
    uids = _lake(lake)
    plan = tmp_path / "tones.yaml"
    plan.write_text("stations:\n  Station 1: {a_hz: 853.2, b_hz: 1123.4}\n  All Call: {long_hz: 1000}\n")
    result = _run(lake, str(plan))
    assert result.success
    assert all(c.passed for c in result.get_asset_check_evaluations())

    tones = delta.read(lake, TONES).to_pylist()
    by_call = {(t["call_uid"], t["tone_type"]): t for t in tones}
    assert by_call[(uids[0], "two_tone")]["station"] == "Station 1"
    assert by_call[(uids[1], "long")]["station"] == "All Call"
    assert not [t for t in tones if t["call_uid"] == uids[2] and t["tone_type"] in ("two_tone", "long", "hi_low")]
    scans = {s["call_uid"]: s for s in delta.read(lake, TONE_SCANS).to_pylist()}
    assert set(scans) == set(uids)
    assert scans[uids[3]]["error"] and scans[uids[3]]["tones"] == 0  # recorded, not fatal
    assert all(scans[u]["tones"] == sum(t["call_uid"] == u for t in tones) for u in uids)

    again = _run(lake, str(plan))
    mat = [m for m in again.get_asset_materialization_events() if m.asset_key == dg.AssetKey("tones")]
    assert mat[0].materialization.metadata["scanned"].value == 0
    assert delta.read(lake, TONES).num_rows == len(tones)


def test_tones_table_schema_is_declared_once():
    assert TONES.key == ("call_uid", "tone_index") and TONES.partition_by == ("call_date",)
    assert pa.types.is_list(TONES.schema.field("freqs_hz").type)
