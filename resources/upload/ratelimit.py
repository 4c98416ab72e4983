"""Rate limits of the upload service: one token bucket (``resources.ratelimit``) per API key
(uploads), and one per client address (refused keys)."""

from __future__ import annotations

import threading
import time

from resources.ratelimit import TokenBucket


class RateLimiter:
    """A bucket per key: ``burst`` uploads at once, then ``rate_per_s`` sustained."""

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
                bucket = self._buckets[key_id] = TokenBucket.per_second(self.rate_per_s, self.burst, now)
            return bucket.take(now)

    def wait_s(self, key_id: str, now: float | None = None) -> float:
        """The seconds until ``key_id`` has a token, without taking one."""
        now = time.monotonic() if now is None else now
        with self._lock:
            bucket = self._buckets.get(key_id)
            return 0.0 if bucket is None else bucket.wait_s(now)

    def _prune(self, now: float) -> None:
        for key_id, bucket in list(self._buckets.items()):
            if bucket.full(now):
                del self._buckets[key_id]
