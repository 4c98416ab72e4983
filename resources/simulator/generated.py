"""Simulated counties built from a seed, so the place layer can be checked on streets no
rule was written for.

Names are built from syllables ("Car" + "ington" -> "Carrington", "Ash" + "grove" ->
"Ashgrove"), never from Autauga's word-like names (Oak, Magnolia, Fifth), and take
suffixes Autauga's grids hardly use (Drive, Court, Lane, Way, Terrace, Circle...). Each
town numbers its grid from its own base (the 1100s, the 4000s...) by 100 or 200 a block,
some rising south or west. Rural roads are named and numbered 1,000 a mile, some from
10,000. The outline is an irregular polygon drawn around a real point on the map, so the
geocoder's outline checks run as they do for Autauga.

Towns: "wexmoor" (Wexmoor County, central Kansas, seed 2) is the development town;
"generated-SEED" is any other seed, e.g. one drawn after the rules were frozen.
"""

from __future__ import annotations

import math
import random

from resources.simulator.county import County, LonLat, Town, distance_m, offset
from resources.simulator.gazetteer import address_points
from resources.simulator.places import Gazetteer, Highway, Intersection, Street

# fmt: off
_ONSETS = (
    "Ash", "Bel", "Bran", "Car", "Cal", "Dor", "Del", "Fen", "Gar", "Hal", "Kes", "Lan",
    "Mer", "Nor", "Pen", "Quar", "Rad", "Sel", "Tol", "Tam", "Ver", "Wen", "Yar", "Cor",
    "Har", "Mal", "Sher", "Thorn", "Win", "Bram", "Gil", "Ren", "Stan", "Ald", "Ever",
    "Fair", "Marl", "Wex", "Brock", "Lind", "Pres", "Wil", "Dun", "Kel", "Os",
)
_ENDINGS = (
    "ington", "iver", "grove", "ford", "wick", "ley", "more", "dale", "bury", "stead",
    "field", "mont", "worth", "brook", "haven", "ridge", "ston", "cliff", "wood", "mere",
    "ell", "ett", "ard", "ick", "ham", "shire", "gate", "moor",
)
_TOWN_ENDINGS = ("ton", "ville", "port", "borough", "bridge", "ham", "burg")
# (suffix, weight): a grid street's suffix
_SUFFIXES = (
    ("Drive", 4), ("Court", 3), ("Lane", 3), ("Way", 3), ("Place", 2), ("Terrace", 2),
    ("Trail", 2), ("Circle", 1), ("Boulevard", 1), ("Parkway", 1), ("Street", 2),
)
_BASES = (100, 1000, 1100, 2000, 2400, 3000, 4100, 5000, 6000, 7200, 8000)
# A real point on the map per generated county: (lat, lon, state, state name, fips, zip
# prefix, time zone).
_SITES = (
    (38.35, -98.20, "KS", "Kansas", "20", "67", "America/Chicago"),
    (44.05, -120.75, "OR", "Oregon", "41", "97", "America/Los_Angeles"),
    (41.45, -77.85, "PA", "Pennsylvania", "42", "16", "America/New_York"),
    (39.20, -105.60, "CO", "Colorado", "08", "80", "America/Denver"),
    (35.60, -87.60, "TN", "Tennessee", "47", "38", "America/Chicago"),
)
# fmt: on
_NAMED = {"wexmoor": (2, "Wexmoor County", 0)}  # town -> (seed, county name, site)
PREFIX = "generated-"
_RADIUS_M = 24_000.0


def _word(rng: random.Random, endings: tuple[str, ...]) -> str:
    onset, ending = rng.choice(_ONSETS), rng.choice(endings)
    # "Car" + "ington" doubles its consonant as English spelling does: "Carrington".
    if ending[0] in "aeiou" and onset[-1] not in "aeiouwxy" and onset[-2] in "aeiou":
        onset += onset[-1]
    return onset + ending


def _names(rng: random.Random, n: int, endings: tuple[str, ...], taken: set[str]) -> list[str]:
    out: list[str] = []
    while len(out) < n:
        word = _word(rng, endings)
        if word not in taken:
            taken.add(word)
            out.append(word)
    return out


def _suffix(rng: random.Random) -> str:
    return rng.choices([s for s, _ in _SUFFIXES], weights=[w for _, w in _SUFFIXES])[0]


def _outline(rng: random.Random, lat: float, lon: float) -> tuple[LonLat, ...]:
    ring = []
    for i in range(16):
        angle = 2 * math.pi * (i + rng.uniform(-0.3, 0.3)) / 16
        r = _RADIUS_M * rng.uniform(0.9, 1.1)
        ring.append(offset(lon, lat, r * math.cos(angle), r * math.sin(angle)))
    return (*ring, ring[0])


def _towns(rng: random.Random, site: tuple, count: int, taken: set[str]) -> tuple[Town, ...]:
    lat, lon, zip_prefix = site[0], site[1], site[5]
    spots = [(0.0, 0.0)]
    while len(spots) < count:
        r, a = rng.uniform(7_000, 14_000), rng.uniform(0, 2 * math.pi)
        spot = (r * math.cos(a), r * math.sin(a))
        if all(math.dist(spot, s) > 6_000 for s in spots):
            spots.append(spot)
    names = _names(rng, count, _TOWN_ENDINGS, taken)
    zips = rng.sample(range(100, 1000), count)
    return tuple(
        Town(name, f"{zip_prefix}{z}", *reversed(offset(lon, lat, x, y)))
        for name, z, (x, y) in zip(names, zips, spots, strict=True)
    )


def _numbers(rng: random.Random, blocks: int) -> tuple[tuple[int, ...], bool]:
    """A grid line's block numbers from a base, and whether they rise against the axis."""
    base, step = rng.choice(_BASES), rng.choice((100, 100, 200))
    return tuple(base + step * k for k in range(blocks)), rng.random() < 0.3


def _grid(
    rng: random.Random, town: Town, taken: set[str], main: bool
) -> tuple[list[Street], list[Intersection]]:
    n_ns, n_ew = (rng.randint(6, 8), rng.randint(5, 7)) if main else (rng.randint(3, 5),) * 2
    dx, dy = rng.uniform(160, 320), rng.uniform(140, 260)
    xs = [(i - (n_ns - 1) / 2) * dx for i in range(n_ns)]
    ys = [(j - (n_ew - 1) / 2) * dy for j in range(n_ew)]
    ns_numbers, ns_flip = _numbers(rng, n_ew)
    ew_numbers, ew_flip = _numbers(rng, n_ns)

    def street(name: str, points: list[LonLat], numbers: tuple[int, ...], flip: bool) -> Street:
        full = f"{name} {_suffix(rng)}"
        verts = tuple(reversed(points)) if flip else tuple(points)
        return Street(full, full, name, town.name, town.postcode, verts, numbers)

    ns = [
        street(name, [town.to_lonlat(x, y) for y in ys], ns_numbers, ns_flip)
        for name, x in zip(_names(rng, n_ns, _ENDINGS, taken), xs, strict=True)
    ]
    ew = [
        street(name, [town.to_lonlat(x, y) for x in xs], ew_numbers, ew_flip)
        for name, y in zip(_names(rng, n_ew, _ENDINGS, taken), ys, strict=True)
    ]
    crossings = [
        Intersection(a, b, *town.to_lonlat(x, y))
        for a, x in zip(ns, xs, strict=True)
        for b, y in zip(ew, ys, strict=True)
    ]
    return ns + ew, crossings


def _rural_road(rng: random.Random, a: Town, b: Town, name: str) -> Street:
    start, end = (a.lon, a.lat), (b.lon, b.lat)
    steps = max(2, int(distance_m(start, end) // 500))
    verts = tuple(
        (start[0] + (end[0] - start[0]) * k / steps, start[1] + (end[1] - start[1]) * k / steps)
        for k in range(steps + 1)
    )
    # Between towns: leave out the stretches inside either town's grid.
    verts = verts[2:-2]
    numbers = [rng.choice((100, 1000, 10_000))]
    for p, q in zip(verts, verts[1:], strict=False):
        numbers.append(numbers[-1] + round(distance_m(p, q) * 1000 / 1609.344))
    full = f"{name} Road"
    return Street(full, full, name, a.name, a.postcode, verts, tuple(numbers))


def _highways(rng: random.Random, lat: float, lon: float) -> tuple[Highway, ...]:
    out = []
    for name, spoken, east in (
        ("US-50", ("U S fifty", "Highway fifty"), True),
        ("US-281", ("U S two eighty one", "Highway two eighty one"), False),
    ):
        verts = []
        for k in range(5):
            along, across = -19_000 + 9_500 * k, rng.uniform(-1_500, 1_500)
            x, y = (along, across) if east else (across, along)
            verts.append(offset(lon, lat, x, y))
        out.append(Highway(name, spoken, tuple(verts), rng.randint(90, 240)))
    return tuple(out)


def build(town: str) -> Gazetteer:
    """The gazetteer of generated town ``town``: "wexmoor" or "generated-SEED"."""
    if town in _NAMED:
        seed, name, site_index = _NAMED[town]
    elif town.startswith(PREFIX) and town.removeprefix(PREFIX).isdigit():
        seed, name, site_index = int(town.removeprefix(PREFIX)), "", -1
    else:
        raise KeyError(f"no simulated town {town!r}: autauga, wexmoor or {PREFIX}SEED")
    rng = random.Random(seed * 7919 + 17)
    site = _SITES[site_index if site_index >= 0 else rng.randrange(len(_SITES))]
    taken: set[str] = set()
    name = name or f"{_names(rng, 1, _ENDINGS, taken)[0]} County"
    towns = _towns(rng, site, rng.randint(4, 5), taken)
    boundary = _outline(rng, site[0], site[1])
    streets: list[Street] = []
    crossings: list[Intersection] = []
    for i, t in enumerate(towns):
        s, c = _grid(rng, t, taken, main=i == 0)
        streets += s
        crossings += c
    road_names = _names(rng, len(towns) - 1, _ENDINGS, taken)
    roads = [
        _rural_road(rng, a, b, road)
        for a, b, road in zip(towns[:-1], towns[1:], road_names, strict=True)
    ]
    streets += roads
    rural = {id(r) for r in roads}
    addresses = [p for s in streets for p in address_points(s, rng, rural=id(s) in rural)]
    area = County(
        town,
        name,
        site[2],
        site[3],
        f"{site[4]}9{seed % 100:02d}",
        site[6],
        boundary,
        towns,
    )
    return Gazetteer(
        tuple(streets), tuple(crossings), _highways(rng, site[0], site[1]), tuple(addresses), area
    )
