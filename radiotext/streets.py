"""Street names in one canonical spelling, so "North Fifth Street", "N 5th St." and
"n. fifth st" are the same street to the gazetteer, the cache and the entity extractor.

Suffixes and directionals follow USPS Publication 28 (appendices C1 and B): every common
spelling maps to the standard abbreviation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from radiotext.spoken import ordinal_text, ordinal_value

# USPS Pub. 28 C1: spoken or written variants -> standard suffix abbreviation
_SUFFIX_VARIANTS = {
    "ALY": ("ALLEY", "ALLEE", "ALLY", "ALY"),
    "AVE": ("AVENUE", "AV", "AVE", "AVEN", "AVENU", "AVN", "AVNUE"),
    "BLVD": ("BOULEVARD", "BLVD", "BOUL", "BOULV"),
    "BR": ("BRANCH", "BR", "BRNCH"),
    "BRG": ("BRIDGE", "BRDGE", "BRG"),
    "BYP": ("BYPASS", "BYP", "BYPA", "BYPAS", "BYPS"),
    "CIR": ("CIRCLE", "CIR", "CIRC", "CIRCL", "CRCL", "CRCLE"),
    "CT": ("COURT", "CT"),
    "CV": ("COVE", "CV"),
    "CRES": ("CRESCENT", "CRES", "CRSENT", "CRSNT"),
    "XING": ("CROSSING", "CRSSNG", "XING"),
    "DR": ("DRIVE", "DR", "DRIV", "DRV"),
    "EXPY": ("EXPRESSWAY", "EXP", "EXPR", "EXPRESS", "EXPW", "EXPY"),
    "EXT": ("EXTENSION", "EXT", "EXTN", "EXTNSN"),
    "FWY": ("FREEWAY", "FREEWY", "FRWAY", "FRWY", "FWY"),
    "GRV": ("GROVE", "GROV", "GRV"),
    "HTS": ("HEIGHTS", "HT", "HTS"),
    "HWY": ("HIGHWAY", "HIGHWY", "HIWAY", "HIWY", "HWAY", "HWY"),
    "HOLW": ("HOLLOW", "HLLW", "HOLLOWS", "HOLW", "HOLWS"),
    "LN": ("LANE", "LN"),
    "LOOP": ("LOOP", "LOOPS"),
    "MNR": ("MANOR", "MNR"),
    "MDW": ("MEADOW", "MEADOWS", "MDW", "MDWS", "MEDOWS"),
    "PARK": ("PARK", "PRK"),
    "PKWY": ("PARKWAY", "PARKWY", "PKWAY", "PKWY", "PKY"),
    "PASS": ("PASS",),
    "PATH": ("PATH", "PATHS"),
    "PIKE": ("PIKE", "PIKES"),
    "PL": ("PLACE", "PL"),
    "PLZ": ("PLAZA", "PLZ", "PLZA"),
    "PT": ("POINT", "PT"),
    "RDG": ("RIDGE", "RDG", "RDGE"),
    "RD": ("ROAD", "RD"),
    "RTE": ("ROUTE", "RTE"),
    "ROW": ("ROW",),
    "RUN": ("RUN",),
    "SQ": ("SQUARE", "SQ", "SQR", "SQRE", "SQU"),
    "ST": ("STREET", "ST", "STR", "STRT"),
    "TER": ("TERRACE", "TER", "TERR"),
    "TPKE": ("TURNPIKE", "TPKE", "TRNPK", "TURNPK"),
    "TRL": ("TRAIL", "TRAILS", "TRL", "TRLS"),
    "VW": ("VIEW", "VW"),
    "WALK": ("WALK", "WALKS"),
    "WAY": ("WAY", "WY"),
}
SUFFIXES: dict[str, str] = {v: std for std, variants in _SUFFIX_VARIANTS.items() for v in variants}
SUFFIX_WORDS: dict[str, str] = {  # the spoken (full) word of each standard abbreviation
    std: variants[0] for std, variants in _SUFFIX_VARIANTS.items()
}

DIRECTIONALS = {
    "N": "N", "NORTH": "N", "S": "S", "SOUTH": "S", "E": "E", "EAST": "E", "W": "W",
    "WEST": "W", "NE": "NE", "NORTHEAST": "NE", "NW": "NW", "NORTHWEST": "NW",
    "SE": "SE", "SOUTHEAST": "SE", "SW": "SW", "SOUTHWEST": "SW",
}  # fmt: skip

_WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")
_LEADING_NUMBER = re.compile(r"^\s*(\d+)")


@dataclass(frozen=True)
class StreetName:
    """A street split into its parts, each in canonical spelling (upper case, USPS
    abbreviations, numbered streets as ``5TH``)."""

    name: str
    suffix: str = ""
    predir: str = ""
    postdir: str = ""

    @property
    def key(self) -> str:
        """The canonical full name, e.g. ``N 5TH ST``: the gazetteer's and cache's key."""
        return " ".join(p for p in (self.predir, self.name, self.suffix, self.postdir) if p)

    @property
    def spoken(self) -> str:
        """A readable form for services that parse free text (``N 5th Street``)."""
        words = [self.predir, *(_title(w) for w in self.name.split())]
        words += [SUFFIX_WORDS.get(self.suffix, self.suffix).title(), self.postdir]
        return " ".join(w for w in words if w)


def _title(word: str) -> str:
    return word.lower() if word[:1].isdigit() else word.title()


def street_words(text: str) -> list[str]:
    """Upper-case words of a street name, punctuation dropped ("N. 5th St." -> N, 5TH, ST)."""
    return [w.upper() for w in _WORD.findall(text.replace("-", " "))]


def canonical_name_words(words: list[str]) -> list[str]:
    """Numbered street names in one spelling: FIFTH, 5TH and TWENTY THIRD become 5TH, 23RD."""
    out: list[str] = []
    i = 0
    while i < len(words):
        found = ordinal_value(words[i:])
        if found:
            value, used = found
            out.append(ordinal_text(value))
            i += used
        else:
            out.append(words[i])
            i += 1
    return out


def parse_street(text: str) -> StreetName | None:
    """Split a street name into directionals, name and suffix. A word is only taken as a
    suffix or directional if a name is left over, so "Park", "North Road" or "Court St"
    keep their names. Returns None when nothing usable is left."""
    words = canonical_name_words(street_words(text))
    if not words:
        return None
    predir = postdir = suffix = ""
    if len(words) > 1 and words[-1] in DIRECTIONALS and words[-2] in SUFFIXES:
        postdir = DIRECTIONALS[words.pop()]
    if len(words) > 1 and words[-1] in SUFFIXES:
        suffix = SUFFIXES[words.pop()]
    if len(words) > 1 and words[0] in DIRECTIONALS:
        predir = DIRECTIONALS[words.pop(0)]
    name = " ".join(words)
    return StreetName(name=name, suffix=suffix, predir=predir, postdir=postdir) if name else None


def street_key(text: str) -> str:
    """The canonical key of a street name (empty when the text holds no street)."""
    parsed = parse_street(text)
    return parsed.key if parsed else ""


def leading_number(text: str | None) -> int | None:
    """The house number an address field starts with ("12B" is 12, "" is None): the
    gazetteer's points and ranges and the extractor's house numbers read it alike."""
    found = _LEADING_NUMBER.match(text or "")
    return int(found.group(1)) if found else None
