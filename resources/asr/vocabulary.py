"""Domain vocabulary for Whisper's prompt: the unit names heard on a talkgroup, its
service's jargon, 10-codes and the county's street names (from the gazetteer file, read by
the geocoder's own reader, ``resources.geocoding.gazetteer_files``). Whisper conditions on
its prompt as if it were the text just before the audio, so spelling "Medic 4" or
"Tamarack Lane" there makes it write them that way.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from resources.geocoding.backend import GazetteerError
from resources.geocoding.gazetteer_files import load_gazetteer_file

TEN_CODES = (
    "10-4",
    "10-8",
    "10-7",
    "10-20",
    "10-23",
    "10-97",
    "10-98",
    "10-6",
    "10-9",
    "10-33",
    "10-50",
    "10-76",
)
PHONETIC = (
    "Alpha",
    "Bravo",
    "Charlie",
    "Delta",
    "Echo",
    "Foxtrot",
    "Golf",
    "Hotel",
    "Kilo",
    "Lima",
    "Tango",
    "Zulu",
)
SERVICE_TERMS: dict[str, tuple[str, ...]] = {
    "fire": (
        "Engine",
        "Ladder",
        "Truck",
        "Battalion",
        "Rescue",
        "Tanker",
        "structure fire",
        "working fire",
        "second alarm",
        "command",
    ),
    "ems": (
        "Medic",
        "Ambulance",
        "ALS",
        "BLS",
        "patient",
        "transporting",
        "unresponsive",
        "cardiac arrest",
        "chest pain",
    ),
    "police": (
        "Unit",
        "traffic stop",
        "plate",
        "suspect",
        "be advised",
        "BOLO",
        "registered owner",
        "en route",
        *PHONETIC,
    ),
}
_SERVICE_HINTS = {
    "fire": ("fire", "fd", "engine", "ladder", "battalion"),
    "ems": ("ems", "medic", "ambulance", "rescue squad", "hospital"),
    "police": ("police", "pd", "sheriff", "law", "patrol", "leo"),
}


class VocabularyError(ValueError):
    """A vocabulary file that cannot be read as the documented format."""

    def __init__(self, path: str, detail: str) -> None:
        super().__init__(f"{path}: {detail}")
        self.path = path
        self.detail = detail


@dataclass(frozen=True)
class TalkgroupInfo:
    """What the raw layer knows about a talkgroup, plus the unit names heard on it."""

    talkgroup: int | None = None
    tag: str | None = None
    group: str | None = None
    description: str | None = None
    units: tuple[str, ...] = ()  # most frequent first


@dataclass(frozen=True)
class Vocabulary:
    streets: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()  # extra terms for every talkgroup
    talkgroup_terms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # by id or tag
    max_units: int = 8
    max_streets: int = 12

    def prompt(self, info: TalkgroupInfo) -> str | None:
        """The prompt for calls on one talkgroup, most specific terms first (the engine
        cuts the prompt to its token budget from the end)."""
        keys = [str(info.talkgroup)] if info.talkgroup is not None else []
        keys += [info.tag] if info.tag else []
        own = [t for k in keys for t in self.talkgroup_terms.get(k, ())]
        service = service_of(info)
        parts = _unique(
            [
                *own,
                *info.units[: self.max_units],
                *self.terms,
                *(SERVICE_TERMS.get(service, ()) if service else ()),
                *TEN_CODES[:6],
                *self.streets[: self.max_streets],
            ]
        )
        return ", ".join(parts) + "." if parts else None


def service_of(info: TalkgroupInfo) -> str | None:
    """fire, ems or police, guessed from the talkgroup's group, tag and description."""
    text = " ".join(p for p in (info.group, info.tag, info.description) if p).lower()
    words = set(text.replace("-", " ").replace("/", " ").split())
    for service, hints in _SERVICE_HINTS.items():
        if any((h in words) if " " not in h else (h in text) for h in hints):
            return service
    return None


@lru_cache(maxsize=8)
def _streets_cached(path: str, mtime_ns: int, limit: int) -> tuple[str, ...]:
    try:
        rows = load_gazetteer_file(path)
    except GazetteerError as exc:
        raise VocabularyError(path, exc.detail) from exc
    counts = Counter(" ".join(s.split()).title() for s in rows.column("street").to_pylist() if s)
    return tuple(s for s, _ in counts.most_common(limit))


def gazetteer_streets(path: str | Path, limit: int = 40) -> tuple[str, ...]:
    """The ``limit`` street names with the most addresses in a gazetteer file (an
    OpenAddresses CSV, or TIGER ranges, where each side of a segment counts once), as the
    geocoder loads it: an address it would drop (no place, no street) counts for none."""
    p = Path(path)
    if not p.is_file():
        raise VocabularyError(str(path), "gazetteer file not found")
    return _streets_cached(str(p), p.stat().st_mtime_ns, limit)


def load_talkgroup_terms(path: str | Path) -> dict[str, tuple[str, ...]]:
    """Per-talkgroup terms from a JSON object: talkgroup id or tag -> list of terms."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise VocabularyError(str(path), str(exc)) from exc
    if not isinstance(data, dict) or not all(
        isinstance(v, list) and all(isinstance(t, str) for t in v) for v in data.values()
    ):
        raise VocabularyError(str(path), "expected an object of talkgroup -> list of strings")
    return {str(k): tuple(v) for k, v in data.items()}


def top_units(tags: Iterable[str | None], limit: int = 8) -> tuple[str, ...]:
    counts = Counter(" ".join(t.split()) for t in tags if t and t.strip())
    return tuple(t for t, _ in counts.most_common(limit))


def _unique(items: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        key = item.lower()
        if item and key not in seen:
            seen.add(key)
            out.append(item)
    return out
