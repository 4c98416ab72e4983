"""Rate limits of the upload service: one token bucket per API key (uploads), and one per
client address (refused keys)."""

from __future__ import annotations

import threading
import time


class TokenBucket:
    """``burst`` uploads at once, then ``rate_per_s`` sustained."""

    def __init__(self, rate_per_s: float, burst: int, now: float) -> None:
        self.rate_per_s = rate_per_s
        self.burst = float(burst)
        self.tokens = float(burst)
        self.updated = now

    def refill(self, now: float) -> None:
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate_per_s)
        self.updated = now

    def wait_s(self) -> float:
        return 0.0 if self.tokens >= 1.0 else (1.0 - self.tokens) / self.rate_per_s

    def take(self, now: float) -> float:
        """Take one token; returns 0 when granted, else the seconds until one is free."""
        self.refill(now)
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.rate_per_s


class RateLimiter:
    # Past this many buckets, full ones (idle clients) are dropped: addresses are cheap to
    # an attacker, memory is not.
    MAX_TRACKED = 10_000

    def __init__(self, rate_per_s: float, burst: int) -> None:
        self.rate_per_s = rate_per_s
        self.burst = burst
        self._buckets: dict[str, TokenBucket] = {}
        self._lock = threading.Lock()

    def take(self, key_id: str, now: float | None = None) -> float:
        """0 when ``key_id`` may upload now, else the seconds it should wait."""
        now = time.monotonic() if now is None else now
        with self._lock:
            bucket = self._buckets.get(key_id)
            if bucket is None:
                if len(self._buckets) >= self.MAX_TRACKED:
                    self._prune(now)
                bucket = self._buckets[key_id] = TokenBucket(self.rate_per_s, self.burst, now)
            return bucket.take(now)

    def wait_s(self, key_id: str, now: float | None = None) -> float:
        """The seconds until ``key_id`` has a token, without taking one."""
        now = time.monotonic() if now is None else now
        with self._lock:
            bucket = self._buckets.get(key_id)
            if bucket is None:
                return 0.0
            bucket.refill(now)
            return bucket.wait_s()

    def _prune(self, now: float) -> None:
        for key_id, bucket in list(self._buckets.items()):
            bucket.refill(now)
            if bucket.tokens >= bucket.burst:
                del self._buckets[key_id]
