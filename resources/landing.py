"""The landing zone: a durable queue in the lake's object store for calls that arrive by
push or poll (HTTP uploads, Broadcastify). A producer stores a call here and only then
acknowledges it; ingestion reads the zone, commits the calls to ``raw_calls`` and only then
removes them. Nothing is acknowledged that is not stored, and nothing is removed that is
not ingested.

Each call is two objects: the audio, written first, and a JSON envelope naming it, written
last. A reader only sees calls whose envelope exists, so it never meets half a call.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator

from lake.errors import ObjectNotFound
from lake.objects import LANDING_PREFIX, ObjectStore, landing_key, rejected_key
from resources.calls import CallDelivery, CallMeta, FreqHop, MalformedCallJson, MissingAudio, Unit

_ENVELOPE = ".call.json"


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
        """Remove an ingested call: the envelope first, so a crash in between leaves only an
        orphan audio object, never an envelope without its audio."""
        if not self.store.exists(envelope_key):
            return  # acknowledged already, by an earlier attempt of the same batch
        envelope = json.loads(self.store.get(envelope_key))
        self.store.delete(envelope_key)
        self.store.delete(str(envelope["audio_key"]))

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
