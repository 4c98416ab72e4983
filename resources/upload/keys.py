"""API keys of the upload service: kept only as SHA-256 digests, each allowed a set of systems.

Why a plain SHA-256 and not scrypt or a peppered HMAC: upload keys are random tokens of at
least ``MIN_KEY_CHARS`` characters (``new_key`` makes 43 characters, 256 bits; rdio-scanner's
own keys are UUIDs, 122 bits), not passwords a person chose. Nobody can walk a dictionary
towards such a key, so a slow hash buys nothing, while it would cost tens of milliseconds
of CPU on every upload of a two-core box. A leaked ``SCANLAKE_UPLOAD_KEYS`` still reveals
no key, and a pepper would be one more secret to lose with it.

``SCANLAKE_UPLOAD_KEYS`` holds entries ``<sha256 hex>:<systems>`` separated by ``;`` or new
lines; ``<systems>`` is ``*`` (every system) or a comma-separated list of the system names
calls are stored under.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

ALL_SYSTEMS = "*"
MIN_KEY_CHARS = 16

_DIGEST = re.compile(r"^[0-9a-f]{64}$")
_ENTRY_SPLIT = re.compile(r"[;\n]+")


class InvalidKeyConfig(ValueError):
    """``SCANLAKE_UPLOAD_KEYS`` (or a key handed to ``key_entry``) cannot be used."""


@dataclass(frozen=True)
class ApiKey:
    digest: str
    # None: every system
    systems: frozenset[str] | None

    def allows(self, system: str) -> bool:
        return self.systems is None or system in self.systems


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> str:
    return secrets.token_urlsafe(32)


def key_entry(key: str, systems: Iterable[str] | None = None) -> str:
    """The ``SCANLAKE_UPLOAD_KEYS`` entry for ``key`` (what ``scanlake upload-key`` prints);
    ``systems`` None or empty allows every system."""
    if len(key) < MIN_KEY_CHARS:
        raise InvalidKeyConfig(f"an upload key needs at least {MIN_KEY_CHARS} characters")
    names = sorted({s.strip() for s in systems or () if s.strip()})
    for name in names:
        if name == ALL_SYSTEMS or any(c in name for c in ":;,\n"):
            raise InvalidKeyConfig(f"unusable system name {name!r}")
    return f"{hash_key(key)}:{','.join(names) or ALL_SYSTEMS}"


def parse_keys(text: str) -> tuple[ApiKey, ...]:
    keys: list[ApiKey] = []
    for raw in _ENTRY_SPLIT.split(text):
        entry = raw.strip()
        if not entry:
            continue
        digest, sep, systems_text = entry.partition(":")
        digest = digest.strip().lower()
        if not sep or not _DIGEST.match(digest):
            raise InvalidKeyConfig(f"key entry {entry[:12]}…: expected '<sha256 hex>:<systems>'")
        names = frozenset(s.strip() for s in systems_text.split(",") if s.strip())
        if not names:
            raise InvalidKeyConfig(f"key entry {digest[:12]}…: no systems (use '*' for all)")
        keys.append(ApiKey(digest, None if ALL_SYSTEMS in names else names))
    return tuple(keys)


class KeyRing:
    def __init__(self, keys: Iterable[ApiKey]) -> None:
        self._by_digest = {k.digest: k for k in keys}

    def __len__(self) -> int:
        return len(self._by_digest)

    def lookup(self, presented: str) -> ApiKey | None:
        # The lookup is keyed by the digest: its timing says nothing about the secret.
        return self._by_digest.get(hash_key(presented)) if presented else None
