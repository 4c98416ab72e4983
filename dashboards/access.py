"""Who may use the dashboard, decided without Streamlit: the OIDC allowlist and the throttle
on failed password attempts. ``dashboards/auth.py`` applies both on every script run."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field


def _norm(values: Iterable[str]) -> frozenset[str]:
    return frozenset(v.strip().lower() for v in values if v and v.strip())


@dataclass(frozen=True)
class Allowlist:
    """Identities an OIDC sign-in must match: any listed email, any email of a listed domain,
    or any listed group in the ``groups_claim`` of the ID token. Empty admits nobody."""

    emails: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    groups_claim: str = "groups"

    @classmethod
    def of(
        cls,
        emails: Iterable[str] = (),
        domains: Iterable[str] = (),
        groups: Iterable[str] = (),
        groups_claim: str = "groups",
    ) -> Allowlist:
        return cls(
            _norm(emails), _norm(d.lstrip("@") for d in domains), _norm(groups), groups_claim
        )

    @property
    def empty(self) -> bool:
        return not (self.emails or self.domains or self.groups)

    def admits(self, user: Mapping[str, object]) -> bool:
        if _email_in(user, self.emails, self.domains):
            return True
        return bool(self.groups & _groups(user, self.groups_claim))


def _verified_email(user: Mapping[str, object]) -> str | None:
    email = user.get("email")
    if not isinstance(email, str) or "@" not in email:
        return None
    # An address the provider says it has not verified could be anyone's.
    if user.get("email_verified") is False or user.get("email_verified") == "false":
        return None
    return email.strip().lower()


def _email_in(user: Mapping[str, object], emails: frozenset[str], domains: frozenset[str]) -> bool:
    email = _verified_email(user)
    if email is None:
        return False
    return email in emails or email.rsplit("@", 1)[1] in domains


def _groups(user: Mapping[str, object], claim: str) -> frozenset[str]:
    value = user.get(claim)
    if isinstance(value, str):
        return _norm(value.split(","))
    if isinstance(value, list | tuple):
        return _norm(str(v) for v in value)
    return frozenset()


_FORGET_PAST_KEYS = 10_000


@dataclass(frozen=True)
class Limit:
    """At most ``failures`` failed attempts per ``window_s``; past it, attempts are refused
    until the oldest failure in the window ages out."""

    failures: int
    window_s: float


@dataclass
class FailureThrottle:
    """Failed sign-in attempts counted per key (a session, a client address, everyone):
    an attempt is refused while any of its keys is over its limit, so a guesser cannot
    escape the limit by opening new sessions, and many clients together meet the global one.
    Thread-safe: Streamlit runs every session's script in its own thread."""

    limits: Mapping[str, Limit]
    clock: Callable[[], float] = time.monotonic
    _failures: dict[tuple[str, str], deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_s(self, keys: Mapping[str, str]) -> float:
        """Seconds until an attempt with these keys (kind -> value) may be tried; 0 if now."""
        now = self.clock()
        wait = 0.0
        with self._lock:
            for kind, value in keys.items():
                limit = self.limits.get(kind)
                if limit is None:
                    continue
                times = self._prune((kind, value), now, limit)
                if len(times) >= limit.failures:
                    wait = max(wait, times[-limit.failures] + limit.window_s - now)
        return wait

    def failed(self, keys: Mapping[str, str]) -> None:
        now = self.clock()
        with self._lock:
            for kind, value in keys.items():
                limit = self.limits.get(kind)
                if limit is not None:
                    self._prune((kind, value), now, limit).append(now)
        if len(self._failures) > _FORGET_PAST_KEYS:
            self.forget_idle()

    def succeeded(self, keys: Mapping[str, str]) -> None:
        """A right password clears its session's count, not the client's or the global one."""
        with self._lock:
            self._failures.pop(("session", keys.get("session", "")), None)

    def forget_idle(self) -> None:
        """Drop keys with no failure left in their window, so memory stays bounded by the
        keys that failed recently."""
        now = self.clock()
        with self._lock:
            for key in list(self._failures):
                limit = self.limits.get(key[0])
                if limit is None or not self._prune(key, now, limit):
                    del self._failures[key]

    def reset(self) -> None:
        with self._lock:
            self._failures.clear()

    def _prune(self, key: tuple[str, str], now: float, limit: Limit) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and times[0] <= now - limit.window_s:
            times.popleft()
        return times
