"""End to end: raw_calls rows and audio objects on a small lake, ``normalized_audio``
materialized for their day with its checks, then again to show nothing is redone."""

from __future__ import annotations

import datetime as dt

import dagster as dg
import numpy as np
import pyarrow as pa

from assets.audio.assets import normalized_audio
from assets.audio.checks import normalized_audio_checks
from assets.audio.normalize import PROCESSING_VERSION
from lake import LakeLocation, delta
from lake.objects import ObjectStore, audio_key
from lake.tables import AUDIO_QUARANTINE, NORMALIZED_AUDIO, RAW_CALLS
from resources.lake import LakeResource

from .signals import clipped, encoded, speech_like, wav_bytes, with_noise

DAY = dt.date(2024, 6, 3)
OTHER_DAY = dt.date(2024, 6, 4)
SPEECH = speech_like(4.0, seed=8)


def _calls() -> dict[str, tuple[dt.date, bytes, str]]:
    """Good calls of each tier and every kind of bad input the issue names."""
    rng = np.random.default_rng(3)
    mp3 = encoded(with_noise(SPEECH, 12.0), "mp3", 16_000, "-b:a", "32k")
    m4a = encoded(with_noise(SPEECH, 12.0), "m4a")
    eight = np.stack([with_noise(SPEECH, 12.0)] * 8, axis=1)
    return {
        "clean": (DAY, wav_bytes(SPEECH), "wav"),
        "moderate": (DAY, wav_bytes(with_noise(SPEECH, 12.0)), "wav"),
        "poor": (DAY, wav_bytes(with_noise(SPEECH, 2.0)), "wav"),
        "clipped": (DAY, wav_bytes(clipped(with_noise(SPEECH, 30.0), drive=10.0)), "wav"),
        "hi-rate": (DAY, wav_bytes(speech_like(3.0, rate=192_000), 192_000), "wav"),
        "eight-ch": (DAY, wav_bytes(eight), "wav"),
        "cut-mp3": (DAY, mp3[: len(mp3) // 2], "mp3"),
        "cut-m4a": (DAY, m4a[: len(m4a) // 2], "m4a"),
        "empty": (DAY, b"", "wav"),
        "junk": (DAY, rng.integers(0, 256, 9_000, dtype=np.uint8).tobytes(), "wav"),
        "hour": (DAY, wav_bytes(np.zeros(8_000 * 3600, dtype=np.int16), 8_000), "wav"),
        "silent": (DAY, wav_bytes(np.zeros(16_000 * 3, dtype=np.float32)), "wav"),
        "noise": (DAY, wav_bytes(rng.standard_normal(16_000 * 3).astype(np.float32) * 0.1), "wav"),
        "tomorrow": (OTHER_DAY, wav_bytes(SPEECH), "wav"),
    }


PROCESSED = {
    "clean": "clean", "moderate": "moderate", "poor": "poor", "clipped": "poor",
    "hi-rate": "clean", "eight-ch": "moderate", "cut-mp3": "moderate",
}  # fmt: skip
QUARANTINED = {
    "cut-m4a": ("probe", "unreadable"),
    "empty": ("probe", "empty"),
    "junk": ("probe", "unreadable"),
    "hour": ("probe", "too_long"),
    "silent": ("analyze", "silent"),
    "noise": ("analyze", "no_speech"),
}


def _write_raw(lake: LakeLocation) -> None:
    store = ObjectStore(lake)
    rows = []
    for i, (uid, (day, data, ext)) in enumerate(_calls().items()):
        key = audio_key("raw", "county", day, uid, ext)
        store.put(key, data)
        start = dt.datetime.combine(day, dt.time(10, i), tzinfo=dt.UTC)
        rows.append(
            {"call_uid": uid, "call_date": day, "call_hour": 10, "system": "county",
             "talkgroup": 100 + i, "start_time": start, "duration_s": 4.0, "audio_key": key,
             "audio_bytes": len(data), "source": "test", "ingested_at": start}
        )  # fmt: skip
    delta.merge(lake, RAW_CALLS, pa.Table.from_pylist(rows))


def _materialize(
    lake_resource: LakeResource, day: dt.date, workers: int = 1
) -> dg.ExecuteInProcessResult:
    config = {"workers": workers, "min_pool_calls": 2, "commit_every": 5}
    return dg.materialize(
        [normalized_audio, *normalized_audio_checks],
        partition_key=day.isoformat(),
        resources={"lake": lake_resource},
        run_config=dg.RunConfig({"normalized_audio": {"config": config}}),
    )


def _rows(lake: LakeLocation, spec) -> dict[str, dict]:
    return {r["call_uid"]: r for r in delta.read(lake, spec).to_pylist()}


def test_partition_is_normalized_checked_and_not_redone(lake: LakeLocation, lake_resource):
    _write_raw(lake)
    result = _materialize(lake_resource, DAY, workers=2)  # the spawned pool, inside Dagster
    assert result.success

    normalized = _rows(lake, NORMALIZED_AUDIO)
    quarantined = _rows(lake, AUDIO_QUARANTINE)
    assert {uid: r["tier"] for uid, r in normalized.items()} == PROCESSED
    assert {uid: (r["stage"], r["reason"]) for uid, r in quarantined.items()} == QUARANTINED
    store = ObjectStore(lake)
    for row in normalized.values():
        assert row["processing_version"] == PROCESSING_VERSION
        assert row["sample_rate_hz"] == 16_000
        assert store.size(row["audio_key"]) == row["audio_bytes"] > 0
        assert "/normalized/" in row["audio_key"] and row["audio_key"].endswith(".flac")
    assert normalized["clean"]["input_format"] == "wav/pcm_16"
    assert (
        normalized["hi-rate"]["input_sample_rate_hz"],
        normalized["eight-ch"]["input_channels"],
    ) == (192_000, 8)
    assert any(w.startswith("truncated") for w in normalized["cut-mp3"]["warnings"])
    assert normalized["clipped"]["clipping_ratio"] > 0.01

    meta = result.asset_materializations_for_node("normalized_audio")[0].metadata
    assert (meta["processed"].value, meta["quarantined"].value) == (7, 6)
    assert meta["tiers"].value == {"clean": 2, "moderate": 3, "poor": 2}
    assert sum(meta["quarantine_reasons"].value.values()) == 6

    checks = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert checks["every_call_in_exactly_one_table"].passed
    assert checks["every_call_in_exactly_one_table"].metadata["raw_calls"].value == 13
    # six of thirteen quarantined is over the 20% threshold: a warning, not a failed run
    assert not checks["quarantine_rate_below_threshold"].passed
    assert checks["quarantine_rate_below_threshold"].severity == dg.AssetCheckSeverity.WARN
    assert checks["tier_distribution"].passed
    assert checks["tier_distribution"].metadata["tier_poor"].value == 2

    versions = {
        spec.name: delta.open_table(lake, spec).version()
        for spec in (NORMALIZED_AUDIO, AUDIO_QUARANTINE)
    }
    again = _materialize(lake_resource, DAY)
    meta = again.asset_materializations_for_node("normalized_audio")[0].metadata
    assert (meta["calls_pending"].value, meta["calls_already_settled"].value) == (0, 13)
    assert versions == {
        spec.name: delta.open_table(lake, spec).version()
        for spec in (NORMALIZED_AUDIO, AUDIO_QUARANTINE)
    }
    assert "tomorrow" not in _rows(lake, NORMALIZED_AUDIO)


def test_calls_move_between_tables_when_reprocessed(lake: LakeLocation, lake_resource):
    """Rows from an older processing version are redone, and a call that changes sides
    leaves the other table (and a quarantined call loses its old FLAC)."""
    _write_raw(lake)
    store = ObjectStore(lake)
    stale_key = audio_key("normalized", "county", DAY, "silent", "flac")
    store.put(stale_key, b"old flac")
    now = dt.datetime.now(dt.UTC)
    delta.merge(
        lake,
        AUDIO_QUARANTINE,
        pa.Table.from_pylist(
            [{"call_uid": "clean", "call_date": DAY, "processing_version": PROCESSING_VERSION - 1,
              "stage": "decode", "reason": "undecodable", "quarantined_at": now}]
        ),
    )  # fmt: skip
    delta.merge(
        lake,
        NORMALIZED_AUDIO,
        pa.Table.from_pylist(
            [{"call_uid": "silent", "call_date": DAY, "processing_version": PROCESSING_VERSION - 1,
              "audio_key": stale_key, "audio_bytes": 8, "duration_s": 3.0, "sample_rate_hz": 16000,
              "tier": "clean", "processed_at": now}]
        ),
    )  # fmt: skip
    assert _materialize(lake_resource, DAY).success

    normalized, quarantined = _rows(lake, NORMALIZED_AUDIO), _rows(lake, AUDIO_QUARANTINE)
    assert normalized["clean"]["tier"] == "clean" and "clean" not in quarantined
    assert quarantined["silent"]["reason"] == "silent" and "silent" not in normalized
    assert not store.exists(stale_key)
    assert {r["processing_version"] for r in [*normalized.values(), *quarantined.values()]} == {
        PROCESSING_VERSION
    }


def test_a_day_without_raw_calls_materializes_nothing(lake_resource):
    result = _materialize(lake_resource, DAY)
    assert result.success
    meta = result.asset_materializations_for_node("normalized_audio")[0].metadata
    assert (meta["calls_pending"].value, meta["processed"].value) == (0, 0)
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert checks == dict.fromkeys(checks, True) and len(checks) == 3
