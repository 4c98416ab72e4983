"""Generated bad deliveries driven through the real landing sensor and ``raw_calls`` runs.

Each input is one landing-zone call written as raw objects (an envelope's bytes and its
audio's bytes), broken in one of the ways real producers break them: truncated or
non-JSON envelopes, missing fields, integers past int64, numbers hundreds or thousands of
digits long, dates outside the partitions, names that collide as keys, missing, empty or
random audio, audio with no envelope. Good calls ride along in the same batches. The
landing sensor is evaluated tick by tick with a real instance, and each run it requests
is executed, until the zone is drained; then the invariant is checked per delivery.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import dagster as dg
import psutil

from assets.maintenance.assets import landing_leftovers
from assets.raw.assets import raw_calls
from assets.raw.sensors import landing_sensor
from bench.faults.harness import call, resource
from lake import delta
from lake.location import LakeLocation
from lake.objects import landing_key
from lake.tables import RAW_CALLS, RAW_QUARANTINE
from resources.landing import meta_to_json
from resources.trunk_recorder.resource import TrunkRecorderSource
from tests.support.audio import wav_bytes

Envelope = dict[str, object]
# mutation name -> change to a good envelope (in place) and audio bytes (None: no object)
Mutation = Callable[[random.Random, Envelope, bytes], tuple[bytes | None, bytes | None]]


def _json(env: Envelope, audio: bytes) -> tuple[bytes, bytes]:
    return json.dumps(env).encode(), audio


def _set(field_name: str, value: Callable[[random.Random], object]) -> Mutation:
    def mutate(rng: random.Random, env: Envelope, audio: bytes) -> tuple[bytes | None, bytes | None]:
        env["call"][field_name] = value(rng)  # type: ignore[index]
        return _json(env, audio)

    return mutate


def _digits(n: int) -> Callable[[random.Random], object]:
    return lambda rng: int("9" + "".join(rng.choice("0123456789") for _ in range(n - 1)))


def _raw_number(field_name: str, digits: int) -> Mutation:
    """A JSON number too long for Python's int() limit or for float: written as text."""

    def mutate(rng: random.Random, env: Envelope, audio: bytes) -> tuple[bytes | None, bytes | None]:
        env["call"][field_name] = "@@N@@"  # type: ignore[index]
        number = "9" + "".join(rng.choice("0123456789") for _ in range(digits - 1))
        return json.dumps(env).replace('"@@N@@"', number).encode(), audio

    return mutate


def _when(value: Callable[[random.Random], dt.datetime]) -> Mutation:
    return _set("start_time", lambda rng: value(rng).isoformat())


def _unicode(rng: random.Random) -> str:
    return "".join(chr(rng.randrange(0x20, 0x2FFFF)) for _ in range(rng.randrange(1, 40)))


MUTATIONS: dict[str, Mutation] = {
    "truncated_json": lambda rng, env, audio: (json.dumps(env).encode()[: rng.randrange(1, 60)], audio),
    "not_json": lambda rng, env, audio: (rng.randbytes(rng.randrange(1, 200)), audio),
    "json_not_object": lambda rng, env, audio: (b"[1, 2, 3]", audio),
    "missing_field": lambda rng, env, audio: (
        env["call"].pop(rng.choice(["system", "talkgroup", "start_time", "duration_s"])),  # type: ignore[attr-defined]
        _json(env, audio),
    )[1],
    "talkgroup_2_64": _set("talkgroup", lambda rng: 2**64 + rng.randrange(1000)),
    "talkgroup_30_digits": _set("talkgroup", _digits(30)),
    "talkgroup_1e300": _set("talkgroup", lambda rng: 1e300),
    "duration_400_digits": _raw_number("duration_s", 400),
    "freq_5000_digits": _raw_number("freq_hz", 5000),
    "duration_negative": _set("duration_s", lambda rng: -rng.uniform(0, 100)),
    "date_2100": _when(lambda rng: dt.datetime(2100, 1, 1, tzinfo=dt.UTC)),
    "date_1970": _when(lambda rng: dt.datetime(1970, 1, 1, tzinfo=dt.UTC)),
    "date_2019_archive": _when(lambda rng: dt.datetime(2019, 6, 1, rng.randrange(24), tzinfo=dt.UTC)),
    "date_tomorrow": _when(lambda rng: dt.datetime.now(dt.UTC) + dt.timedelta(days=1)),
    "date_no_timezone": _set("start_time", lambda rng: "2026-11-02T08:00:00"),
    "system_unicode": _set("system", _unicode),
    "system_slash": _set("system", lambda rng: rng.choice(["a/b", "../../etc", "a_b", "etc"])),
    "label_100k": _set("talkgroup_tag", lambda rng: "x" * 100_000),
    "audio_missing": lambda rng, env, audio: (json.dumps(env).encode(), None),
    "audio_empty": lambda rng, env, audio: (json.dumps(env).encode(), b""),
    "audio_random_bytes": lambda rng, env, audio: (json.dumps(env).encode(), rng.randbytes(rng.randrange(1, 5000))),
    "audio_truncated_wav": lambda rng, env, audio: (json.dumps(env).encode(), audio[: rng.randrange(1, 44)]),
    "audio_no_envelope": lambda rng, env, audio: (None, audio),
}


@dataclass
class Delivery:
    kind: str
    envelope_key: str | None
    audio_key: str


@dataclass
class InputReport:
    generated: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    ticks: int = 0
    failed_ticks: int = 0
    tick_errors: list[str] = field(default_factory=list)
    runs: int = 0
    failed_runs: int = 0
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    # most wall time and resident memory one bad call cost, alone through tick + run
    worst_s: tuple[float, str] = (0.0, "")
    worst_mb: tuple[float, str] = (0.0, "")


def write(location: LakeLocation, rng: random.Random, n: int, kind: str | None = None) -> Delivery:
    """One delivery in the landing zone; ``kind`` None is a good call."""
    store = resource(location).objects
    received = dt.datetime.now(dt.UTC)
    meta = call(n)
    name = f"gen-{n}-{rng.getrandbits(32):08x}"
    audio_key = landing_key("upload", received, f"{name}.wav")
    envelope_key = landing_key("upload", received, f"{name}.call.json")
    env: Envelope = {"source": "upload", "received_at": received.isoformat(), "audio_key": audio_key,
                     "audio_ext": "wav", "call": meta_to_json(meta)}
    envelope, audio = (json.dumps(env).encode(), wav_bytes(0.5)) if kind is None else MUTATIONS[kind](rng, env, wav_bytes(0.5))
    if audio is not None:
        store.put(audio_key, audio)
    if envelope is not None:
        store.put(envelope_key, envelope)
    elif store.local_path(audio_key):
        # a producer that died long ago: old enough for the sweep's age threshold
        then = time.time() - 2 * 3600
        os.utime(store.local_path(audio_key), (then, then))  # type: ignore[arg-type]
    return Delivery(kind or "good", envelope_key if envelope is not None else None, audio_key)


def drain(location: LakeLocation, instance: dg.DagsterInstance, report: InputReport, max_ticks: int = 40) -> None:
    """Evaluate the landing sensor and execute its runs until the zone is empty, then sweep."""
    lake = resource(location)
    cursor: str | None = None
    for _ in range(max_ticks):
        report.ticks += 1
        try:
            result = landing_sensor(dg.build_sensor_context(instance=instance, cursor=cursor, resources={"lake": lake}))
        except Exception as exc:  # a failed tick is the finding being counted
            report.failed_ticks += 1
            report.tick_errors.append(f"{type(exc).__name__}: {str(exc)[:200]}")
            continue
        assert isinstance(result, dg.SensorResult)
        cursor = result.cursor
        for request in result.run_requests or []:
            report.runs += 1
            done = dg.materialize(
                [raw_calls], instance=instance, partition_key=request.partition_key,
                run_config=request.run_config, tags=request.tags, raise_on_error=False,
                resources={"lake": lake, "trunk_recorder": TrunkRecorderSource(capture_dirs=[])},
            )
            report.failed_runs += not done.success
        if not result.run_requests and _only_orphans(location):
            break
    dg.materialize([landing_leftovers], resources={"lake": lake},
                   run_config={"ops": {"landing_leftovers": {"config": {"min_age_s": 3600.0}}}})


def _only_orphans(location: LakeLocation) -> bool:
    return not any(k.endswith(".call.json") for k in resource(location).objects.list("landing"))


def check(location: LakeLocation, deliveries: list[Delivery], report: InputReport) -> None:
    """Every delivery in exactly one of raw_calls and raw_quarantine; no call twice."""
    rows = delta.read(location, RAW_CALLS, columns=["call_uid", "source_ref"])
    quarantined = set(delta.read(location, RAW_QUARANTINE, columns=["source_ref"])["source_ref"].to_pylist())
    stored = Counter(rows["source_ref"].to_pylist())
    for d in deliveries:
        ref = d.envelope_key or d.audio_key
        places = stored[ref] + (ref in quarantined)
        if places == 0:
            report.lost.append(f"{d.kind}: {ref}")
        elif places > 1:
            report.duplicated.append(f"{d.kind}: {ref}")
    report.duplicated += [f"call_uid {u}" for u, c in Counter(rows["call_uid"].to_pylist()).items() if c > 1]


def peak_cost(fn: Callable[[], None]) -> tuple[float, float]:
    """Wall seconds and the most resident memory (MB) above the start that ``fn`` used."""
    proc = psutil.Process()
    base = proc.memory_info().rss
    peak = [base]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], proc.memory_info().rss)
            time.sleep(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    t0 = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - t0
    stop.set()
    sampler.join()
    return elapsed, (peak[0] - base) / 2**20


def run_inputs(location: LakeLocation, rng: random.Random, n_inputs: int, good_every: int = 4) -> InputReport:
    """``n_inputs`` random bad deliveries (with a good call every ``good_every``), in
    batches through the sensor; then each kind once more alone, for its cost."""
    report = InputReport()
    deliveries: list[Delivery] = []
    kinds = sorted(MUTATIONS)
    with dg.instance_for_test() as instance:
        n = 0
        while report.generated < n_inputs:
            for _ in range(min(50, n_inputs - report.generated)):
                n += 1
                kind = rng.choice(kinds)
                deliveries.append(write(location, rng, n, kind))
                report.generated += 1
                report.kinds[kind] += 1
                if n % good_every == 0:
                    n += 1
                    deliveries.append(write(location, rng, n, None))
            drain(location, instance, report)
        for kind in kinds:
            n += 1
            deliveries.append(write(location, rng, n, kind))
            report.generated += 1
            report.kinds[kind] += 1
            seconds, mb = peak_cost(lambda: drain(location, instance, report))
            report.worst_s = max(report.worst_s, (seconds, kind))
            report.worst_mb = max(report.worst_mb, (mb, kind))
    check(location, deliveries, report)
    return report
