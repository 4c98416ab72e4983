"""What is said on a call: spoken text with entity spans, and how a transcriber would
write it.

A ``Builder`` assembles one transmission piece by piece, so every entity's character
span in the spoken text is known by construction rather than searched for afterwards.
The spoken text holds only words a voice reads as written (numbers spelled out); its
whitespace tokens, stripped of punctuation, are the ground truth's word list.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from resources.simulator import spoken
from resources.simulator.catalog import INCIDENT_TYPES, RadioUnit
from resources.simulator.places import Gazetteer, Highway, Street

_ATTACHED = re.compile(r"^[,.?!;:]")
_EDGE_PUNCT = ",.?!;:"


@dataclass(frozen=True)
class Entity:
    label: str  # ADDRESS, INTERSECTION, UNIT, TEN_CODE, INCIDENT_TYPE, PLATE, HIGHWAY, MILE_MARKER
    text: str  # exactly spoken_text[start_char:end_char]
    normalized: str
    start_char: int
    end_char: int
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class Utterance:
    """One speaker's turn on the air."""

    speaker: str  # a unit's callsign, or "Dispatch"
    radio_id: int
    voice: str
    text: str
    written: str
    entities: tuple[Entity, ...]

    @property
    def words(self) -> list[str]:
        return words_of(self.text)


def words_of(text: str) -> list[str]:
    """The words of a spoken text: whitespace tokens without edge punctuation."""
    return [w for w in (t.strip(_EDGE_PUNCT) for t in text.split()) if w]


@dataclass
class Builder:
    speaker: str
    radio_id: int
    voice: str
    _spoken: list[str] = field(default_factory=list)
    _written: list[str] = field(default_factory=list)
    _entities: list[Entity] = field(default_factory=list)
    _len: int = 0

    def say(self, text: str, written: str | None = None) -> Builder:
        """Append words (or punctuation such as ``","``) to the transmission."""
        written = self._sentence_case(written if written is not None else text)
        self._written.append(self._join(self._written, written))
        self._spoken.append(self._join(self._spoken, self._sentence_case(text)))
        self._len += len(self._spoken[-1])
        return self

    def _sentence_case(self, text: str) -> str:
        # A new sentence starts with a capital: espeak-ng ends a sentence at ". " only
        # before one, and the clause split of the word times depends on it.
        if self._spoken and self._spoken[-1].endswith((".", "?", "!")) and text[:1].islower():
            return text[0].upper() + text[1:]
        return text

    def entity(
        self,
        label: str,
        text: str,
        normalized: str,
        written: str | None = None,
        lat: float | None = None,
        lon: float | None = None,
    ) -> Builder:
        text = self._sentence_case(text)
        sep = 1 if self._spoken and not _ATTACHED.match(text) else 0
        start = self._len + sep
        self.say(text, written)
        self._entities.append(Entity(label, text, normalized, start, start + len(text), lat, lon))
        return self

    @staticmethod
    def _join(parts: list[str], piece: str) -> str:
        return piece if not parts or _ATTACHED.match(piece) else " " + piece

    def build(self) -> Utterance:
        text = "".join(self._spoken)
        for e in self._entities:
            if text[e.start_char : e.end_char] != e.text:
                raise AssertionError(f"entity span drifted: {e} in {text!r}")
        return Utterance(
            self.speaker,
            self.radio_id,
            self.voice,
            text,
            "".join(self._written),
            tuple(self._entities),
        )

    # --- the vocabulary of dispatch ---------------------------------------------------

    def unit(self, unit: RadioUnit) -> Builder:
        return self.entity(
            "UNIT",
            f"{unit.kind} {spoken.cardinal(unit.number)}",
            unit.callsign,
            written=unit.callsign,
        )

    def units(self, units: list[RadioUnit]) -> Builder:
        for i, u in enumerate(units):
            if i:
                self.say(",")
            self.unit(u)
        return self

    def ten_code(self, code: int) -> Builder:
        return self.entity("TEN_CODE", spoken.ten_code(code), f"10-{code}", written=f"10-{code}")

    def incident(self, code: str, rng: random.Random, phrases: tuple[str, ...] = ()) -> Builder:
        phrase = rng.choice(phrases or INCIDENT_TYPES[code])
        return self.entity("INCIDENT_TYPE", phrase, code)

    def plate(self, chars: str) -> Builder:
        return self.entity("PLATE", spoken.plate(chars), chars, written=spoken.plate_written(chars))

    def address(self, street: Street, number: int, style: str) -> Builder:
        lon, lat = street.locate(number)
        text = f"{spoken.house_number(number, style)} {street.spoken}"
        return self.entity(
            "ADDRESS",
            text,
            f"{number} {street.name}",
            written=f"{number} {street.name}",
            lat=lat,
            lon=lon,
        )

    def intersection(self, a: Street, b: Street, lon: float, lat: float, full: bool) -> Builder:
        text = f"{a.spoken} and {b.spoken}" if full else f"{a.short} and {b.short}"
        written = (
            f"{a.name} and {b.name}" if full else f"{_written_short(a)} and {_written_short(b)}"
        )
        return self.entity(
            "INTERSECTION", text, f"{a.name} & {b.name}", written=written, lat=lat, lon=lon
        )

    def highway(self, road: Highway, rng: random.Random) -> Builder:
        said = rng.choice(road.spoken)
        head, number = said.split(" ", 1)[0], road.name.split("-", 1)[1]
        written = {"I": f"I-{number}", "U": f"US {number}"}.get(head, f"{head} {number}")
        return self.entity("HIGHWAY", said, road.name, written=written)

    def mile_marker(self, road: Highway, mile: int) -> Builder:
        lon, lat = road.locate(mile)
        return self.entity(
            "MILE_MARKER",
            f"mile marker {spoken.paired(mile)}",
            str(mile),
            written=f"mile marker {mile}",
            lat=lat,
            lon=lon,
        )


def _written_short(street: Street) -> str:
    # "5th Street" is said "Fifth" and written "5th"; "Oak Street" is said and written "Oak".
    head = street.name.split(" ", 1)[0]
    return head if head[0].isdigit() else street.short


@dataclass(frozen=True)
class Place:
    """Where an incident is, and how to say it."""

    kind: str  # "address", "intersection", "highway"
    city: str
    say: tuple[object, ...]  # arguments for the Builder method named by kind
    lon: float
    lat: float


def pick_place(gaz: Gazetteer, rng: random.Random, kinds: dict[str, float]) -> Place:
    """An incident location drawn from the gazetteer: an address (half at a listed
    address point, half at any number on the street), an intersection, or a highway mile."""
    kind = rng.choices(list(kinds), weights=list(kinds.values()))[0]
    if kind == "address":
        street = rng.choice(gaz.streets)
        listed = [p.number for p in gaz.addresses if p.street is street]
        number = (
            rng.choice(listed)
            if listed and rng.random() < 0.5
            else rng.randint(street.first_number, street.last_number)
        )
        style = rng.choices(("paired", "digits", "cardinal"), weights=(0.6, 0.25, 0.15))[0]
        lon, lat = street.locate(number)
        return Place(kind, street.city, (street, number, style), lon, lat)
    if kind == "intersection":
        x = rng.choice(gaz.intersections)
        a, b = (x.a, x.b) if rng.random() < 0.5 else (x.b, x.a)
        return Place(kind, x.a.city, (a, b, x.lon, x.lat, rng.random() < 0.35), x.lon, x.lat)
    road = rng.choice(gaz.highways)
    mile = rng.randint(road.first_mile, road.last_mile)
    lon, lat = road.locate(mile)
    bound = rng.choice(
        ("northbound", "southbound") if road.name == "I-65" else ("eastbound", "westbound")
    )
    return Place(kind, "", (road, mile, bound), lon, lat)


def say_place(b: Builder, place: Place, rng: random.Random, with_city: bool = False) -> Builder:
    if place.kind == "address":
        b.address(*place.say)  # type: ignore[arg-type]
    elif place.kind == "intersection":
        b.intersection(*place.say)  # type: ignore[arg-type]
    else:
        road, mile, bound = place.say
        b.highway(road, rng).say(str(bound)).say("at").mile_marker(road, mile)  # type: ignore[arg-type]
    if with_city and place.city:
        b.say(",").say(place.city)
    return b
