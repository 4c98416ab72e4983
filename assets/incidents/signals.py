"""What one call tells the grouping: its units, places, incident types, and how far along the
dispatch -> en route -> on scene -> clear sequence it speaks, and the procedure words that
tie calls together (a stop a unit starts itself, a call for a second alarm and the alarm
sent, EMS standing by for fire, a commander's roll call of the units it clears).

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

from assets.entities.lexicon import mile_marker_word, mile_word, unit_kind

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
# a commander asking for more: "give me a second alarm", the number often misheard ("give
# me a pack and alarm", "a pack on the alarm")
_ASKS_MORE = re.compile(r"\bgive me (?:a |an )?(?:[a-z]+[ ,]+){0,3}?alarm\b", re.I)
# EMS sent to wait at a fire: paged with the fire department's assignment
_STAND_BY = re.compile(r"\bstand ?by for fire\b", re.I)
# a commander releasing the units of an incident, naming them
_ROLL_CALL = re.compile(r"\bunits?,? clear(ing)?\b", re.I)  # "all" often goes unheard ("Oil Unit")
_ADMIN_PHRASES = re.compile(r"\b(radio check|loud and clear|out of service)\b", re.I)
# A stop a unit makes on its own (no dispatcher sent it): it is always a new incident. The
# phrase is read from the text as well as from the entity layer's types, since the
# recognizer's "14,traffic stop" (no space) can hide it from the extractor.
_SELF_INITIATED = re.compile(r"\b(traffic|vehicle) stop\b", re.I)
_SELF_INITIATED_TYPES = frozenset({"TRAFFIC_STOP"})
# "mile marker 136" read from the text: the entity layer misses it when a word is misheard
# ("Mile Market 149"), and has read the number as a house number ("136 Clay St")
# (``said_mile``).
_WORD_OR_NUMBER = re.compile(r"[A-Za-z]+|\d+(?:\.\d)?")
_MARKER_WORDS = frozenset({"mark", "marker", "markers", "market", "maker"})
# the side of the road a highway mile was said on
_DIRECTION = re.compile(r"\b(north|south|east|west)[- ]?bound\b", re.I)
# A dispatcher reading back a registration the stopping unit asked for: "..., 4-5-8-0,
# comes back to a white Ford Explorer, no record found"
_PLATE_RETURN = re.compile(r"\bcomes? back (to|clear|valid|stolen|expired|as|registered)\b", re.I)
# a plate's digits as the recognizer writes them: "6152", "4-5-8-0", "4, 8, 3"
_PLATE_DIGITS = re.compile(r"(?<![\d-])(?:\d{3,7}|\d(?:(?:-|, ?| )\d(?!\d)){2,6})(?![\d-])")
_CALLSIGN = re.compile(r"^[A-Za-z]+ \d{1,4}$")
# a number standing alone ("10-50" is none), with the word said just before it
_SAID_NUMBER = re.compile(r"(?:\b([A-Za-z]+) )?(?<![\w-])(\d{1,3})(?![\w-])")
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
    # a highway mile's side of the road ("EAST"), where the call said it: two crashes at
    # one mile on opposite sides are two incidents
    direction: str | None = None


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
    self_initiated: bool = False  # a unit announcing a stop it makes on its own
    asks_more: bool = False  # a unit (the incident commander) asking for a second alarm
    sends_more: bool = False  # a dispatcher sending the second alarm's units
    # numbers a dispatcher said before "respond" that are no callsign heard: a callsign
    # whose kind went unheard ("65, respond to" for "Engine 65, respond to")
    bare_numbers: frozenset[str] = frozenset()
    stands_by: bool = False  # EMS sent to stand by for fire
    # callsigns (heard with confidence) a unit named as it cleared all units of its
    # incident: "all units clearing the scene, Engine 1, Engine 3, ..."
    roll_call: frozenset[str] = frozenset()
    returns_plate: bool = False  # a dispatcher reading back a registration ("comes back to")
    digit_runs: frozenset[str] = frozenset()  # runs of three or more digits said ("4-5-8-0")


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
        side = said_side.group(1).upper() if (said_side := _DIRECTION.search(text)) else None
        for e in found:
            if e["label"] == "MILE_MARKER" and e["normalized"]:
                # a mile means nothing without its road
                places.append(Place(f"{highway} MILE {e['normalized']}".strip().upper(), direction=side))
            elif e["label"] in PLACE_LABELS and e["normalized"]:
                lat, lon = placed.get(str(e["entity_id"]), (None, None))
                places.append(Place(str(e["normalized"]).upper(), lat, lon))
        if (mile := said_mile(text)) and not any(" MILE " in f" {p.key}" for p in places):
            places = [p for p in places if p.key.partition(" ")[0] != mile]
            places.append(Place(f"{highway} MILE {mile}".strip().upper(), direction=side))
        types = [str(e["normalized"]) for e in found if e["label"] == "INCIDENT_TYPE"]
        second_alarm = bool(_MORE.search(text))
        asks = bool(tags) and (second_alarm or bool(_ASKS_MORE.search(text)))
        more = second_alarm or asks
        if more:
            types = [t for t in types if t != "ALARM"]  # "a second alarm" is no alarm call
        sends = bool(_SENDS.search(text))
        # A dispatcher sending a unit starts its assignment: a clear or an arrival heard in
        # the same call is another unit's ("sheriff on scene") or the recognizer's noise
        # ("10-8-02" at the end of a dispatch), never the unit just sent.
        stage = "dispatched" if sends else stage_of(codes, text)
        incident_said = bool(places or types)
        said_to = _RESPOND.search(text)
        bare: set[str] = set()
        if said_to and not tags:
            bare = bare_numbers(text[: said_to.start()])
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
                dispatch=bool(said_to) or (incident_said and stage is None),
                sends=sends and not more,
                admin=not incident_said
                and not more
                and (bool(_ADMIN_PHRASES.search(text)) or bool(set(codes) & _ADMIN_CODES)),
                self_initiated=bool(tags)
                and (
                    bool(_SELF_INITIATED_TYPES & set(types)) or bool(_SELF_INITIATED.search(text))
                ),
                asks_more=asks,
                sends_more=more and not tags,
                bare_numbers=frozenset(bare),
                stands_by=bool(_STAND_BY.search(text)),
                roll_call=frozenset(u for u in sure - tags if u)
                if tags and _ROLL_CALL.search(text)
                else frozenset(),
                returns_plate=not tags and bool(_PLATE_RETURN.search(text)),
                digit_runs=digit_runs(text),
            )
        )
    return out


def bare_numbers(text: str) -> set[str]:
    """Numbers said with no callsign kind before them ("3, Engine 12, Ladder 3": "3"; the
    same number heard with a kind elsewhere in the call is still bare here)."""
    return {m.group(2) for m in _SAID_NUMBER.finditer(text) if not (m.group(1) and unit_kind(m.group(1)))}


def said_mile(text: str) -> str | None:
    """The first mile marker's number said in ``text``: "mile marker 136", and what the
    recognizer hears for the words ("Mile Market 149", "Mount Marker 181", "Maumarker 152")."""
    words = _WORD_OR_NUMBER.findall(text)
    for i, w in enumerate(words):
        if not w[0].isdigit() or len(w.partition(".")[0]) > 3 or i == 0:
            continue
        before = words[i - 1].lower()
        if mile_marker_word(before) or (before in _MARKER_WORDS and i > 1 and mile_word(words[i - 2])):
            return w
    return None


def digit_runs(text: str) -> frozenset[str]:
    """Runs of three to seven digits, however the recognizer separated them."""
    return frozenset(re.sub(r"\D", "", m.group(0)) for m in _PLATE_DIGITS.finditer(text))
