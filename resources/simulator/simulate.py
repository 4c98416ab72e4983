"""Simulate a county's radio traffic into a trunk-recorder capture folder, with the
ground truth, the gazetteer and the county outline beside it.

Layout of ``out``::

    capture/autauga/YYYY/M/D/TG-START_FREQ-call_0.{wav,m4a,json}   trunk-recorder's own
    ground_truth.parquet      one row per call (see truth.py)
    gazetteer.csv             OpenAddresses columns, every address point
    county.geojson            the county boundary
    talkgroups.csv            trunk-recorder's talkgroup file for the system
    ten_codes.csv             the 10-code table the dispatchers use
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from resources.simulator import catalog, gazetteer, truth
from resources.simulator.render import RenderedCall, render
from resources.simulator.traffic import PlannedCall, plan
from resources.trunk_recorder.format import write_call

_POOL_MIN_CALLS = 100  # below this, starting workers (each loading piper) costs more than it saves


@dataclass(frozen=True)
class SimulationResult:
    out_dir: Path
    capture_dir: Path
    ground_truth: Path
    gazetteer_csv: Path
    county_geojson: Path
    talkgroups_csv: Path
    ten_codes_csv: Path
    calls: int
    silent_calls: int
    garbled_calls: int
    audio_seconds: float
    elapsed_s: float


@dataclass(frozen=True)
class SimulatedCall:
    """A call as it was written to a live capture folder."""

    audio_path: Path
    json_path: Path
    truth: dict[str, object]
    written_at: dt.datetime  # wall clock when the JSON landed


def _write_reference(out: Path, town: str) -> tuple[Path, Path, Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    gaz = gazetteer.build(town)
    return (
        gazetteer.write_openaddresses_csv(gaz, out / "gazetteer.csv"),
        gazetteer.write_county_geojson(out / "county.geojson", gaz.area),
        catalog.write_talkgroups_csv(out / "talkgroups.csv", gaz.area.name, gaz.area.towns[0].name),
        catalog.write_ten_codes_csv(out / "ten_codes.csv"),
    )


def _clear_capture(out: Path, overwrite: bool) -> None:
    capture = out / "capture"
    if capture.exists() and any(capture.iterdir()):
        if not overwrite:
            raise FileExistsError(
                f"{capture} already holds calls; pass overwrite=True to replace them"
            )
        shutil.rmtree(capture)
        (out / "ground_truth.parquet").unlink(missing_ok=True)


def _store(
    out: Path, capture: Path, rendered: RenderedCall, town: str
) -> tuple[Path, Path, dict[str, object]]:
    tz = ZoneInfo(gazetteer.county_of(town).timezone)
    audio_path, json_path = write_call(
        capture, rendered.meta, rendered.audio, rendered.audio_ext, tz=tz
    )
    return (
        audio_path,
        json_path,
        {**rendered.truth, "audio_path": audio_path.relative_to(out).as_posix()},
    )


def _render_batch(args: tuple[list[PlannedCall], int]) -> list[RenderedCall]:
    calls, seed = args
    return [render(c, seed) for c in calls]


def _rendered(calls: list[PlannedCall], seed: int, workers: int) -> Iterator[RenderedCall]:
    """Each call rendered, in order; across a spawn pool when that pays."""
    if workers <= 1 or len(calls) < _POOL_MIN_CALLS:
        for c in calls:
            yield render(c, seed)
        return
    # Small chunks keep the parent writing while workers render; order is preserved.
    chunks = [calls[i : i + 8] for i in range(0, len(calls), 8)]
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
        for batch in pool.map(_render_batch, [(c, seed) for c in chunks]):
            yield from batch


def simulate(
    calls: int,
    seed: int,
    out: Path,
    start: dt.datetime | None = None,
    progress: Callable[[int], None] | None = None,
    calls_per_minute: float = 3.0,
    workers: int | None = None,
    overwrite: bool = True,
    town: str = gazetteer.DEFAULT_TOWN,
) -> SimulationResult:
    """Write ``calls`` simulated calls from ``start`` (default 2026-11-02 14:00 UTC, 08:00
    in the county) into ``out``. The same seed and start give the same files, byte for
    byte. ``progress`` is called with the number of calls written so far. A capture
    already in ``out`` is cleared first (``overwrite=False`` refuses instead), since the
    ground truth must describe every call beside it. ``town`` picks the simulated county:
    "autauga" (Autauga County, AL), "wexmoor" (generated streets, central Kansas) or
    "generated-SEED" (see ``resources.simulator.generated``)."""
    began = time.perf_counter()
    out = Path(out)
    capture = out / "capture"
    _clear_capture(out, overwrite)
    csv_path, geojson, talkgroups, ten_codes = _write_reference(out, town)
    planned = plan(calls, seed, start, calls_per_minute, town)
    n_workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    rows: list[dict[str, object]] = []
    for done, rendered in enumerate(_rendered(planned, seed, n_workers), start=1):
        rows.append(_store(out, capture, rendered, town)[2])
        if progress:
            progress(done)
    gt = truth.write(rows, out / "ground_truth.parquet")
    return SimulationResult(
        out_dir=out,
        capture_dir=capture,
        ground_truth=gt,
        gazetteer_csv=csv_path,
        county_geojson=geojson,
        talkgroups_csv=talkgroups,
        ten_codes_csv=ten_codes,
        calls=len(rows),
        silent_calls=sum(bool(r["is_silent"]) for r in rows),
        garbled_calls=sum(bool(r["is_garbled"]) for r in rows),
        audio_seconds=sum(float(r["duration_s"]) for r in rows),  # type: ignore[arg-type]
        elapsed_s=time.perf_counter() - began,
    )


def simulate_live(
    out: Path,
    seed: int,
    calls: int | None = None,
    speed: float = 1.0,
    start: dt.datetime | None = None,
    calls_per_minute: float = 3.0,
    sleep: Callable[[float], None] = time.sleep,
    town: str = gazetteer.DEFAULT_TOWN,
) -> Iterator[SimulatedCall]:
    """Write calls into ``out/capture`` as a recorder would: each one when it ends, on the
    wall clock (``speed`` > 1 runs the clock faster). Calls are stamped from ``start``
    (default: now). ``calls=None`` runs until the caller stops iterating. Calls already
    in the folder are left alone, as a recorder leaves them; ``out/ground_truth.parquet``
    is written with this run's calls when the generator ends or is closed."""
    if speed <= 0:
        raise ValueError("speed must be > 0")
    out = Path(out)
    capture = out / "capture"
    _write_reference(out, town)
    t0 = (start or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    wall0 = time.monotonic()
    rows: list[dict[str, object]] = []
    written: set[tuple[dt.datetime, int]] = set()
    batch = calls if calls is not None else 200
    try:
        while calls is None or len(rows) < calls:
            # An endless run plans ever longer stretches from the same start and seed and
            # writes what it has not written yet.
            fresh = [
                c
                for c in plan(batch, seed, t0, calls_per_minute, town)
                if (c.start_time, c.talkgroup.tgid) not in written
            ]
            fresh = [c for c in fresh if not rows or c.start_time >= rows[-1]["start_time"]]  # type: ignore[operator]
            for call in fresh[: None if calls is None else calls - len(rows)]:
                rendered = render(call, seed)
                due = (call.start_time - t0).total_seconds() + rendered.meta.duration_s
                wait = due / speed - (time.monotonic() - wall0)
                if wait > 0:
                    sleep(wait)
                audio_path, json_path, row = _store(out, capture, rendered, town)
                rows.append(row)
                written.add((call.start_time, call.talkgroup.tgid))
                yield SimulatedCall(audio_path, json_path, row, dt.datetime.now(dt.UTC))
            if calls is not None and not fresh:
                break
            batch *= 2
    finally:
        truth.write(rows, out / "ground_truth.parquet")
