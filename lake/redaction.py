"""Taking one call out of the lake: its rows in every table, its audio and landing objects,
then VACUUM so the bytes are gone, and an audit row in ``redactions``.

Called by ``scanlake redact`` and by the Call page's admin action, synchronously: a takedown
must not wait for a daemon, and the dashboard reaches the lake only through ``lake/``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from lake import delta, objects
from lake.errors import LakeError
from lake.location import LakeLocation
from lake.objects import ObjectStore
from lake.purge import delete_matching, purge
from lake.tables import (
    ALERT_DELIVERIES,
    ALERTS,
    AUDIO_QUARANTINE,
    CALL_DUPLICATES,
    CALL_INCIDENTS,
    ENTITIES,
    ENTITY_EXTRACTIONS,
    INCIDENTS,
    LOCATIONS,
    NORMALIZED_AUDIO,
    RAW_CALLS,
    RAW_QUARANTINE,
    REDACTIONS,
    TONE_SCANS,
    TONES,
    TRANSCRIPT_CORRECTIONS,
    TRANSCRIPT_WORDS,
    TRANSCRIPTS,
    TableSpec,
)

# Every table with a call_uid column, downstream first: a failure part-way leaves the call's
# raw row, so running the redaction again finds the call and finishes it.
BY_CALL = (
    ALERTS, CALL_INCIDENTS, LOCATIONS, ENTITY_EXTRACTIONS, ENTITIES, TRANSCRIPT_CORRECTIONS,
    TRANSCRIPT_WORDS, TRANSCRIPTS, TONES, TONE_SCANS, CALL_DUPLICATES, NORMALIZED_AUDIO,
    AUDIO_QUARANTINE, RAW_QUARANTINE, RAW_CALLS,
)
_KEY_COLUMNS = {RAW_CALLS.name: "audio_key", NORMALIZED_AUDIO.name: "audio_key", ALERTS.name: "audio_key"}
# landing and correction requests (pending or set aside) are named after their call
_OBJECT_PREFIXES = (objects.LANDING_PREFIX, objects.CORRECTIONS_PREFIX, objects.REJECTED_PREFIX)


class NothingToRedact(LakeError):
    def __init__(self, call_uid: str) -> None:
        super().__init__(f"no row or object of call {call_uid!r} in the lake")
        self.call_uid = call_uid


@dataclass
class Redaction:
    call_uid: str
    requested_by: str
    reason: str | None
    redaction_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    call_date: dt.date | None = None
    rows_removed: dict[str, int] = field(default_factory=dict)
    objects_removed: list[str] = field(default_factory=list)
    files_vacuumed: int = 0
    redacted_at: dt.datetime | None = None

    def audit_row(self) -> dict[str, object]:
        return {
            "redaction_id": self.redaction_id,
            "call_uid": self.call_uid,
            "call_date": self.call_date,
            "requested_by": self.requested_by,
            "reason": self.reason,
            "redacted_at": self.redacted_at,
            "rows_removed": [{"table_name": t, "rows": n} for t, n in self.rows_removed.items()],
            "objects_removed": self.objects_removed,
            "files_vacuumed": self.files_vacuumed,
        }


def _call_rows(location: LakeLocation, spec: TableSpec, call_uid: str) -> pa.Table:
    if not delta.exists(location, spec):
        return spec.empty()
    wanted = [
        c for c in ("call_uid", "call_date", "audio_key", "alert_id", "incident_id") if c in spec.columns
    ]
    # the dataset prunes files by their call_uid statistics: no full scan of a big table
    dataset = delta.open_table(location, spec).to_pyarrow_dataset()
    return dataset.to_table(columns=wanted, filter=pc.field("call_uid").cast(pa.string()) == call_uid)


def redact(location: LakeLocation, call_uid: str, requested_by: str, reason: str | None = None) -> Redaction:
    """Remove every trace of ``call_uid`` and record who asked, when, why and what went.
    Raises ``NothingToRedact`` when the lake holds nothing of it."""
    done = Redaction(call_uid, requested_by, reason)
    store = ObjectStore(location)
    keys: set[str] = set()
    alert_ids: list[str] = []
    found = {}
    for spec in BY_CALL:
        rows = _call_rows(location, spec, call_uid)
        found[spec.name] = rows
        if spec.name in _KEY_COLUMNS and rows.num_rows:
            keys.update(k for k in rows.column(_KEY_COLUMNS[spec.name]).to_pylist() if k)
        if rows.num_rows and "call_date" in rows.column_names and done.call_date is None:
            done.call_date = pc.min(rows.column("call_date")).as_py()
    if found[ALERTS.name].num_rows:
        alert_ids = found[ALERTS.name].column("alert_id").to_pylist()
    keys.update(_stray_objects(store, call_uid, done.call_date))

    touched = []
    if alert_ids:
        n = delete_matching(location, ALERT_DELIVERIES, "alert_id", alert_ids)
        if n:
            done.rows_removed[ALERT_DELIVERIES.name] = n
            touched.append(ALERT_DELIVERIES)
    # An incident's place, type and units were drawn partly from this call, so the whole
    # incident goes, with its other calls' links (no link may point at a missing incident);
    # the day's next incidents run groups the remaining calls again.
    incident_ids = sorted(set(found[CALL_INCIDENTS.name].column("incident_id").to_pylist()))
    if incident_ids:
        for spec in (INCIDENTS, CALL_INCIDENTS):
            n = delete_matching(location, spec, "incident_id", incident_ids)
            if n:
                done.rows_removed[spec.name] = n
                touched.append(spec)
    for spec in BY_CALL:
        if found[spec.name].num_rows and spec not in touched:
            done.rows_removed[spec.name] = delete_matching(location, spec, "call_uid", [call_uid])
            touched.append(spec)
    for key in sorted(keys):
        if store.exists(key):
            store.delete(key)
            done.objects_removed.append(key)
    if not done.rows_removed and not done.objects_removed:
        raise NothingToRedact(call_uid)
    for spec in touched:
        result = purge(location, spec)
        done.files_vacuumed += result.files_vacuumed if result else 0
    done.redacted_at = dt.datetime.now(dt.UTC)
    delta.merge(location, REDACTIONS, pa.Table.from_pylist([done.audit_row()], schema=REDACTIONS.schema))
    return done


def _stray_objects(store: ObjectStore, call_uid: str, call_date: dt.date | None) -> list[str]:
    """Objects of the call no row points to: audio under its system and day (a row already
    redacted, or never written), and landing or rejected deliveries named after it."""
    found = []
    system = call_uid.rsplit("-", 2)[0] if call_uid.count("-") >= 2 else None
    if system and call_date:
        for stage in (objects.RAW_AUDIO, objects.NORMALIZED_AUDIO):
            folder = objects.audio_key(stage, system, call_date, call_uid, "x").rsplit("/", 1)[0]
            found += [f"{folder}/{n}" for n in store.children(folder) if n.startswith(f"{call_uid}.")]
    names = (f"{call_uid}.", f"{objects.key_segment(call_uid)}.")
    for prefix in _OBJECT_PREFIXES:
        found += [k for k in store.list(prefix) if k.rsplit("/", 1)[-1].startswith(names)]
    return found
