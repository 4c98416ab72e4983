"""The ingestion invariant under generated input: every delivered call ends in exactly one
of raw_calls or raw_quarantine, whatever its bytes, and nothing raises past a source, a
sensor tick or a run. Checked on the parsers, on ``ingest``, and through the sensors' own
evaluation and ``materialize()`` of raw_calls on a real Dagster instance and lake.

Example counts are modest so the file runs in about a minute; set
``SCANLAKE_PROPERTY_EXAMPLES=N`` to multiply them for a soak run (``bench`` uses it).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assets.partitions import call_date_partitions
from assets.raw.assets import raw_calls
from assets.raw.ingest import ingest
from assets.raw.sensors import landing_sensor, trunk_recorder_sensor
from assets.raw.validate import check_call
from lake import LakeLocation, delta
from lake.objects import ObjectStore
from lake.tables import RAW_CALLS, RAW_QUARANTINE
from resources.calls import CallDelivery, MalformedCall
from resources.lake import LakeResource
from resources.landing import LandingZone
from resources.trunk_recorder.format import parse_call_json
from resources.trunk_recorder.resource import TrunkRecorderSource
from resources.trunk_recorder.walk import is_transmission_file
from resources.upload.multipart import Part
from resources.upload.rdio import IncompleteCall, InvalidField, parse_call_upload
from tests.assets.raw.strategies import (
    FORM_FIELDS,
    audio_bytes,
    call_json_bytes,
    form_values,
    planted_calls,
    wav,
)

SCALE = max(1, int(os.environ.get("SCANLAKE_PROPERTY_EXAMPLES", "1")))
TRIED: Counter[str] = Counter()


def _examples(n: int) -> settings:
    return settings(
        max_examples=n * SCALE,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@_examples(300)
@given(call_json_bytes())
def test_trunk_recorder_json_parses_or_is_a_typed_error(raw: bytes) -> None:
    TRIED["json files"] += 1
    try:
        meta = parse_call_json(raw, "x.json")
    except MalformedCall:
        return
    try:
        check_call(meta, "x.json", dt.datetime.now(dt.UTC))
    except MalformedCall:
        pass


@_examples(40)
@given(st.lists(st.tuples(call_json_bytes(), audio_bytes(), st.sampled_from(["wav", "m4a", "mp3", "flac", "ogg", "exe"])), min_size=1, max_size=8))
def test_ingest_puts_every_delivery_in_exactly_one_table(calls: list[tuple[bytes, bytes, str]]) -> None:
    with tempfile.TemporaryDirectory() as root:
        items: list[CallDelivery | MalformedCall] = []
        for i, (raw, audio, ext) in enumerate(calls):
            ref = f"call-{i}.json"
            try:
                meta = parse_call_json(raw, ref)
            except MalformedCall as exc:
                items.append(exc)
                continue
            items.append(CallDelivery("trunk-recorder", ref, meta, ext, lambda audio=audio: audio))
        batch = ingest(items, ObjectStore(LakeLocation(root)), source="trunk-recorder")
        _assert_exactly_once({i.source_ref for i in items}, batch.rows, batch.quarantine)
        TRIED["ingest deliveries"] += len(items)


def _assert_exactly_once(refs: set[str], rows, problems) -> None:  # type: ignore[no-untyped-def]
    stored = set(rows["source_ref"].to_pylist())
    quarantined = set(problems["source_ref"].to_pylist())
    assert not stored & quarantined, stored & quarantined
    assert refs <= stored | quarantined, refs - (stored | quarantined)
    assert all(problems["reason"].to_pylist())


@contextmanager
def _lake() -> Iterator[LakeResource]:
    with tempfile.TemporaryDirectory() as root:
        yield LakeResource(uri=str(Path(root) / "lake"))


def _run(sensor_result: dg.SensorResult, instance: dg.DagsterInstance, lake: LakeResource, source: TrunkRecorderSource) -> None:
    for request in sensor_result.run_requests:
        assert call_date_partitions.has_partition_key(request.partition_key), request.partition_key
        result = dg.materialize(
            [raw_calls],
            partition_key=request.partition_key,
            run_config=request.run_config,
            tags=request.tags,
            instance=instance,
            resources={"lake": lake, "trunk_recorder": source},
            raise_on_error=False,
        )
        assert result.success, [e.message for e in result.all_events if e.is_failure]
        TRIED["runs"] += 1


@_examples(8)
@given(st.lists(planted_calls(), min_size=1, max_size=10, unique_by=lambda c: (c.system, c.day, c.stem)))
def test_capture_folders_through_the_sensor_and_materialize(planted) -> None:  # type: ignore[no-untyped-def]
    with _lake() as lake, tempfile.TemporaryDirectory() as capture:
        expected: set[str] = set()
        for call in planted:
            folder = Path(capture) / call.system / str(call.day.year) / str(call.day.month) / str(call.day.day)
            folder.mkdir(parents=True, exist_ok=True)
            if call.audio is not None:
                (folder / f"{call.stem}.{call.audio_ext}").write_bytes(call.audio)
            if call.json is not None:
                (folder / f"{call.stem}.json").write_bytes(call.json)
                expected.add(str(folder / f"{call.stem}.json"))
            elif not is_transmission_file(call.stem):
                expected.add(str(folder / f"{call.stem}.{call.audio_ext}"))
        source = TrunkRecorderSource(capture_dirs=[capture], settle_s=0)
        instance = dg.DagsterInstance.ephemeral()
        with dg.build_sensor_context(instance=instance, resources={"trunk_recorder": source}) as ctx:
            result = trunk_recorder_sensor(ctx)
        _run(result, instance, lake, source)
        rows = delta.read(lake.location, RAW_CALLS)
        problems = delta.read(lake.location, RAW_QUARANTINE)
        _assert_exactly_once(expected, rows, problems)
        TRIED["capture-folder calls"] += len(expected)


@_examples(6)
@given(st.lists(st.dictionaries(st.sampled_from(FORM_FIELDS), form_values, max_size=3), min_size=1, max_size=8))
def test_upload_forms_through_the_landing_sensor_and_materialize(forms) -> None:  # type: ignore[no-untyped-def]
    with _lake() as lake:
        landing = LandingZone(lake.objects)
        keys: set[str] = set()
        for i, form in enumerate(forms):
            TRIED["upload forms"] += 1
            # a recorder's good form with up to three fields replaced by anything
            fields = {"systemLabel": "county", "talkgroup": str(100 + i), "dateTime": "2026-11-02T14:05:00Z",
                      "talkgroupLabel": "FD Dispatch", "frequency": "851012500", **form}
            parts = {k: Part(k, None, None, v.encode("utf-8", "surrogatepass")) for k, v in fields.items()}
            parts["audio"] = Part("audio", "call.wav", None, wav())
            try:
                upload = parse_call_upload(parts)
                meta = upload.meta(0.2)
            except (InvalidField, IncompleteCall):
                continue  # a 4xx reply: nothing stored, the recorder is told
            keys.add(landing.put("upload", meta, upload.audio, "wav"))
        instance = dg.DagsterInstance.ephemeral()
        with dg.build_sensor_context(instance=instance, resources={"lake": lake}) as ctx:
            result = landing_sensor(ctx)
        _run(result, instance, lake, TrunkRecorderSource())
        rows = delta.read(lake.location, RAW_CALLS)
        problems = delta.read(lake.location, RAW_QUARANTINE)
        _assert_exactly_once(keys, rows, problems)
        TRIED["uploads accepted"] += len(keys)


def test_zz_count_what_was_tried() -> None:
    """How many generated inputs the properties above saw (printed with ``-s``)."""
    print(f"\nproperty inputs tried (scale {SCALE}): {dict(TRIED)}")
    if TRIED["json files"]:  # the suite ran, not one test picked with -k
        assert TRIED["json files"] >= 100 * SCALE
        assert TRIED["ingest deliveries"] >= 20 * SCALE
    if TRIED["runs"]:
        assert TRIED["capture-folder calls"] >= 8 * SCALE
        assert TRIED["uploads accepted"] >= 1
