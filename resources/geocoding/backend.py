"""What every geocoder backend speaks: queries in, matches out, typed errors when a
service cannot answer."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from radiotext.streets import parse_street

ADDRESS = "address"
INTERSECTION = "intersection"
STREET = "street"
CITY = "city"

# Precisions, best first; a later backend is only consulted to improve on a coarse one.
PRECISIONS = ("rooftop", "interpolated", "intersection", "street", "city")
PRECISE = frozenset({"rooftop", "interpolated", "intersection"})


@dataclass(frozen=True)
class GeocodeQuery:
    """One place to find. Streets are canonical keys (``OAK ST``, ``5TH ST``); ``number``
    is the house number's digits; ``cross_street`` names the second street of an
    intersection."""

    kind: str
    street: str = ""
    number: str = ""
    cross_street: str = ""
    city: str = ""

    @property
    def key(self) -> str:
        """The cache key: the same place asked twice is one key, however it was spoken."""
        return "|".join((self.kind, self.number, self.street, self.cross_street, self.city.upper()))

    @property
    def text(self) -> str:
        """The query as free text, for services and for the ``locations.query`` column."""
        if self.kind == INTERSECTION:
            return f"{_spoken(self.street)} & {_spoken(self.cross_street)}"
        if self.kind == CITY:
            return self.city
        street = _spoken(self.street)
        return f"{self.number} {street}" if self.number else street


def _spoken(key: str) -> str:
    parsed = parse_street(key)
    return parsed.spoken if parsed else key


@dataclass(frozen=True)
class Match:
    lat: float
    lon: float
    precision: str
    score: float
    matched: str = ""

    @property
    def rank(self) -> tuple[int, float]:
        """Sort key: better precision first, then higher score."""
        return (PRECISIONS.index(self.precision), -self.score)


class Backend(Protocol):
    name: str
    kinds: frozenset[str]

    @property
    def cache_id(self) -> str:
        """The name under which answers are cached (a version for data-backed backends)."""
        ...

    def geocode(self, queries: list[GeocodeQuery]) -> dict[str, Match | None]:
        """An answer for every query key: a match, or None when the backend found nothing."""
        ...


class GeocoderUnavailable(RuntimeError):
    """A geocoding service did not answer after every retry (5xx, timeouts, refused)."""

    def __init__(self, backend: str, detail: str) -> None:
        super().__init__(f"{backend}: {detail}")
        self.backend = backend
        self.detail = detail


# A house number and the words after it, as a service echoes an address back in an error.
_SUFFIX = (
    r"st|street|ave|avenue|rd|road|dr|drive|ln|lane|blvd|boulevard|way|ct|court|pl|place|hwy|"
    r"highway|cir|circle|pkwy|parkway|ter|terrace|trl|trail|loop|sq|square"
)
_HOUSE_NUMBER_AND_STREET = re.compile(
    rf"\b\d{{1,6}}[A-Za-z]?(?:\s+[A-Za-z][\w.'-]*){{0,4}}?\s+(?:{_SUFFIX})\b\.?(?:,\s*[A-Za-z][\w .'-]*)?",
    re.IGNORECASE,
)
REDACTED = "[address]"


def scrub(service_text: str, queries: Iterable[GeocodeQuery] = ()) -> str:
    """A service's error text without the addresses it may echo back (the Census quotes
    the rows it could not read): every asked street, and anything shaped like a house number
    and street. Errors are logged and kept in run metadata, where addresses must not go."""
    text = service_text
    for query in queries:
        parsed = parse_street(query.street) if query.street else None
        for asked in sorted(
            {query.text, query.street, query.cross_street, parsed.spoken if parsed else ""}, key=len, reverse=True
        ):
            if len(asked) > 2:
                text = re.sub(re.escape(asked), REDACTED, text, flags=re.IGNORECASE)
    return _HOUSE_NUMBER_AND_STREET.sub(REDACTED, text)


class GazetteerError(ValueError):
    """A gazetteer file that cannot be read as OpenAddresses points or TIGER ranges."""

    def __init__(self, path: str, detail: str) -> None:
        super().__init__(f"{path}: {detail}")
        self.path = path
        self.detail = detail
