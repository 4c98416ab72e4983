"""delta-rs panics in a child forked after its runtime started in the parent. This is why
scanlake's process pools use spawn or forkserver; the test keeps the reason measured."""

import os
import subprocess
import sys
import textwrap

import dagster as dg
import pytest

from lake import LakeLocation, delta
from lake.tables import RAW_CALLS
from tests.lake import fork_job
from tests.lake.rows import raw_calls

SCRIPT = textwrap.dedent(
    """
    import multiprocessing as mp, sys
    from lake import LakeLocation, delta
    from lake.tables import RAW_CALLS
    from tests.lake.rows import raw_calls

    def child(uri):
        delta.merge(LakeLocation(uri), RAW_CALLS, raw_calls(1, prefix="child"))

    if __name__ == "__main__":
        uri = sys.argv[2]
        delta.merge(LakeLocation(uri), RAW_CALLS, raw_calls(1, prefix="parent"))
        p = mp.get_context(sys.argv[1]).Process(target=child, args=(uri,))
        p.start(); p.join(120)
        sys.exit(p.exitcode)
    """
)


def _run(method: str, tmp_path) -> subprocess.CompletedProcess:
    script = tmp_path / "fork_probe.py"
    script.write_text(SCRIPT)
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    return subprocess.run(
        [sys.executable, str(script), method, str(tmp_path / f"lake-{method}")],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )


def test_forked_child_panics_after_parent_used_deltalake(tmp_path):
    result = _run("fork", tmp_path)
    assert result.returncode != 0
    assert "Forked process detected" in result.stderr


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_spawn_and_forkserver_children_write_fine(tmp_path, method):
    result = _run(method, tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]


def test_dagster_multiprocess_executor_runs_delta_writers(tmp_path):
    """The project's executor, in a process that already used deltalake: each step is a
    child process that writes Delta, and none panics."""
    lake = LakeLocation(str(tmp_path / "lake"))
    delta.merge(lake, RAW_CALLS, raw_calls(1, prefix="parent"))
    ops = {name: {"config": {"lake_uri": lake.uri}} for name in ("a", "b")}
    with dg.instance_for_test() as instance:
        result = dg.execute_job(
            dg.reconstructable(fork_job.two_writers), instance=instance, run_config={"ops": ops}
        )
        assert result.success
    assert sorted(delta.read(lake, RAW_CALLS)["call_uid"].to_pylist()) == ["a-0", "b-0", "parent-0"]
