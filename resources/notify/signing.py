"""Signed webhooks: an HMAC-SHA256 over the exact bytes of the JSON body, so a receiver can
check that an alert came from this deployment and was not altered on the way.

The signature travels in ``X-Scanlake-Signature: sha256=<hex>`` (GitHub's convention). A
receiver recomputes it over the raw request body, before parsing it, with the shared secret.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping

SIGNATURE_HEADER = "X-Scanlake-Signature"
ALERT_ID_HEADER = "X-Scanlake-Alert-Id"
ATTEMPT_HEADER = "X-Scanlake-Attempt"
# which message of the alert: 0 the alert, odd a retraction, even past 0 the alert restored;
# a receiver drops repeats of an (alert id, notice) pair
NOTICE_HEADER = "X-Scanlake-Notice"
EVENT_HEADER = "X-Scanlake-Event"  # alert, retraction or restoration
_PREFIX = "sha256="


def body_bytes(payload: Mapping[str, object]) -> bytes:
    """The canonical JSON encoding: sorted keys and no spaces, so the same alert always
    yields the same bytes (and the same signature)."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def signature(secret: str, body: bytes) -> str:
    """The header value for ``body``."""
    if not secret:
        raise ValueError("an empty signing secret signs nothing")
    return _PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str | None) -> bool:
    """What a receiver runs: does ``header`` sign exactly ``body`` with ``secret``?"""
    if not header or not header.startswith(_PREFIX) or not secret:
        return False
    return hmac.compare_digest(signature(secret, body), header)
