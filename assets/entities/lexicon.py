"""The words of radio traffic the recognizers look for: unit kinds, phonetic alphabets,
highway systems and the cue words around plates and places.

Speech recognizers mishear these ("Metic 4", "Latter 3", "Play Adam Boy..."), so unit
kinds are also matched by sound (Metaphone) and a few frequent mishearings are listed.
"""

from __future__ import annotations

import re
from functools import lru_cache

import jellyfish

# canonical unit kind -> spellings and plurals a transcript may show
UNIT_KINDS: dict[str, tuple[str, ...]] = {
    "Engine": ("engine", "engines"),
    "Medic": ("medic", "medics"),
    "Ladder": ("ladder", "ladders"),
    "Truck": ("truck",),
    "Rescue": ("rescue",),
    "Squad": ("squad",),
    "Tanker": ("tanker",),
    "Tower": ("tower",),
    "Quint": ("quint",),
    "Brush": ("brush",),
    "Battalion": ("battalion", "batallion"),
    "Ambulance": ("ambulance",),
    "Unit": ("unit", "units"),
    "Car": ("car",),
}
_UNIT_SPELLINGS = {s: kind for kind, spellings in UNIT_KINDS.items() for s in spellings}
# Kinds short enough that matching them by sound would catch ordinary words.
_NO_SOUND_MATCH = frozenset({"Car", "Unit", "Truck", "Squad", "Quint", "Brush", "Tower"})
_UNIT_SOUNDS = {
    jellyfish.metaphone(kind): kind for kind in UNIT_KINDS if kind not in _NO_SOUND_MATCH
}


@lru_cache(maxsize=4096)
def unit_kind(word: str) -> str | None:
    """The unit kind a word names, allowing for how a recognizer spells it by ear."""
    lowered = word.lower().strip(".,")
    if lowered in _UNIT_SPELLINGS:
        return _UNIT_SPELLINGS[lowered]
    if len(lowered) < 5 or not lowered.isalpha():
        return None
    stem = lowered[:-1] if lowered.endswith("s") else lowered
    return _UNIT_SOUNDS.get(jellyfish.metaphone(stem))


_MILE_MARKER_SOUNDS = frozenset(
    {jellyfish.metaphone("milemarker"), jellyfish.metaphone("milepost")}
)


# "mile" run into "marker" keeps its M and loses its L more often than not: "Maumarker",
# "Maumarca" (MMRK), "Mountmarker" (MNTMRKR)
_RUN_TOGETHER_MARKER = re.compile(r"^M[A-Z]{0,2}MRKR?$")


@lru_cache(maxsize=4096)
def mile_marker_word(word: str) -> bool:
    """One word that says "mile marker" or "milepost" (a recognizer's "Mallmarker")."""
    lowered = word.lower()
    if not (lowered.isalpha() and len(lowered) > 6):
        return False
    sound = jellyfish.metaphone(lowered)
    return sound in _MILE_MARKER_SOUNDS or bool(_RUN_TOGETHER_MARKER.match(sound))


def mile_word(word: str) -> bool:
    """The word before "marker" that was "mile": "mile" itself, or a short word the
    recognizer heard for it ("Mount Marker", "Mall Marker")."""
    lowered = word.lower()
    return lowered == "mile" or (
        lowered.isalpha() and 2 <= len(lowered) <= 5 and jellyfish.metaphone(lowered)[:1] == "M"
    )


APCO = (
    "Adam Boy Charles David Edward Frank George Henry Ida John King Lincoln Mary Nora Ocean "
    "Paul Queen Robert Sam Tom Union Victor William Xray Young Zebra"
).split()
NATO = (
    "Alpha Bravo Charlie Delta Echo Foxtrot Golf Hotel India Juliet Kilo Lima Mike November "
    "Oscar Papa Quebec Romeo Sierra Tango Uniform Victor Whiskey Xray Yankee Zulu"
).split()
PHONETIC: dict[str, str] = {}
for _alphabet in (NATO, APCO):  # APCO wins where both name a word (Victor is V in both)
    for _word in _alphabet:
        PHONETIC[_word.lower()] = _word[0]
PHONETIC.update({"alfa": "A", "juliett": "J", "whisky": "W", "x-ray": "X", "norah": "N"})

PLATE_CUES = frozenset(
    {"plate", "plates", "tag", "tags", "registration", "license", "play", "plated"}
)

# spoken system words -> canonical highway prefix
HIGHWAY_SYSTEMS = {
    "interstate": "I", "i": "I", "us": "US", "u.s.": "US", "state": "SR", "sr": "SR",
    "route": "RT", "highway": "HWY", "hwy": "HWY", "county": "CR", "cr": "CR",
}  # fmt: skip
STATE_NAMES = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA",
    "colorado": "CO", "connecticut": "CT", "delaware": "DE", "florida": "FL", "georgia": "GA",
    "idaho": "ID", "illinois": "IL", "indiana": "IN", "iowa": "IA", "kansas": "KS",
    "kentucky": "KY", "louisiana": "LA", "maine": "ME", "maryland": "MD", "michigan": "MI",
    "minnesota": "MN", "mississippi": "MS", "missouri": "MO", "montana": "MT",
    "nebraska": "NE", "nevada": "NV", "ohio": "OH", "oklahoma": "OK", "oregon": "OR",
    "pennsylvania": "PA", "tennessee": "TN", "texas": "TX", "utah": "UT", "vermont": "VT",
    "virginia": "VA", "washington": "WA", "wisconsin": "WI", "wyoming": "WY",
}  # fmt: skip

# Words that join the two streets of an intersection; recognizers hear "and" as "in"/"n".
CONNECTORS = frozenset({"and", "&", "at", "in", "n", "an", "/", "by"})
STRONG_CONNECTORS = frozenset({"and", "&", "/"})
