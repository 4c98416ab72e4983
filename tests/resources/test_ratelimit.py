"""The one token bucket: a burst, then the rate; spacing for a client; zero means no limit."""

from __future__ import annotations

import threading
import time

import pytest

from resources.ratelimit import TokenBucket


def test_a_burst_then_one_token_per_interval():
    bucket = TokenBucket(0.5, burst=3, now=100.0)
    assert [bucket.take(100.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.take(100.0) == pytest.approx(0.5)
    assert bucket.wait_s(100.25) == pytest.approx(0.25)  # looking takes nothing
    assert bucket.take(100.5) == 0.0
    assert not bucket.full(100.5)
    assert bucket.full(102.0)  # refilled to the burst, never past it
    assert [bucket.take(102.0) for _ in range(4)][-1] == pytest.approx(0.5)


def test_per_second_is_the_same_bucket_by_its_rate():
    bucket = TokenBucket.per_second(2.0, burst=1, now=0.0)
    assert (bucket.interval_s, bucket.take(0.0), bucket.take(0.0)) == (0.5, 0.0, pytest.approx(0.5))


def test_wait_spaces_requests_by_the_interval_with_a_fake_clock():
    now = [10.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        now[0] += s

    bucket = TokenBucket(5.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(3):
        bucket.wait()
    assert slept == [pytest.approx(5.0), pytest.approx(5.0)]
    now[0] += 12.0  # idle longer than the interval: the next one goes at once
    bucket.wait()
    assert len(slept) == 2


def test_wait_spaces_threads_sharing_a_bucket():
    bucket = TokenBucket(0.1)
    times: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        bucket.wait()
        with lock:
            times.append(time.monotonic())

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    times.sort()
    assert len(times) == 4 and min(b - a for a, b in zip(times, times[1:], strict=False)) >= 0.09


def test_a_zero_interval_never_waits_and_bad_settings_are_refused():
    bucket = TokenBucket(0)
    assert all(bucket.take(0.0) == 0.0 for _ in range(1000))
    with pytest.raises(ValueError):
        TokenBucket(-1.0)
    with pytest.raises(ValueError):
        TokenBucket(1.0, burst=0)
