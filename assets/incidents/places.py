"""Whether two places heard in calls are one: by name, by highway mile, or near and named
alike.

Pure: ``Place`` values in, a yes or no out.
"""

from __future__ import annotations

import math

from assets.incidents.signals import Place

_EARTH_M = 6_371_008.8


def distance_m(a: Place, b: Place) -> float | None:
    if None in (a.lat, a.lon, b.lat, b.lon):
        return None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)  # type: ignore[arg-type]
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)  # type: ignore[operator]
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_M * math.asin(min(1.0, math.sqrt(h)))


def _mile(place: Place) -> str | None:
    road, sep, mile = place.key.rpartition("MILE ")
    heard = sep and (not road or road.endswith(" ")) and mile.replace(".", "", 1).isdigit()
    return mile if heard else None


def _address(place: Place) -> tuple[str, str] | None:
    """An address's house number and street ("1220 OAK ST" -> ("1220", "OAK ST")); None
    for any other place."""
    number, _, street = place.key.partition(" ")
    return (number, street) if number[:1].isdigit() and street and "&" not in street else None


def _one_digit_apart(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) <= 1


def same_place(a: Place, b: Place, radius_m: float) -> bool:
    """The same name, or near and named alike. A dispatcher gives every unit sent to one
    incident the same location, so nearness only bridges what the recognizer or the
    geocoder blurred (one digit of a house number misheard, an intersection said the other
    way round): an address and an intersection, or addresses on two streets or with two
    house numbers, are two places however near. A highway mile is the mile number: the road's name is
    what the recognizer gets wrong ("Highway 40" for 14, "US-80" for 82, or none); its
    side of the road, where both calls said it, must agree."""
    if len({a.direction, b.direction} - {None}) == 2:
        return False
    if a.key == b.key:
        return True
    mile_a, mile_b = _mile(a), _mile(b)
    if mile_a or mile_b:
        return mile_a == mile_b
    d = distance_m(a, b)
    if d is None or d > radius_m:
        return False
    address_a, address_b = _address(a), _address(b)
    if address_a is None or address_b is None:
        return address_a == address_b  # two intersections, or places of unknown kind
    return address_a[1] == address_b[1] and _one_digit_apart(address_a[0], address_b[0])
