"""The quality analysis on realistic calls: the simulator's piper and espeak-ng speech over a
radio channel, scored against its ground truth (SNR, silent and clipped calls)."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from assets.audio.errors import BadAudio
from assets.audio.normalize import normalize
from assets.audio.quality import CLEAN, POOR

simulate = pytest.importorskip("resources.simulator.simulate").simulate

pytestmark = pytest.mark.slow  # renders speech with the piper voice model


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[dict, object]]:
    out = tmp_path_factory.mktemp("sim")
    simulate(20, 7, out, workers=1)
    results = []
    for row in pq.read_table(out / "ground_truth.parquet").to_pylist():
        path = Path(out, row["audio_path"])
        try:
            results.append((row, normalize(path.read_bytes(), path.suffix.lstrip("."))))
        except BadAudio as exc:
            results.append((row, exc))
    return results


def test_silent_calls_are_quarantined_and_speech_is_kept(simulated):
    for row, result in simulated:
        assert isinstance(result, BadAudio) == row["is_silent"], row["call_uid"]


def test_snr_estimate_tracks_the_truth(simulated):
    errors = [
        result.metrics.snr_db - row["snr_db"]
        for row, result in simulated
        if not isinstance(result, BadAudio) and not row["is_garbled"]
    ]
    assert len(errors) >= 10
    # our SNR is the active speech level over the noise (frames with speech only), the
    # simulator's the power over the whole speech span: ours reads a little higher
    assert all(-2.0 < e < 6.0 for e in errors), errors


def test_tiers_follow_the_channel(simulated):
    for row, result in simulated:
        if isinstance(result, BadAudio) or row["is_clipped"]:
            continue
        if row["snr_db"] >= 25:
            assert result.tier == CLEAN, row["call_uid"]
        if row["snr_db"] < 6:
            assert result.tier == POOR, row["call_uid"]
        assert result.duration_s <= row["duration_s"] + 0.05
