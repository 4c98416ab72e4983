"""The landing zone: a durable queue in the lake's object store for calls that arrive by
push or poll (HTTP uploads, Broadcastify). A producer stores a call here and only then
acknowledges it; ingestion reads the zone, commits the calls to ``raw_calls`` and only then
removes them. Nothing is acknowledged that is not stored, and nothing is removed that is
not ingested.

Each call is two objects: the audio, written first, and a JSON envelope naming it, written
last. A reader only sees calls whose envelope exists, so it never meets half a call. A
crash between the two writes leaves audio with no envelope, never acknowledged to its
producer; ``sweep`` sets such orphans aside once they are older than any write in flight.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from lake.errors import ObjectNotFound
from lake.faults import crash_point
from lake.objects import (
    LANDING_PREFIX,
    PARTIAL_SUFFIX,
    ObjectStore,
    decode_segment,
    landing_key,
    rejected_key,
)
from resources.calls import (
    CallDelivery,
    CallMeta,
    FreqHop,
    MalformedCall,
    MalformedCallJson,
    MissingAudio,
    Unit,
)

_ENVELOPE = ".call.json"
# Where interrupted local writes leave ``.partial`` files: the landing zone and audio.
_PARTIAL_PREFIXES = (LANDING_PREFIX, "audio")


class OrphanedAudio(MalformedCall):
    """Landing audio whose envelope was never written: its producer died mid-put."""

    def __init__(self, audio_key: str, age_s: float) -> None:
        super().__init__(
            audio_key,
            "orphaned_audio",
            f"landing audio with no envelope for {age_s / 3600:.1f} h; kept at {rejected_key(audio_key)}",
        )


@dataclass(frozen=True)
class Sweep:
    """What one sweep of crash leftovers did."""

    quarantined: tuple[OrphanedAudio, ...]  # orphaned audio moved to rejected/
    deleted_orphans: tuple[str, ...]  # orphaned audio of calls already in raw_calls
    deleted_partials: tuple[str, ...]  # temporary files of writes that never finished


def meta_to_json(meta: CallMeta) -> dict[str, object]:
    data = dataclasses.asdict(meta)
    data["start_time"] = meta.start_time.isoformat()
    data["stop_time"] = meta.stop_time.isoformat() if meta.stop_time else None
    return data


def meta_from_json(data: dict[str, object], source_ref: str) -> CallMeta:
    try:
        fields = dict(data)
        fields["start_time"] = _utc(str(fields["start_time"]))
        stop = fields.get("stop_time")
        fields["stop_time"] = _utc(str(stop)) if stop else None
        fields["units"] = tuple(Unit(**u) for u in fields.get("units") or ())  # type: ignore[arg-type]
        fields["freqs"] = tuple(FreqHop(**f) for f in fields.get("freqs") or ())  # type: ignore[arg-type]
        return CallMeta(**fields)  # type: ignore[arg-type]
    except (KeyError, TypeError, ValueError) as exc:
        raise MalformedCallJson(source_ref, f"landing envelope: {exc}") from exc


def _utc(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError(f"timestamp without a timezone: {text}")
    return value.astimezone(dt.UTC)


class LandingZone:
    def __init__(self, store: ObjectStore) -> None:
        self.store = store

    def put(
        self,
        source: str,
        meta: CallMeta,
        audio: bytes,
        audio_ext: str,
        received: dt.datetime | None = None,
    ) -> str:
        """Store one call durably; returns its envelope key. Storing the same call twice
        overwrites the same two objects, so a retried upload stays one call."""
        received = received or dt.datetime.now(dt.UTC)
        ext = audio_ext.lstrip(".").lower()
        audio_key = landing_key(source, received, f"{meta.call_uid}.{ext}")
        envelope_key = landing_key(source, received, f"{meta.call_uid}{_ENVELOPE}")
        self.store.put(audio_key, audio)
        crash_point("landing_put_between")
        envelope = {
            "source": source,
            "received_at": received.isoformat(),
            "audio_key": audio_key,
            "audio_ext": ext,
            "call": meta_to_json(meta),
        }
        self.store.put(envelope_key, json.dumps(envelope).encode())
        return envelope_key

    def pending(self, limit: int | None = None) -> list[str]:
        """Envelope keys waiting for ingestion, oldest day first."""
        keys = [k for k in self.store.list(LANDING_PREFIX) if k.endswith(_ENVELOPE)]
        return keys[:limit] if limit else keys

    def read(self, envelope_keys: list[str]) -> Iterator[CallDelivery | MalformedCallJson]:
        """Deliveries for the given envelopes; a broken envelope comes back as its error so
        the caller can quarantine it without losing the others. An envelope gone since it
        was listed is skipped."""
        for key in envelope_keys:
            try:
                raw = self.store.get(key)
            except ObjectNotFound:
                # acknowledged or set aside since it was listed (by an earlier attempt of
                # the same batch): handled, and no reason to fail the others
                continue
            try:
                envelope = json.loads(raw)
                meta = meta_from_json(envelope["call"], key)
                audio_key = str(envelope["audio_key"])
                ext = str(envelope["audio_ext"])
                source = str(envelope["source"])
            except (KeyError, TypeError, ValueError) as exc:
                yield MalformedCallJson(key, str(exc))
                continue
            yield CallDelivery(
                source=source,
                source_ref=key,
                meta=meta,
                audio_ext=ext,
                read_audio=lambda audio_key=audio_key, key=key: self._audio(audio_key, key),
                position=0,
            )

    def _audio(self, audio_key: str, envelope_key: str) -> bytes:
        if not self.store.exists(audio_key):
            raise MissingAudio(envelope_key, f"landing audio {audio_key} is gone")
        return self.store.get(audio_key)

    def ack(self, envelope_key: str) -> None:
        """Remove an ingested call: the audio first, the envelope last. A crash in between
        leaves an envelope whose call is in ``raw_calls``; the batch run again finds it
        there, skips it without reading the audio and acknowledges it. The other order
        would leave audio no envelope names, indistinguishable from a half-written put."""
        try:
            envelope = json.loads(self.store.get(envelope_key))
        except ObjectNotFound:
            return  # acknowledged already, by an earlier attempt of the same batch
        self.store.delete(str(envelope["audio_key"]))
        crash_point("landing_ack_between")
        self.store.delete(envelope_key)

    def reject(self, envelope_key: str) -> None:
        """Set aside a call that ingestion quarantined: kept whole under ``rejected/``,
        out of the queue."""
        try:
            audio_key: str | None = str(json.loads(self.store.get(envelope_key))["audio_key"])
        except (KeyError, TypeError, ValueError):
            audio_key = None
        if audio_key and self.store.exists(audio_key):
            self.store.move(audio_key, rejected_key(audio_key))
        self.store.move(envelope_key, rejected_key(envelope_key))

    def sweep(
        self,
        min_age_s: float,
        ingested: Callable[[set[str]], set[str]],
        now: float | None = None,
    ) -> Sweep:
        """Clear what crashed writers left, once it is older than ``min_age_s`` (so a write
        still in flight is never touched). Landing audio with no envelope is moved to
        ``rejected/`` and returned as ``OrphanedAudio`` for quarantine, unless its call is
        already ingested (``ingested`` filters call ids to those in ``raw_calls``): then a
        retried delivery landed and the orphan is deleted. Stale ``.partial`` files are
        deleted: no one acknowledged them."""
        now = time.time() if now is None else now
        listing = dict(self.store.modified(LANDING_PREFIX))
        envelopes = {k.removesuffix(_ENVELOPE) for k in listing if k.endswith(_ENVELOPE)}
        orphans = {
            key: now - mtime
            for key, mtime in listing.items()
            if not key.endswith((_ENVELOPE, PARTIAL_SUFFIX))
            and key.rsplit(".", 1)[0] not in envelopes
            and now - mtime >= min_age_s
        }
        # The object's name is the encoded "<call_uid>.<ext>"; a name cut to a hash does not
        # decode, so its orphan is kept and quarantined rather than guessed at.
        uids = {key: decode_segment(key.rsplit("/", 1)[-1]).rsplit(".", 1)[0] for key in orphans}
        done = ingested(set(uids.values())) if uids else set()
        quarantined: list[OrphanedAudio] = []
        deleted: list[str] = []
        for key, age in sorted(orphans.items()):
            if uids[key] in done:
                self.store.delete(key)
                deleted.append(key)
            else:
                self.store.move(key, rejected_key(key))
                quarantined.append(OrphanedAudio(key, age))
        partials = [
            key
            for prefix in _PARTIAL_PREFIXES
            for key, mtime in self.store.modified(prefix)
            if key.endswith(PARTIAL_SUFFIX) and now - mtime >= min_age_s
        ]
        for key in partials:
            self.store.delete(key)
        return Sweep(tuple(quarantined), tuple(deleted), tuple(partials))
