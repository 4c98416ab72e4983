import dataclasses
import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
import soundfile as sf

from resources.simulator import render, traffic, truth
from resources.simulator.script import words_of
from resources.simulator.simulate import simulate, simulate_live
from resources.trunk_recorder.format import parse_call_json

CALLS = 5


def _files(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    a = simulate(CALLS, seed=42, out=tmp_path_factory.mktemp("a"), workers=1)
    b = simulate(CALLS, seed=42, out=tmp_path_factory.mktemp("b"), workers=1)
    return a, b


def test_same_seed_gives_identical_files(runs):
    a, b = runs
    files_a, files_b = _files(a.out_dir), _files(b.out_dir)
    assert files_a == files_b
    audio = [k for k in files_a if k.endswith((".wav", ".m4a"))]
    assert len(audio) == CALLS
    assert pq.read_table(a.ground_truth).equals(pq.read_table(b.ground_truth))


def test_result_paths_and_counts(runs):
    a, _ = runs
    for path in (
        a.ground_truth,
        a.gazetteer_csv,
        a.county_geojson,
        a.talkgroups_csv,
        a.ten_codes_csv,
    ):
        assert path.is_file() and path.parent == a.out_dir
    assert a.calls == CALLS and a.capture_dir == a.out_dir / "capture"
    assert a.audio_seconds > CALLS * 1.5


def test_call_folders_parse_back_and_match_the_ground_truth(runs):
    a, _ = runs
    rows = truth.read(a.ground_truth).to_pylist()
    assert len(rows) == CALLS
    for row in rows:
        audio = a.out_dir / row["audio_path"]
        meta = parse_call_json(audio.with_suffix(".json").read_bytes(), str(audio))
        assert meta.call_uid == row["call_uid"]
        assert meta.talkgroup == row["talkgroup"] and meta.talkgroup_tag == row["talkgroup_tag"]
        assert meta.talkgroup_group in ("Fire", "EMS", "Police")
        assert meta.start_time == row["start_time"]
        assert meta.duration_s == pytest.approx(row["duration_s"], abs=0.001)
        assert audio.suffix == f".{row['audio_ext']}"
        assert json.loads(audio.with_suffix(".json").read_text())["short_name"] == "autauga"
        if audio.suffix == ".wav":
            samples, sr = sf.read(audio)
            assert sr == row["sample_rate_hz"] in (8000, 16000)
            assert len(samples) / sr == pytest.approx(row["duration_s"], abs=0.01)


def test_ground_truth_words_and_entities(runs):
    a, _ = runs
    for row in truth.read(a.ground_truth).to_pylist():
        words = row["words"]
        assert [w["word"] for w in words] == words_of(row["spoken_text"])
        for w in words:
            assert 0 <= w["start_s"] < w["end_s"] <= row["duration_s"]
        for x, y in zip(words, words[1:], strict=False):
            assert x["end_s"] <= y["start_s"] + 1e-3
        for e in row["entities"]:
            assert row["spoken_text"][e["start_char"] : e["end_char"]] == e["text"]
            assert e["start_s"] <= e["end_s"]
            if e["label"] in ("ADDRESS", "INTERSECTION", "MILE_MARKER"):
                assert e["lat"] is not None and e["lon"] is not None
        if not row["is_silent"]:
            assert row["snr_db"] is not None and row["spoken_text"]


def test_band_limit_holds_in_the_written_audio(runs):
    a, _ = runs
    wide = [
        r
        for r in truth.read(a.ground_truth).to_pylist()
        if r["sample_rate_hz"] == 16000 and r["audio_ext"] == "wav"
    ]
    assert wide
    for row in wide:
        x, sr = sf.read(a.out_dir / row["audio_path"])
        spectrum = np.abs(np.fft.rfft(x)) ** 2
        freqs = np.fft.rfftfreq(len(x), 1 / sr)
        assert spectrum[freqs > 4200].sum() / spectrum[(freqs > 300) & (freqs < 3400)].sum() < 1e-3


def test_silent_and_garbled_calls_are_flagged():
    call = traffic.plan(40, seed=8)[0]
    silent = render.render(
        dataclasses.replace(call, utterances=(), is_silent=True, snr_db=None), seed=8
    )
    assert (
        silent.truth["spoken_text"] == ""
        and silent.truth["words"] == []
        and silent.truth["entities"] == []
    )
    assert silent.truth["is_silent"] and silent.truth["snr_db"] is None
    garbled = render.render(dataclasses.replace(call, is_garbled=True, snr_db=3.0), seed=8)
    assert garbled.truth["is_garbled"] and garbled.truth["garbled_ratio"] > 0.2
    assert garbled.truth["spoken_text"] == render.render(call, seed=8).truth["spoken_text"]


def test_live_writes_calls_as_they_end(tmp_path):
    start = dt.datetime(2026, 11, 2, 23, 59, 30, tzinfo=dt.UTC)
    waits: list[float] = []  # the sleeps it asked for; none taken, so they add up to the due times
    calls = list(simulate_live(tmp_path, seed=3, calls=3, start=start, sleep=waits.append))
    assert len(calls) == 3
    for c in calls:
        assert c.audio_path.is_file() and c.json_path.is_file()
        assert (
            parse_call_json(c.json_path.read_bytes(), str(c.json_path)).call_uid
            == c.truth["call_uid"]
        )
    due = [(c.truth["start_time"] - start).total_seconds() + c.truth["duration_s"] for c in calls]
    assert len(waits) == 3
    for asked, at in zip(waits, due, strict=True):
        assert at - 30 < asked <= at  # less the time spent rendering
    rows = truth.read(tmp_path / "ground_truth.parquet").to_pylist()
    assert [r["call_uid"] for r in rows] == [c.truth["call_uid"] for c in calls]
    assert (tmp_path / "gazetteer.csv").is_file()


def test_live_speed_must_be_positive(tmp_path):
    with pytest.raises(ValueError):
        next(simulate_live(tmp_path, seed=1, calls=1, speed=0))


def test_reference_tables_beside_the_capture(runs):
    a, _ = runs
    codes = a.ten_codes_csv.read_text().splitlines()
    assert codes[0] == "code,meaning" and "10-4,Acknowledged" in codes
    talkgroups = a.talkgroups_csv.read_text().splitlines()
    assert talkgroups[0] == "Decimal,Hex,Alpha Tag,Mode,Description,Tag,Category"
    assert any(
        line.startswith("1001,3e9,FD Dispatch,D,") and line.endswith(",Fire Dispatch,Fire")
        for line in talkgroups
    )


def test_an_existing_capture_is_replaced_or_refused(runs, tmp_path):
    a, _ = runs
    with pytest.raises(FileExistsError):
        simulate(1, seed=1, out=a.out_dir, overwrite=False)
    copy = tmp_path / "copy"
    shutil.copytree(a.out_dir, copy)
    result = simulate(0, seed=1, out=copy)
    assert result.calls == 0 and not list((copy / "capture").rglob("*.json"))
    assert truth.read(result.ground_truth).num_rows == 0
