"""The analyst notebooks run top to bottom (nbclient, a real kernel) against a small lake."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from nbclient import NotebookClient

from lake import LakeLocation
from tests.fixtures.small_lake import MODEL, OTHER_MODEL, SCENARIOS, SmallLake, build_small_lake

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


@pytest.fixture(scope="module")
def notebook_lake(tmp_path_factory: pytest.TempPathFactory) -> SmallLake:
    return build_small_lake(LakeLocation(str(tmp_path_factory.mktemp("nb") / "lake")))


def run(name: str, lake: SmallLake, monkeypatch: pytest.MonkeyPatch, **env: str) -> dict:
    """Execute a notebook and return its closing ``summary`` dict."""
    monkeypatch.setenv("SCANLAKE_LAKE_URI", lake.location.uri)
    monkeypatch.delenv("SCANLAKE_GROUND_TRUTH", raising=False)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    book = nbformat.read(NOTEBOOKS / name, as_version=4)
    NotebookClient(book, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    last = book.cells[-1]["outputs"][-1]
    return ast.literal_eval(last["data"]["text/plain"])


def test_explore_calls(notebook_lake, monkeypatch):
    summary = run("01_explore_calls.ipynb", notebook_lake, monkeypatch)
    assert summary == {
        "calls": len(notebook_lake.start_of),
        "talkgroups": 5,
        "top_incident": "STRUCTURE_FIRE",
        "structure_fire_hits": 3,
        "words_of_latest_call": len(SCENARIOS[0].text.split()) - 1,  # the newest model dropped one
    }


def test_geospatial_hotspots(notebook_lake, monkeypatch):
    summary = run("02_geospatial_hotspots.ipynb", notebook_lake, monkeypatch)
    assert summary["places"] == 15 and summary["calls"] == 15
    # the five addresses, three calls each, 500 m apart or more: five cells of three calls
    assert summary["cells"] == 5 and summary["busiest_cell_calls"] == 3
    assert summary["hotspots"] == 5


def test_model_comparison_against_ground_truth(notebook_lake, monkeypatch, tmp_path):
    truth = pa.table(
        {
            "call_uid": notebook_lake.call_uids,
            "written_text": [SCENARIOS[notebook_lake.scenario_of[u]].text for u in notebook_lake.call_uids],
        }
    )
    pq.write_table(truth, tmp_path / "ground_truth.parquet")
    summary = run(
        "03_model_comparison.ipynb", notebook_lake, monkeypatch,
        SCANLAKE_GROUND_TRUTH=str(tmp_path / "ground_truth.parquet"),
    )
    assert summary["reference"] == "ground truth" and summary["models"] == [OTHER_MODEL, MODEL]
    assert summary["wer"][MODEL] == 0.0  # tiny.en wrote exactly what was said
    assert 0.1 < summary["wer"][OTHER_MODEL] < 0.4  # one substitution and one deletion per call
    assert summary["calls_compared"] == 24  # 27 calls, less the three silent ones


def test_model_comparison_between_models(notebook_lake, monkeypatch):
    summary = run("03_model_comparison.ipynb", notebook_lake, monkeypatch)
    assert summary["reference"] == f"model {OTHER_MODEL}"
    assert summary["wer"][OTHER_MODEL] == 0.0 and summary["wer"][MODEL] > 0
