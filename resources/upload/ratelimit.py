"""Per-key rate limit of the upload service: one token bucket per API key."""

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

    def take(self, now: float) -> float:
        """Take one token; returns 0 when granted, else the seconds until one is free."""
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate_per_s)
        self.updated = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.rate_per_s


class RateLimiter:
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
                bucket = self._buckets[key_id] = TokenBucket(self.rate_per_s, self.burst, now)
            return bucket.take(now)
