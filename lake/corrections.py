"""Correction requests: what an editor submits on the Call page, waiting in the object
store until the ``transcript_corrections`` asset commits it.

The page never writes the table: every lake table has one writer, an asset, so it shows in
the lineage and a correction starts a run of the layers that read it. A request is one
JSON object under ``corrections/pending/date=<call date>/``, put whole (``ObjectStore.put``
writes a temporary file and renames it), named by the call and a request id: submitting the
same request twice overwrites one object, and the asset commits each request id once.

User text is bounded here, at the edge, before it is stored: the corrected text, the note
and the editor's name each have a character cap, and control characters other than line
breaks are refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import uuid
from dataclasses import asdict, dataclass

from lake.errors import LakeError, ObjectNotFound
from lake.objects import (
    CORRECTIONS_PREFIX,
    ObjectStore,
    correction_request_key,
    rejected_key,
)


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


# A long dispatch call's transcript is a few hundred words; ten times that is not a call.
MAX_TEXT_CHARS = _env_int("SCANLAKE_MAX_CORRECTION_CHARS", 8000)
MAX_NOTE_CHARS = 500
MAX_EDITOR_CHARS = 256
_PENDING = f"{CORRECTIONS_PREFIX}/pending"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class BadCorrection(LakeError):
    """A correction the lake will not keep; ``reason`` is a short code for the page and for
    the asset's rejected requests."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def text_sha256(text: str) -> str:
    """What identifies the text an editor corrected (stored with the correction)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class CorrectionRequest:
    call_uid: str
    call_date: dt.date
    text: str
    editor: str
    edited_at: dt.datetime
    base_version: int  # 0: the machine transcript
    base_text_sha256: str
    base_model_id: str | None = None
    note: str | None = None
    request_id: str = ""

    @classmethod
    def new(
        cls,
        call_uid: str,
        call_date: dt.date,
        text: str,
        editor: str,
        base_text: str,
        base_version: int = 0,
        base_model_id: str | None = None,
        note: str | None = None,
    ) -> CorrectionRequest:
        """A request for ``text`` over ``base_text`` (what the editor saw), checked."""
        request = cls(
            call_uid=call_uid,
            call_date=call_date,
            text=_clean(text),
            editor=editor.strip(),
            edited_at=dt.datetime.now(dt.UTC),
            base_version=base_version,
            base_text_sha256=text_sha256(base_text),
            base_model_id=base_model_id,
            note=(_clean(note) or None) if note else None,
            request_id=uuid.uuid4().hex,
        )
        request.check()
        return request

    def check(self) -> None:
        """Raise ``BadCorrection`` unless every field is one the lake will hold."""
        if not self.text:
            raise BadCorrection("empty_text", "a correction needs text")
        if len(self.text) > MAX_TEXT_CHARS:
            raise BadCorrection("text_too_long", f"{len(self.text)} characters, over {MAX_TEXT_CHARS}")
        if self.note and len(self.note) > MAX_NOTE_CHARS:
            raise BadCorrection("note_too_long", f"{len(self.note)} characters, over {MAX_NOTE_CHARS}")
        if not self.editor or len(self.editor) > MAX_EDITOR_CHARS:
            raise BadCorrection("bad_editor", "the editor's name is missing or too long")
        for name in ("text", "note", "editor"):
            if _CONTROL.search(getattr(self, name) or ""):
                raise BadCorrection("control_characters", f"{name} holds control characters")
        if not (0 <= self.base_version < 2**31 - 1):
            raise BadCorrection("bad_base_version", str(self.base_version))
        if not re.fullmatch(r"[0-9a-f]{64}", self.base_text_sha256):
            raise BadCorrection("bad_base_hash", "not a SHA-256")
        if not re.fullmatch(r"[0-9a-f]{32}", self.request_id):
            raise BadCorrection("bad_request_id", "not a request id")
        if self.edited_at.tzinfo is None:
            raise BadCorrection("bad_time", "edited_at has no timezone")

    def key(self) -> str:
        return correction_request_key(self.call_date, self.call_uid, self.request_id)

    def to_json(self) -> bytes:
        data = asdict(self)
        data["call_date"] = self.call_date.isoformat()
        data["edited_at"] = self.edited_at.isoformat()
        return json.dumps(data).encode()

    @classmethod
    def from_json(cls, raw: bytes, key: str) -> CorrectionRequest:
        if len(raw) > 4 * (MAX_TEXT_CHARS + MAX_NOTE_CHARS + MAX_EDITOR_CHARS) + 4096:
            raise BadCorrection("too_large", f"{key}: {len(raw)} bytes")
        try:
            data = json.loads(raw)
            data["call_date"] = dt.date.fromisoformat(data["call_date"])
            data["edited_at"] = dt.datetime.fromisoformat(data["edited_at"])
            request = cls(**data)
        except (KeyError, TypeError, ValueError) as exc:
            raise BadCorrection("malformed", f"{key}: {exc}") from exc
        request.check()
        if request.key() != key:
            raise BadCorrection("misplaced", f"{key} does not hold its own request")
        return request


def _clean(text: str) -> str:
    # Line breaks are kept as the editor typed them, normalized to \n; ends are trimmed.
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def submit(store: ObjectStore, request: CorrectionRequest) -> str:
    """Store one checked request for the asset; returns its key."""
    request.check()
    key = request.key()
    store.put(key, request.to_json())
    return key


def pending_days(store: ObjectStore) -> list[dt.date]:
    """Days with requests waiting, oldest first."""
    days = []
    for name in store.children(_PENDING):
        try:
            days.append(dt.date.fromisoformat(name.removeprefix("date=")))
        except ValueError:
            continue  # not a day folder: nothing the page wrote
    return sorted(days)


def pending(store: ObjectStore, day: dt.date | None = None) -> list[str]:
    """Request keys waiting (of one day, or all), in key order."""
    prefix = f"{_PENDING}/date={day.isoformat()}" if day else _PENDING
    return [k for k in store.list(prefix) if k.endswith(".json")]


def read(store: ObjectStore, key: str) -> CorrectionRequest | None:
    """The request at ``key``; None when it is gone (committed by an earlier attempt).
    Raises ``BadCorrection`` for one that cannot be read."""
    try:
        raw = store.get(key)
    except ObjectNotFound:
        return None
    return CorrectionRequest.from_json(raw, key)


def ack(store: ObjectStore, key: str) -> None:
    """Remove a committed request."""
    store.delete(key)


def reject(store: ObjectStore, key: str, reason: str) -> str:
    """Set a request aside under ``rejected/`` with the reason beside it, for a person."""
    kept = rejected_key(key)
    if store.exists(key):
        store.move(key, kept)
    store.put(f"{kept}.reason", reason.encode())
    return kept
