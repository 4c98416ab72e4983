"""How often and how persistently the client asks: a process-wide rate limit per API key
(a ``resources.ratelimit.TokenBucket`` of one token), and exponential backoff for retries."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from resources.ratelimit import TokenBucket

_SHARED: dict[tuple[str, str], TokenBucket] = {}
_SHARED_LOCK = threading.Lock()


def shared_limiter(base_url: str, api_key_id: str, min_interval_s: float) -> TokenBucket:
    """One limiter per API key and host in this process: a client made per sensor tick
    still keeps its distance from the previous tick's requests."""
    with _SHARED_LOCK:
        limiter = _SHARED.get((base_url, api_key_id))
        if limiter is None or limiter.interval_s != min_interval_s:
            limiter = _SHARED[(base_url, api_key_id)] = TokenBucket(min_interval_s)
        return limiter


@dataclass
class RetryPolicy:
    max_retries: int = 3
    backoff_s: float = 1.0
    max_backoff_s: float = 30.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

    def delay(self, attempt: int, retry_after: str | None = None) -> float:
        wait = self.backoff_s * 2**attempt
        if retry_after and retry_after.strip().isdigit():
            wait = max(wait, float(retry_after))
        return min(wait, self.max_backoff_s)
