"""The one rate limiter: a token bucket, shared by the upload service (uploads per API key,
refused keys per client address) and the Broadcastify client (its pacing per API key).

A bucket holds up to ``burst`` tokens and gains one every ``interval_s``; a request takes
one. ``burst=1`` spaces requests ``interval_s`` apart (Broadcastify's "one poll every five
seconds"); a larger burst lets a quiet client send a few at once, then holds it to the rate.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable


class TokenBucket:
    """Thread-safe. ``take``/``wait_s`` answer at once (a server refuses with Retry-After);
    ``wait`` blocks until a token is free (a client keeps its distance)."""

    def __init__(
        self,
        interval_s: float,
        burst: int = 1,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        now: float | None = None,
    ) -> None:
        if interval_s < 0 or burst < 1:
            raise ValueError(f"a token bucket needs interval_s >= 0 and burst >= 1, not {interval_s}, {burst}")
        self.interval_s = interval_s
        self.rate_per_s = math.inf if interval_s == 0 else 1.0 / interval_s
        self.burst = float(burst)
        self.tokens = float(burst)
        self._clock = clock
        self._sleep = sleep
        self.updated = clock() if now is None else now
        self._lock = threading.Lock()

    @classmethod
    def per_second(cls, rate_per_s: float, burst: int = 1, now: float | None = None) -> TokenBucket:
        return cls(1.0 / rate_per_s, burst, now=now)

    def _refill(self, now: float) -> None:
        if self.rate_per_s == math.inf:
            self.tokens = self.burst
        elif now > self.updated:
            self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate_per_s)
        self.updated = max(self.updated, now)

    def _wait_s(self) -> float:
        return 0.0 if self.tokens >= 1.0 else (1.0 - self.tokens) * self.interval_s

    def take(self, now: float | None = None) -> float:
        """Take one token; returns 0 when granted, else the seconds until one is free (and
        takes nothing)."""
        with self._lock:
            self._refill(self._clock() if now is None else now)
            wait = self._wait_s()
            if wait == 0.0:
                self.tokens -= 1.0
            return wait

    def wait_s(self, now: float | None = None) -> float:
        """The seconds until a token is free, without taking one."""
        with self._lock:
            self._refill(self._clock() if now is None else now)
            return self._wait_s()

    def full(self, now: float) -> bool:
        """Whether the bucket is back to its burst (an idle client that can be forgotten)."""
        with self._lock:
            self._refill(now)
            return self.tokens >= self.burst

    def wait(self) -> None:
        """Block until a token is free, then take it. Waiters queue on the lock, so threads
        sharing a bucket go one at a time, each after the other's interval."""
        with self._lock:
            self._refill(self._clock())
            pause = self._wait_s()
            if pause > 0:
                self._sleep(pause)
                self._refill(self._clock())
                # a clock that has not moved the whole pause (a test's) still grants
                self.tokens = max(self.tokens, 1.0)
            self.tokens -= 1.0
