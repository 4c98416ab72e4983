"""Alerts from one partition's transcripts: match every keyword group, apply the filters,
and decide which channels are subscribed to each match.

Pure: Arrow tables in, Arrow rows out. An alert's id depends only on the call and the
group, so re-runs, retries, backfills and re-transcriptions with another model all land on
the same row, and its deliveries are never planned twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from assets.alerts.config import AlertConfig, Filters
from assets.alerts.matching import Term, Word, WordIndex, match_group, words_from_text
from assets.alerts.names import CALL_COLUMNS, named_calls
from assets.duplicates.partition import duplicate_of
from lake import delta
from lake.effective import corrected_calls, latest_corrections, overlay
from lake.location import LakeLocation
from lake.tables import (
    ALERTS,
    ENTITIES,
    INCIDENTS,
    LOCATIONS,
    RAW_CALLS,
    TONES,
    TRANSCRIPT_WORDS,
    TRANSCRIPTS,
)


@dataclass(frozen=True)
class Place:
    entity_id: str
    query: str
    lat: float
    lon: float
    score: float | None


@dataclass
class CallContext:
    call_uid: str
    call_date: dt.date
    model_id: str
    words: list[Word]
    system: str | None = None
    talkgroup: str | None = None  # "talkgroup@system"
    talkgroup_tag: str | None = None
    start_time: dt.datetime | None = None
    audio_key: str | None = None
    incident_types: set[str] = field(default_factory=set)
    places: list[Place] = field(default_factory=list)
    # station paged -> (start_s, end_s) of its first tone-out in the call
    tone_outs: dict[str, tuple[float, float]] = field(default_factory=dict)
    # the units heard, named beside their ids (assets/alerts/names.py)
    units: list[str] = field(default_factory=list)

    def take_call(self, call: Mapping[str, Any]) -> None:
        """The talkgroup, time and audio of the call's ``raw_calls`` row, and its names
        (the imported talkgroup alias before the recorder's tag)."""
        self.system = call["system"]
        self.talkgroup = f"{call['talkgroup']}@{call['system']}"
        self.talkgroup_tag = call.get("talkgroup_alias") or call["talkgroup_tag"]
        self.units = list(call.get("unit_names") or [])
        self.start_time = call["start_time"]
        self.audio_key = call["audio_key"]


@dataclass(frozen=True)
class AlertInputs:
    """One partition of each upstream table (a missing table is an empty one)."""

    transcripts: pa.Table
    words: pa.Table
    calls: pa.Table
    entities: pa.Table
    locations: pa.Table
    tones: pa.Table | None = None
    incidents: pa.Table = field(default_factory=INCIDENTS.empty)
    # call_uid -> its newest correction row: the calls whose text is an editor's
    corrections: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # call_uid -> the copy kept in its place (call_duplicates): left out of the evaluation
    duplicates: Mapping[str, str] = field(default_factory=dict)


def read_inputs(location: LakeLocation, day: dt.date, model_id: str | None = None) -> AlertInputs:
    """The day's partition of every table alerts read; tables not written yet read empty.

    With ``model_id`` (the configured ASR model's), only that model's transcripts, words
    and entities, and the places found from them: while a range is re-transcribed with a
    new model, alerts keep to one model instead of mixing old and new calls' text."""
    part = {"call_date": [day]}
    transcripts = delta.read(
        location, TRANSCRIPTS, ["call_uid", "call_date", "model_id", "text", "transcribed_at"], part
    )
    words = delta.read(
        location,
        TRANSCRIPT_WORDS,
        ["call_uid", "model_id", "word_index", "word", "start_s", "end_s"],
        part,
    )
    entities = delta.read(
        location,
        ENTITIES,
        ["entity_id", "call_uid", "model_id", "label", "text", "normalized"],
        part,
    )
    locations = delta.read(
        location, LOCATIONS, ["entity_id", "call_uid", "query", "lat", "lon", "score"], part
    )
    # the corrected text over the machine's; the machine's words (and their times) belong
    # to the old text, so a corrected call is matched on its text's words, untimed
    newest = latest_corrections(location, [day])
    transcripts = overlay(transcripts, newest)
    # a copy demoted after it was transcribed (a better copy found by a later run, or
    # SCANLAKE_SYSTEMS set since) is not alerted on: its kept copy is
    copies = duplicate_of(location, [day])
    if copies:
        gone = pa.array(sorted(copies), pa.string())
        transcripts, words, entities, locations = (
            t.filter(pc.invert(pc.is_in(t["call_uid"], gone)))
            for t in (transcripts, words, entities, locations)
        )
    words = words.filter(
        pc.invert(
            pc.is_in(words["call_uid"], pa.array(sorted(corrected_calls(transcripts)), pa.string()))
        )
    )
    if model_id is not None:
        transcripts, words, entities = (
            t.filter(pc.equal(t["model_id"], model_id)) for t in (transcripts, words, entities)
        )
        locations = locations.filter(pc.is_in(locations["entity_id"], entities["entity_id"]))
    return AlertInputs(
        transcripts=transcripts,
        words=words,
        calls=named_calls(
            location,
            delta.read(location, RAW_CALLS, [*CALL_COLUMNS, "start_time", "audio_key"], part),
        ),
        entities=entities,
        locations=locations,
        tones=delta.read(location, TONES, ["call_uid", "station", "start_s", "end_s"], part),
        incidents=delta.read(location, INCIDENTS, partitions=part),
        corrections=newest,
        duplicates=copies,
    )


def alert_id(call_uid: str, group: str) -> str:
    return hashlib.sha256(f"{call_uid}\x1f{group}".encode()).hexdigest()[:32]


def contexts(inputs: AlertInputs, incident_labels: Iterable[str]) -> list[CallContext]:
    """Each transcribed call with what the filters need; the newest transcript per call
    (one per call when the inputs were read for one model)."""
    newest: dict[str, dict] = {}
    for t in inputs.transcripts.to_pylist():
        kept = newest.get(t["call_uid"])
        if kept is None or (t["transcribed_at"], t["model_id"]) > (
            kept["transcribed_at"],
            kept["model_id"],
        ):
            newest[t["call_uid"]] = t
    words: dict[tuple[str, str], list[Word]] = defaultdict(list)
    for w in inputs.words.to_pylist():
        if w["call_uid"] in newest:
            words[(w["call_uid"], w["model_id"])].append(
                Word(w["word_index"], w["word"], w["start_s"], w["end_s"])
            )
    calls = {c["call_uid"]: c for c in inputs.calls.to_pylist()}
    labels = {label.upper() for label in incident_labels}
    incidents: dict[str, set[str]] = defaultdict(set)
    for e in inputs.entities.to_pylist():
        if str(e["label"]).upper() in labels:
            incidents[e["call_uid"]].add(str(e["normalized"] or e["text"]).strip().lower())
    places: dict[str, list[Place]] = defaultdict(list)
    for loc in inputs.locations.to_pylist():
        places[loc["call_uid"]].append(
            Place(loc["entity_id"], loc["query"], loc["lat"], loc["lon"], loc["score"])
        )

    tone_outs: dict[str, dict[str, tuple[float, float]]] = defaultdict(dict)
    tones = inputs.tones.to_pylist() if inputs.tones is not None else []
    for tone in sorted(tones, key=lambda r: r["start_s"]):
        if tone["station"]:
            tone_outs[tone["call_uid"]].setdefault(
                tone["station"], (tone["start_s"], tone["end_s"])
            )

    out = []
    for uid, t in sorted(newest.items()):
        found = sorted(words.get((uid, t["model_id"]), []), key=lambda w: w.index)
        ctx = CallContext(
            uid, t["call_date"], t["model_id"], found or words_from_text(t["text"] or "")
        )
        call = calls.get(uid)
        if call is not None:
            ctx.take_call(call)
        ctx.incident_types = incidents.get(uid, set())
        ctx.tone_outs = tone_outs.get(uid, {})
        # best-scored first, so an alert without a geofence shows the likeliest place
        ctx.places = sorted(
            places.get(uid, []), key=lambda p: (p.score is None, -(p.score or 0.0), p.entity_id)
        )
        out.append(ctx)
    return out


def passes(filters: Filters, ctx: CallContext) -> tuple[bool, Place | None]:
    """Whether the call meets the filters, and the place that met the geofence."""
    if filters.talkgroups and not (
        ctx.talkgroup and any(p.search(ctx.talkgroup) for p in filters.talkgroups)
    ):
        return False, None
    if filters.incident_types and not (filters.incident_types & ctx.incident_types):
        return False, None
    if filters.geofence is not None:
        inside = [p for p in ctx.places if filters.geofence.contains(p.lat, p.lon)]
        return (True, inside[0]) if inside else (False, None)
    return True, None


def evaluate(
    inputs: AlertInputs,
    config: AlertConfig,
    now: dt.datetime,
    created: Mapping[str, dt.datetime] | None = None,
) -> pa.Table:
    """Alert rows for every (call, group) match. ``created`` keeps the first creation time
    of alerts already in the lake. (Incident rules: ``incident_rules.evaluate_incidents``.)"""
    created = created or {}
    rows = []
    for ctx in contexts(inputs, config.incident_labels):
        index = WordIndex(ctx.words)
        for group in config.groups.values():
            match = match_group(index, group.terms, group.negations, group.vetoes)
            paged = _tone_out(group.tones, ctx, index, group.vetoes)
            if match is None and paged is None:
                continue
            ok, place = passes(group.filters, ctx)
            if not ok:
                continue
            place = place or (ctx.places[0] if ctx.places else None)
            aid = alert_id(ctx.call_uid, group.name)
            rows.append(
                {
                    "alert_id": aid,
                    "call_uid": ctx.call_uid,
                    "call_date": ctx.call_date,
                    "keyword_group": group.name,
                    "model_id": ctx.model_id,
                    "matched_terms": (match.terms if match else [])
                    + ([f"tone:{paged[0]}"] if paged else []),
                    "matched_words": match.matched_words() if match else [],
                    "match_start_s": match.start_s if match else paged[1][0],  # type: ignore[index]
                    "match_end_s": match.end_s if match else paged[1][1],  # type: ignore[index]
                    "snippet": match.snippet(config.snippet_words)
                    if match
                    else _tone_snippet(paged, ctx, config.snippet_words),
                    "system": ctx.system,
                    "talkgroup": ctx.talkgroup,
                    "talkgroup_tag": ctx.talkgroup_tag,
                    "units": ctx.units,
                    "call_start_time": ctx.start_time,
                    "audio_key": ctx.audio_key,
                    "incident_types": sorted(ctx.incident_types),
                    "location": place.query if place else None,
                    "location_entity_id": place.entity_id if place else None,
                    "lat": place.lat if place else None,
                    "lon": place.lon if place else None,
                    "channels": subscribed_channels(config, group.name, ctx),
                    "created_at": created.get(aid, now),
                    "evaluated_at": now,
                }
            )
    return pa.Table.from_pylist(rows, schema=ALERTS.schema)


def _tone_out(
    stations: frozenset[str], ctx: CallContext, index: WordIndex, vetoes: Iterable[Term]
) -> tuple[str, tuple[float, float]] | None:
    """The first of ``stations`` the call's tones page (a veto in the words still holds)."""
    paged = [(times, name) for name, times in ctx.tone_outs.items() if name in stations]
    if not paged or any(index.find(v) for v in vetoes):
        return None
    times, name = min(paged)
    return name, times


def _tone_snippet(
    paged: tuple[str, tuple[float, float]] | None, ctx: CallContext, words: int
) -> str:
    spoken = " ".join(w.text.strip() for w in ctx.words[: 2 * words] if w.text.strip())
    return f"Tone-out: {paged[0] if paged else ''}" + (f" — {spoken}" if spoken else "")


def subscribed_channels(config: AlertConfig, group: str, ctx: CallContext) -> list[str]:
    channels: dict[str, None] = {}
    for sub in config.subscriptions:
        if group in sub.groups and passes(sub.filters, ctx)[0]:
            channels.update(dict.fromkeys(sub.channels))
    return list(channels)
