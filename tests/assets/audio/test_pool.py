"""The process pool: spawned workers fetch, normalize and store calls exactly as the
in-process path does, and bad audio comes back as quarantine outcomes."""

from __future__ import annotations

import datetime as dt
import io
import pickle

import soundfile as sf

from assets.audio.errors import BadAudio
from assets.audio.pool import CallJob, process_calls
from lake import LakeLocation
from lake.objects import ObjectStore, audio_key

from .signals import speech_like, wav_bytes, with_noise

DAY = dt.date(2024, 5, 1)


def _jobs(lake: LakeLocation) -> list[CallJob]:
    store = ObjectStore(lake)
    audio = {
        "good-1": wav_bytes(with_noise(speech_like(3.0, seed=1), 25.0)),
        "good-2": wav_bytes(with_noise(speech_like(3.0, seed=2), 12.0)),
        "empty": b"",
        "good-3": wav_bytes(with_noise(speech_like(3.0, seed=3), 3.0)),
    }
    jobs = []
    for uid, data in audio.items():
        key = audio_key("raw", "county", DAY, uid, "wav")
        store.put(key, data)
        jobs.append(CallJob(uid, DAY, "county", key))
    jobs.append(CallJob("gone", DAY, "county", audio_key("raw", "county", DAY, "gone", "wav")))
    return jobs


def test_a_call_recorded_as_too_large_is_refused_without_fetching(lake: LakeLocation):
    job = CallJob("huge", DAY, "county", audio_key("raw", "county", DAY, "huge", "wav"), 10**12)
    (outcome,) = process_calls(lake, [job], workers=1)  # no object exists: it was never read
    assert (outcome.row["stage"], outcome.row["reason"]) == ("probe", "too_large")


def test_bad_audio_survives_pickling():
    error = pickle.loads(pickle.dumps(BadAudio("decode", "undecodable", "detail")))
    assert (error.stage, error.reason, error.detail) == ("decode", "undecodable", "detail")


def test_spawned_pool_matches_the_in_process_path(lake: LakeLocation):
    jobs = _jobs(lake)
    pooled = list(process_calls(lake, jobs, workers=2))
    serial = list(process_calls(lake, jobs, workers=1))
    assert [o.job.call_uid for o in pooled] == [j.call_uid for j in jobs]

    def summary(outcomes):  # everything but the clocks
        return [
            (o.job.call_uid, o.quarantined, o.row.get("tier"), o.row.get("reason"),
             o.row.get("audio_bytes"), o.row.get("stage"))
            for o in outcomes
        ]  # fmt: skip

    assert summary(pooled) == summary(serial)
    by_uid = {o.job.call_uid: o for o in pooled}
    assert [by_uid[u].row["tier"] for u in ("good-1", "good-2", "good-3")] == [
        "clean", "moderate", "poor"
    ]  # fmt: skip
    assert (by_uid["empty"].row["stage"], by_uid["empty"].row["reason"]) == ("probe", "empty")
    assert (by_uid["gone"].row["stage"], by_uid["gone"].row["reason"]) == (
        "fetch", "missing_object"
    )  # fmt: skip
    flac = ObjectStore(lake).get(str(by_uid["good-2"].row["audio_key"]))
    assert sf.info(io.BytesIO(flac)).samplerate == 16_000
    assert by_uid["good-2"].timings_ms["decode"] > 0
