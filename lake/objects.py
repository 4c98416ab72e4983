"""Audio and landing objects in the lake's object store, under hierarchical keys.

Keys are ``audio/<stage>/system=<system>/date=<YYYY-MM-DD>/<call_uid>.<ext>``: prefix
listing by system and day works for lifecycle rules and for humans. The key formats live
here and nowhere else.

Each name becomes one key segment injectively: two different system names never share a
key. A plain name (letters, digits, ``._-``, not starting with a dot) is kept as it is,
so existing lakes keep their keys; any other is percent-encoded (``a/b`` is ``a%2Fb``,
``..`` is ``%2E.``), which is reversible; a segment that would pass ``MAX_SEGMENT`` characters
is cut and given a SHA-256 of the whole name after a ``~`` (which no other form holds),
so no key ever hits a file system's 255-byte name limit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import fsspec

from lake.errors import ObjectNotFound
from lake.faults import crash_point
from lake.location import LakeLocation

_PLAIN = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")
_PLAIN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-")
MAX_SEGMENT = 120

RAW_AUDIO = "raw"
NORMALIZED_AUDIO = "normalized"


def _safe(part: str) -> str:
    """One path segment, injective in ``part``: no slashes, no traversal, nothing a shell
    or URL would trip on, never longer than ``MAX_SEGMENT``."""
    if not part:
        raise ValueError("an empty name cannot be a key segment")
    if _PLAIN.fullmatch(part):
        encoded = part
    else:
        raw = part.encode("utf-8", "surrogatepass")  # a lone surrogate is a name too
        encoded = "".join(
            chr(b) if chr(b) in _PLAIN_CHARS and (i or b != ord(".")) else f"%{b:02X}"
            for i, b in enumerate(raw)
        )
    if len(encoded) > MAX_SEGMENT:
        digest = hashlib.sha256(part.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        encoded = f"{encoded[: MAX_SEGMENT - 33]}~{digest}"
    return encoded


def decode_segment(segment: str) -> str:
    """The name a segment was made from (not for cut ``~`` segments, which keep a hash)."""
    if "%" not in segment:
        return segment
    return bytes(_unquote(segment)).decode("utf-8", "surrogatepass")


def _unquote(segment: str) -> bytearray:
    out = bytearray()
    i = 0
    while i < len(segment):
        if segment[i] == "%":
            out.append(int(segment[i + 1 : i + 3], 16))
            i += 3
        else:
            out += segment[i].encode()
            i += 1
    return out


def audio_key(stage: str, system: str, call_date: dt.date, call_uid: str, ext: str) -> str:
    return (
        f"audio/{_safe(stage)}/system={_safe(system)}/date={call_date.isoformat()}/"
        f"{_safe(call_uid)}.{_safe(ext.lstrip('.').lower())}"
    )


def landing_key(source: str, received: dt.datetime, name: str) -> str:
    """Where a pushed or polled call waits for ingestion."""
    return f"landing/{_safe(source)}/date={received.date().isoformat()}/{_safe(name)}"


LANDING_PREFIX = "landing"
# Transcript corrections from the Call page, waiting for the transcript_corrections asset.
CORRECTIONS_PREFIX = "corrections"


def correction_request_key(call_date: dt.date, call_uid: str, request_id: str) -> str:
    """Where one editor's correction waits, under its call's day (so retention and the
    sensor find it by day, and redaction by the call's name)."""
    return (
        f"{CORRECTIONS_PREFIX}/pending/date={call_date.isoformat()}/"
        f"{_safe(call_uid)}.{_safe(request_id)}.json"
    )


def key_segment(name: str) -> str:
    """The key segment a name becomes (for matching objects named after a call)."""
    return _safe(name)

# A local object being written; renamed into place when whole (see ObjectStore.put).
PARTIAL_SUFFIX = ".partial"
REJECTED_PREFIX = "rejected"


def rejected_key(key: str) -> str:
    """Where an object that could not be ingested is kept, for a person to look at."""
    return f"{REJECTED_PREFIX}/{key}"


class ObjectStore:
    """Bytes under the lake root, on a local folder or S3 (through fsspec)."""

    def __init__(self, location: LakeLocation) -> None:
        self.location = location
        if location.is_s3:
            self.fs = fsspec.filesystem(
                "s3",
                **location.s3.s3fs_kwargs(),
                # a fresh listing each time: the sensor polls for objects other processes wrote
                use_listings_cache=False,
                skip_instance_cache=True,
            )
            self.root = location.uri.removeprefix("s3://")
        else:
            self.fs = fsspec.filesystem("file", auto_mkdir=True)
            self.root = location.uri

    def _path(self, key: str) -> str:
        if ".." in PurePosixPath(key).parts or key.startswith("/"):
            raise ValueError(f"object key escapes the lake: {key!r}")
        return f"{self.root}/{key}"

    def uri(self, key: str) -> str:
        return self.location.path(key)

    def put(self, key: str, data: bytes) -> None:
        """Write an object whole. On a local folder the bytes go to a temporary file of
        their own, are flushed to disk, and are renamed into place: a reader never sees
        half an object, and two writers of one key cannot trip over each other."""
        path = self._path(key)
        if self.location.is_s3:
            self.fs.pipe_file(path, data)
            return
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{target.name}.{uuid.uuid4().hex}{PARTIAL_SUFFIX}")
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        crash_point("object_put_partial")
        os.replace(tmp, target)

    def get(self, key: str) -> bytes:
        try:
            return self.fs.cat_file(self._path(key))
        except FileNotFoundError as exc:
            raise ObjectNotFound(key) from exc

    def exists(self, key: str) -> bool:
        return bool(self.fs.exists(self._path(key)))

    def size(self, key: str) -> int:
        try:
            return int(self.fs.size(self._path(key)))
        except FileNotFoundError as exc:
            raise ObjectNotFound(key) from exc

    def move(self, key: str, new_key: str) -> None:
        self.fs.mv(self._path(key), self._path(new_key))

    def delete(self, key: str) -> None:
        try:
            self.fs.rm_file(self._path(key))
        except FileNotFoundError:
            pass

    def delete_prefix(self, prefix: str) -> None:
        """Delete every object under ``prefix`` (a folder of keys)."""
        path = self._path(prefix.rstrip("/"))
        if self.fs.exists(path):
            self.fs.rm(path, recursive=True)

    def children(self, prefix: str) -> list[str]:
        """The names directly under ``prefix`` (one level, like ``ls``), sorted."""
        base = self._path(prefix.rstrip("/"))
        try:
            found = self.fs.ls(base, detail=False)
        except FileNotFoundError:
            return []
        return sorted(str(p).rstrip("/").rsplit("/", 1)[-1] for p in found)

    def list(self, prefix: str) -> Iterator[str]:
        """Keys under ``prefix``, in sorted order (temporary ``.partial`` files are skipped)."""
        base = self._path(prefix)
        try:
            found = self.fs.find(base)
        except FileNotFoundError:
            return
        strip = len(self.root) + 1
        for path in sorted(found):
            key = path[strip:] if path.startswith(self.root) else path
            if not key.endswith(PARTIAL_SUFFIX):
                yield key

    def modified(self, prefix: str) -> Iterator[tuple[str, float]]:
        """Every object under ``prefix`` with its last-modified time (epoch seconds),
        temporary ``.partial`` files included: what a sweep of crash leftovers looks at."""
        try:
            found = self.fs.find(self._path(prefix), detail=True)
        except FileNotFoundError:
            return
        strip = len(self.root) + 1
        for path, info in sorted(found.items()):
            if info.get("type") == "directory":  # S3 listings may name the prefixes too
                continue
            key = path[strip:] if path.startswith(self.root) else path
            yield key, _mtime(info)

    def local_path(self, key: str) -> str | None:
        """The filesystem path of an object when the lake is a local folder (for players)."""
        return None if self.location.is_s3 else self._path(key)


def _mtime(info: dict[str, object]) -> float:
    """A listing entry's modification time: ``mtime`` on a local folder, ``LastModified``
    on S3."""
    if "mtime" in info:
        return float(info["mtime"])  # type: ignore[arg-type]
    stamp = info.get("LastModified")
    if isinstance(stamp, dt.datetime):
        return stamp.timestamp()
    raise ValueError(f"no modification time in listing entry {info.get('name')!r}")
