"""What one call tells the grouping: its units, places, incident types, and how far along the
dispatch -> en route -> on scene -> clear sequence it speaks.

Pure: plain rows in (as ``lake`` reads them, or as a benchmark builds them), ``CallFacts``
out. The stage comes from the 10-codes the entity layer found and from a few status
phrases in the transcript, since units say "en route" as often as "ten seventy six".
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

STAGES = ("dispatched", "en_route", "on_scene", "cleared")
PLACE_LABELS = frozenset({"ADDRESS", "INTERSECTION"})

# 10-code -> stage, as APCO codes are commonly used (the county table in the simulator agrees)
_CODE_STAGE = {
    "10-76": "en_route",
    "10-23": "on_scene",
    "10-97": "on_scene",
    "10-8": "cleared",
    "10-24": "cleared",
}
# Codes a unit says about itself, not about an incident: such a call joins none.
_ADMIN_CODES = frozenset({"10-7", "10-19", "10-41", "10-42"})
_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(respond(ing)? to|second alarm|respond)\b", re.I), "dispatched"),
    (re.compile(r"\b(en ?route|responding)\b", re.I), "en_route"),
    (re.compile(r"\b(on (the )?scene|on location|arriv(ed|ing))\b", re.I), "on_scene"),
    (
        re.compile(r"\b(clear(ing)?( the scene)?|in service|hold all)\b", re.I),
        "cleared",
    ),
)
_RESPOND = re.compile(r"\b(respond|second alarm|stand ?by for)\b", re.I)
# a dispatcher sending units to a (new) call; "second alarm" adds units to one already going
_SENDS = re.compile(r"\brespond(ing)? to\b", re.I)
_MORE = re.compile(r"\bsecond alarm\b", re.I)
_ADMIN_PHRASES = re.compile(r"\b(radio check|loud and clear|out of service)\b", re.I)
_CALLSIGN = re.compile(r"^[A-Za-z]+ \d{1,4}$")
# A callsign the recognizer was this unsure of (the entity layer's confidence: the rule's
# prior times the mean word probability) joins no incident it is already on: below it, on
# the development seed, most callsigns heard were wrong (a prompt's unit echoed into noise,
# "Medic 87" as "Medic 8"). It still goes with the call, for its unit's own call to claim.
MIN_HEARD_UNIT_CONFIDENCE = 0.3
# A dispatch console speaks on every incident: its tag must not tie them together.
_CONSOLES = frozenset({"dispatch", "dispatcher", "console", "comm", "comms", "communications"})


@dataclass(frozen=True)
class Place:
    key: str  # the entity's normalized text, upper-cased
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class CallFacts:
    call_uid: str
    start_time: dt.datetime
    talkgroup: int
    agency: str  # trunk-recorder's talkgroup group ("Fire", "EMS", "Police"); "" unknown
    # units that link the call to incidents: who keyed up (the recorder's unit tags) or,
    # on a call without a unit's tag (a dispatcher speaking), the callsigns in its text
    units: frozenset[str] = frozenset()
    # callsigns in the text of a call a unit keyed up that are not that unit: heard, maybe
    # misheard ("Medic 87" as "Medic 8"); they never link or hold an incident
    mentioned: frozenset[str] = frozenset()
    places: tuple[Place, ...] = ()
    incident_types: tuple[str, ...] = ()  # in the order said
    units_by_ear: bool = False  # ``units`` came from the text (no unit's tag on the call)
    weak_units: frozenset[str] = frozenset()  # of those, heard below the confidence floor
    stage: str | None = None  # the furthest stage the call speaks of
    dispatch: bool = False  # it sends units somewhere
    sends: bool = False  # "respond to" (not "second alarm"): a dispatcher's new assignment
    admin: bool = False  # a unit's own status (radio check, out of service): no incident


def stage_of(codes: Iterable[str], text: str) -> str | None:
    found = {_CODE_STAGE[c] for c in codes if c in _CODE_STAGE}
    found |= {stage for pattern, stage in _PHRASES if pattern.search(text)}
    return max(found, key=STAGES.index) if found else None


def unit_key(name: str) -> str | None:
    """``"Engine 12"`` as the lake writes it; anything that is no callsign is None."""
    text = " ".join(str(name).split())
    if not _CALLSIGN.match(text) or text.split()[0].lower() in _CONSOLES:
        return None
    return text.title()


def call_facts(
    calls: Iterable[Mapping[str, Any]],
    texts: Mapping[str, str],
    entities: Iterable[Mapping[str, Any]],
    locations: Iterable[Mapping[str, Any]],
) -> list[CallFacts]:
    """One ``CallFacts`` per call. ``calls`` carry call_uid, start_time, talkgroup,
    talkgroup_group and units (raw_calls' list of {tag, ...}); ``texts`` the transcript per
    call; ``entities`` call_uid, entity_id, label, normalized; ``locations`` entity_id, lat,
    lon."""
    placed = {str(loc["entity_id"]): (loc["lat"], loc["lon"]) for loc in locations}
    by_call: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for e in entities:
        by_call[str(e["call_uid"])].append(e)
    out = []
    for c in calls:
        uid = str(c["call_uid"])
        found = sorted(by_call.get(uid, []), key=lambda e: e.get("start_char") or 0)
        text = texts.get(uid, "")
        tags = {unit_key(str(u.get("tag") or "")) for u in c.get("units") or []} - {None}
        said = [e for e in found if e["label"] == "UNIT"]
        heard = {unit_key(str(e["normalized"] or "")) for e in said} - {None}
        sure = {
            unit_key(str(e["normalized"] or ""))
            for e in said
            if e.get("confidence") is None or e["confidence"] >= MIN_HEARD_UNIT_CONFIDENCE
        }
        # A unit's tag is the recorder's (certain); a callsign in the text is the
        # recognizer's, and a number in it is often misheard. When a unit keyed up, the call
        # is about that unit: other callsigns in it link nothing. Without a tag (a
        # dispatcher speaking), the callsigns heard.
        units = tags or heard
        codes = [str(e["normalized"]) for e in found if e["label"] == "TEN_CODE"]
        places = []
        highway = next((str(e["normalized"]) for e in found if e["label"] == "HIGHWAY"), "")
        for e in found:
            if e["label"] == "MILE_MARKER" and e["normalized"]:
                # a mile means nothing without its road
                places.append(Place(f"{highway} MILE {e['normalized']}".strip().upper()))
            elif e["label"] in PLACE_LABELS and e["normalized"]:
                lat, lon = placed.get(str(e["entity_id"]), (None, None))
                places.append(Place(str(e["normalized"]).upper(), lat, lon))
        types = [str(e["normalized"]) for e in found if e["label"] == "INCIDENT_TYPE"]
        if _MORE.search(text):
            types = [t for t in types if t != "ALARM"]  # "a second alarm" is no alarm call
        stage = stage_of(codes, text)
        incident_said = bool(places or types)
        out.append(
            CallFacts(
                call_uid=uid,
                start_time=c["start_time"],
                talkgroup=int(c["talkgroup"]),
                agency=str(c.get("talkgroup_group") or ""),
                units=frozenset(u for u in units if u),
                mentioned=frozenset(u for u in heard - units if u),
                units_by_ear=not tags and bool(units),
                weak_units=frozenset() if tags else frozenset(u for u in heard - sure if u),
                places=tuple(dict.fromkeys(places)),
                incident_types=tuple(dict.fromkeys(types)),
                stage=stage,
                dispatch=bool(_RESPOND.search(text)) or (incident_said and stage is None),
                sends=bool(_SENDS.search(text)) and not _MORE.search(text),
                admin=not incident_said
                and (bool(_ADMIN_PHRASES.search(text)) or bool(set(codes) & _ADMIN_CODES)),
            )
        )
    return out
