"""Running a few services as one command (``scanlake live``) and stopping all of them, and
everything they started, however the command is stopped.

Ctrl-C in a terminal sends SIGINT to the whole foreground group, and every service shuts
down its own way. A service manager (systemd, a container runtime, ``kill -TERM -PGID``)
sends SIGTERM instead, which Python does not turn into a clean exit by default, and some
services start children in sessions of their own (Dagster's code servers), which a signal
to the group never reaches. So SIGTERM is handled here as Ctrl-C is, each service gets
SIGINT, and whatever is left of their process trees after a grace period is killed.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Sequence
from types import FrameType

import psutil

GRACE_S = 20.0


class _Stop(Exception):
    """SIGTERM arrived: leave the wait and stop every service."""


def _raise_stop(_signo: int, _frame: FrameType | None) -> None:
    raise _Stop


def supervise(commands: Sequence[Sequence[str]], grace_s: float = GRACE_S) -> int:
    """Start ``commands``; return when the last one started exits (its exit code) or on
    Ctrl-C/SIGTERM, after every one of them and all their descendants are gone."""
    previous = signal.signal(signal.SIGTERM, _raise_stop), signal.getsignal(signal.SIGINT)
    procs: list[subprocess.Popen[bytes]] = []
    tree: dict[int, psutil.Process] = {}
    code = 0
    try:
        procs = [subprocess.Popen(list(c)) for c in commands]
        while procs[-1].poll() is None:
            _remember(procs, tree)
            time.sleep(0.5)
        code = procs[-1].returncode
    except (KeyboardInterrupt, _Stop):
        code = 130
    finally:
        # A second Ctrl-C or SIGTERM must not cut the cleanup short.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        _remember(procs, tree)
        stop_all(procs, tree, grace_s)
        signal.signal(signal.SIGTERM, previous[0])
        signal.signal(signal.SIGINT, previous[1])
    return code


def _remember(procs: Sequence[subprocess.Popen[bytes]], tree: dict[int, psutil.Process]) -> None:
    """Note every descendant while it is still attached: once its parent exits, a child
    re-parents to init and can no longer be found from here."""
    for proc in procs:
        try:
            root = psutil.Process(proc.pid)
            for p in [root, *root.children(recursive=True)]:
                tree.setdefault(p.pid, p)
        except psutil.Error:
            continue


def stop_all(procs: Sequence[subprocess.Popen[bytes]], tree: dict[int, psutil.Process], grace_s: float) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)  # what Ctrl-C gives each of them
    deadline = time.monotonic() + grace_s
    for proc in procs:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    # Children the services left behind (or had not stopped yet): ask, then insist.
    alive = [p for p in tree.values() if _running(p)]
    for p in alive:
        p.terminate()
    _gone, still = psutil.wait_procs(alive, timeout=5)
    for p in still:
        p.kill()


def _running(p: psutil.Process) -> bool:
    try:
        return p.is_running() and p.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False
