"""Crash leftovers in the landing zone: an acknowledgement cut short by a crash, and the
sweep of what interrupted writes leave behind (orphaned audio, ``.partial`` files)."""

from __future__ import annotations

import datetime as dt
import os
import time

import dagster as dg

from assets.maintenance.assets import landing_leftovers
from assets.raw.assets import raw_calls
from lake import delta
from lake.objects import ObjectStore, rejected_key
from lake.tables import RAW_CALLS, RAW_QUARANTINE
from resources.landing import LandingZone
from resources.trunk_recorder.resource import TrunkRecorderSource
from tests.assets.raw.test_raw_calls_asset import DAY, meta, wav_bytes


class Crash(BaseException):
    """What the process would see of a power cut: nothing after this point runs."""


class CrashingStore(ObjectStore):
    """The real local store, cut off after a given number of deletes."""

    def __init__(self, location, deletes_before_crash: int) -> None:
        super().__init__(location)
        self.left = deletes_before_crash

    def delete(self, key: str) -> None:
        if self.left == 0:
            raise Crash(key)
        self.left -= 1
        super().delete(key)


def _ingest(lake_resource, keys: list[str]) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [raw_calls],
        partition_key=DAY.isoformat(),
        resources={"lake": lake_resource, "trunk_recorder": TrunkRecorderSource(capture_dirs=[])},
        run_config={"ops": {"raw_calls": {"config": {"landing_keys": keys}}}},
    )


def _age(store: ObjectStore, key: str, seconds: float) -> None:
    path = store.local_path(key)
    assert path is not None
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_a_crash_inside_an_acknowledgement_leaves_nothing_behind_after_the_rerun(lake_resource):
    store = lake_resource.objects
    key = LandingZone(store).put("upload", meta(101), wav_bytes(), "wav")
    assert _ingest(lake_resource, [key]).success
    # The same call's acknowledgement again, cut after its first delete: as if the run had
    # died there, with the call committed to raw_calls.
    LandingZone(store).put("upload", meta(101), wav_bytes(), "wav")
    try:
        LandingZone(CrashingStore(lake_resource.location, deletes_before_crash=1)).ack(key)
    except Crash:
        pass
    # Recovery is the same batch run again (the sensor requests it again).
    assert _ingest(lake_resource, [key]).success
    assert list(store.list("landing")) == []
    uids = delta.read(lake_resource.location, RAW_CALLS)["call_uid"].to_pylist()
    assert uids == [meta(101).call_uid]
    assert delta.read(lake_resource.location, RAW_QUARANTINE).num_rows == 0


def test_a_batch_whose_calls_were_acknowledged_already_reruns_cleanly(lake_resource):
    key = LandingZone(lake_resource.objects).put("upload", meta(102), wav_bytes(), "wav")
    assert _ingest(lake_resource, [key]).success
    assert _ingest(lake_resource, [key]).success  # a retry of a batch that had finished
    assert delta.read(lake_resource.location, RAW_CALLS).num_rows == 1
    assert delta.read(lake_resource.location, RAW_QUARANTINE).num_rows == 0


def _sweep(lake_resource, min_age_s: float = 3600) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [landing_leftovers],
        resources={"lake": lake_resource},
        run_config={"ops": {"landing_leftovers": {"config": {"min_age_s": min_age_s}}}},
    )


def test_the_sweep_sets_aside_old_orphaned_audio_as_quarantined_and_keeps_young_writes(lake_resource):
    store = lake_resource.objects
    received = dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)
    # An upload interrupted between its two writes, long ago: audio with no envelope, never
    # acknowledged to the recorder. And one being written right now.
    old = LandingZone(store).put("upload", meta(201), wav_bytes(), "wav", received=received)
    young = LandingZone(store).put("upload", meta(202), wav_bytes(), "wav", received=received)
    old_audio, young_audio = old.replace(".call.json", ".wav"), young.replace(".call.json", ".wav")
    store.delete(old)
    store.delete(young)
    _age(store, old_audio, 2 * 3600)
    # Temporary files of puts that died before their rename, one old and one in flight.
    store.put("audio/raw/system=county/date=2026-11-02/x.wav", b"whole")
    base = store.local_path("audio/raw/system=county/date=2026-11-02")
    for name in ("old.wav.1.partial", "new.wav.2.partial"):
        with open(f"{base}/{name}", "wb") as fh:
            fh.write(b"half")
    _age(store, "audio/raw/system=county/date=2026-11-02/old.wav.1.partial", 2 * 3600)

    result = _sweep(lake_resource)
    assert result.success
    # the node also reports the raw_quarantine rows it added: read its own materialization
    [own] = [
        m for m in result.asset_materializations_for_node("landing_leftovers")
        if m.asset_key == dg.AssetKey("landing_leftovers")
    ]
    meta_out = own.metadata
    assert meta_out["orphaned_audio_quarantined"].value == 1
    assert meta_out["partials_deleted"].value == 1

    assert not store.exists(old_audio) and store.exists(rejected_key(old_audio))
    assert store.exists(young_audio)
    [row] = delta.read(lake_resource.location, RAW_QUARANTINE).to_pylist()
    assert (row["reason"], row["source_ref"]) == ("orphaned_audio", old_audio)
    left = sorted(k for k, _ in store.modified("audio"))
    assert left == [
        "audio/raw/system=county/date=2026-11-02/new.wav.2.partial",
        "audio/raw/system=county/date=2026-11-02/x.wav",
    ]
    # A second sweep finds nothing new and writes no second row.
    assert _sweep(lake_resource).success
    assert delta.read(lake_resource.location, RAW_QUARANTINE).num_rows == 1


def test_an_orphan_whose_call_is_in_raw_calls_is_deleted_not_quarantined(lake_resource):
    store = lake_resource.objects
    key = LandingZone(store).put("upload", meta(301), wav_bytes(), "wav")
    assert _ingest(lake_resource, [key]).success
    # The recorder's first try died between audio and envelope on another day; its retry
    # is the call now in raw_calls.
    stray = LandingZone(store).put(
        "upload", meta(301), wav_bytes(), "wav", received=dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    )
    store.delete(stray)
    stray_audio = stray.replace(".call.json", ".wav")
    _age(store, stray_audio, 2 * 3600)
    result = _sweep(lake_resource)
    meta_out = result.asset_materializations_for_node("landing_leftovers")[0].metadata
    assert meta_out["orphaned_audio_deleted"].value == 1
    assert list(store.list("landing")) == [] and list(store.list("rejected")) == []
    assert delta.read(lake_resource.location, RAW_QUARANTINE).num_rows == 0
