"""Fuzzy street matching: speech recognizers spell streets by ear ("Oke Street",
"Washingtun Avenue", "Maypole Drive"), so a street is found by how it sounds (Metaphone
keys) as much as by how it is spelled (edit distance), and the suffix and directional only
break ties."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import jellyfish
from rapidfuzz import fuzz, process

from radiotext.streets import StreetName, parse_street

_HAS_DIGIT = re.compile(r"\d")
_CANDIDATES = 25  # per scorer, before the full score is computed


@lru_cache(maxsize=65536)
def sound_key(name: str) -> str:
    """Metaphone of each word; numbered names keep their digits (5TH sounds like nothing)."""
    return " ".join(w if _HAS_DIGIT.search(w) else jellyfish.metaphone(w) for w in name.split())


@dataclass(frozen=True)
class StreetMatch:
    key: str
    street: StreetName
    score: float


class StreetIndex:
    """The known streets of a county, searchable by a possibly misheard name."""

    def __init__(self, keys: Iterable[str]) -> None:
        parsed = {k: parse_street(k) for k in dict.fromkeys(keys) if k}
        self.streets: dict[str, StreetName] = {k: p for k, p in parsed.items() if p}
        self._keys = list(self.streets)
        self._names = [self.streets[k].name for k in self._keys]
        self._sounds = [sound_key(n) for n in self._names]
        self.by_name: dict[str, list[str]] = {}
        for key, name in zip(self._keys, self._names, strict=True):
            self.by_name.setdefault(name, []).append(key)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: str) -> bool:
        return key in self.streets

    def names(self) -> set[str]:
        return set(self.by_name)

    def match(
        self, query: StreetName, limit: int = 5, min_score: float = 0.75
    ) -> list[StreetMatch]:
        """The best known streets for ``query``, best first, each with a score in [0, 1]."""
        if not self._keys or not query.name:
            return []
        exact = self.streets.get(query.key)
        if exact is not None:
            return [StreetMatch(query.key, exact, 1.0)]
        picks: set[int] = set()
        for choices, needle in ((self._names, query.name), (self._sounds, sound_key(query.name))):
            for _, _, idx in process.extract(needle, choices, scorer=fuzz.ratio, limit=_CANDIDATES):
                picks.add(idx)
        scored = []
        for idx in picks:
            street = self.streets[self._keys[idx]]
            score = street_similarity(query, street)
            if score >= min_score:
                scored.append(StreetMatch(self._keys[idx], street, score))
        scored.sort(key=lambda m: (-m.score, m.key))
        return scored[:limit]


def name_similarity(a: str, b: str) -> float:
    """How alike two street names are, by spelling and by sound, in [0, 1]."""
    if a == b:
        return 1.0
    if _HAS_DIGIT.search(a) or _HAS_DIGIT.search(b):
        # 5TH and 6TH differ by one character but are different streets; 5 and 5TH are not.
        if re.sub(r"\D", "", a) != re.sub(r"\D", "", b):
            return 0.0
        return 0.9 + 0.1 * fuzz.ratio(a, b) / 100.0
    spelled = fuzz.ratio(a, b) / 100.0
    sounded = fuzz.ratio(sound_key(a), sound_key(b)) / 100.0
    return max(spelled, 0.5 * spelled + 0.5 * sounded)


def street_similarity(query: StreetName, known: StreetName) -> float:
    score = name_similarity(query.name, known.name)
    if query.suffix and known.suffix and query.suffix != known.suffix:
        score -= 0.15
    if query.predir != known.predir:
        score -= 0.1 if query.predir else 0.03
    if query.postdir != known.postdir:
        score -= 0.1 if query.postdir else 0.03
    return max(0.0, min(1.0, score))
