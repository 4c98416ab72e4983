import datetime as dt

from assets.raw.ingest import ingest
from lake.objects import ObjectStore
from resources.calls import CallDelivery, CallMeta, MalformedCallJson, MissingAudio, Unit

START = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def meta(tg: int = 100, seconds: int = 0, duration: float = 4.0) -> CallMeta:
    return CallMeta(
        system="county",
        talkgroup=tg,
        start_time=START + dt.timedelta(seconds=seconds),
        duration_s=duration,
        units=(Unit(unit_id=1201, tag="Engine 12", pos_s=0.0),),
    )


# the smallest WAV header the raw layer accepts as audio (the audio layer judges the rest)
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt "


def delivery(m: CallMeta, ref: str, audio: bytes = WAV, ext: str = "wav") -> CallDelivery:
    return CallDelivery("trunk-recorder", ref, m, ext, lambda: audio)


def test_good_calls_become_rows_and_audio_objects(lake):
    store = ObjectStore(lake)
    batch = ingest(
        [delivery(meta(100), "a.json"), delivery(meta(200), "b.json")],
        store,
        source="trunk-recorder",
    )
    assert batch.rows.num_rows == 2 and batch.quarantine.num_rows == 0
    row = batch.rows.to_pylist()[0]
    assert row["call_uid"] == "county-100-" + str(int(START.timestamp()))
    assert row["audio_key"] == f"audio/raw/system=county/date=2026-11-02/{row['call_uid']}.wav"
    assert store.get(row["audio_key"]) == WAV
    assert row["units"][0]["tag"] == "Engine 12"


def test_each_bad_delivery_is_quarantined_without_losing_neighbours(lake):
    def gone() -> bytes:
        raise MissingAudio("c.json", "no audio file beside the JSON")

    items = [
        delivery(meta(100), "a.json"),
        MalformedCallJson("broken.json", "Expecting ',' delimiter: line 3"),
        CallDelivery("trunk-recorder", "c.json", meta(300), "wav", gone),
        delivery(meta(400, duration=0.0), "d.json"),
        delivery(meta(500), "e.json", ext="exe"),
        delivery(meta(600), "f.json"),
    ]
    batch = ingest(items, ObjectStore(lake), source="trunk-recorder")
    assert sorted(batch.rows["source_ref"].to_pylist()) == ["a.json", "f.json"]
    reasons = dict(
        zip(
            batch.quarantine["source_ref"].to_pylist(),
            batch.quarantine["reason"].to_pylist(),
            strict=True,
        )
    )
    assert reasons == {
        "broken.json": "malformed_json",
        "c.json": "missing_audio",
        "d.json": "invalid_call",
        "e.json": "unsupported_audio_type",
    }
    assert all(batch.quarantine["detail"].to_pylist())


def test_duplicate_delivery_is_recorded_and_rerun_is_silent(lake):
    store = ObjectStore(lake)
    first = ingest([delivery(meta(100), "a.json")], store, source="trunk-recorder")
    existing = {first.rows["call_uid"][0].as_py(): "a.json"}
    rerun = ingest(
        [delivery(meta(100), "a.json")], store, source="trunk-recorder", existing=existing
    )
    assert rerun.rows.num_rows == 0 and rerun.quarantine.num_rows == 0
    dup = ingest(
        [delivery(meta(100), "landing/x.call.json")], store, source="landing", existing=existing
    )
    assert dup.rows.num_rows == 0 and dup.duplicates == 1
    assert dup.quarantine["reason"].to_pylist() == ["duplicate_delivery"]
    assert dup.ingested_refs == ["landing/x.call.json"]  # acknowledged: it is in the lake


def test_two_deliveries_of_one_call_in_one_batch_give_one_row(lake):
    batch = ingest(
        [delivery(meta(100), "a.json"), delivery(meta(100), "b.json")],
        ObjectStore(lake),
        source="x",
    )
    assert batch.rows.num_rows == 1 and batch.duplicates == 1
