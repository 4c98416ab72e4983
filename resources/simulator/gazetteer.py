"""The county's invented streets at real coordinates, and the OpenAddresses file of them.

Each town is a grid: north-south streets whose house numbers rise northward by 100 a
block, east-west streets whose numbers rise eastward. County roads run between towns and
number by distance (1,000 a mile, as rural addressing does). Highways carry mile markers.

The gazetteer is the same for every simulation seed: one county, one address file.
``build(town)`` also gives the other simulated counties (``resources.simulator.generated``):
"wexmoor", and "generated-SEED" for a county no rule has seen yet.
"""

from __future__ import annotations

import csv
import functools
import json
import random
from pathlib import Path

from resources.simulator import county
from resources.simulator.county import TOWNS, Town
from resources.simulator.places import (
    AddressPoint,
    Gazetteer,
    Highway,
    Intersection,
    LonLat,
    Street,
)
from resources.simulator.spoken import cardinal, ordinal, ordinal_suffix

OPENADDRESSES_COLUMNS = (
    "LON",
    "LAT",
    "NUMBER",
    "STREET",
    "UNIT",
    "CITY",
    "DISTRICT",
    "REGION",
    "POSTCODE",
)
_GAZETTEER_SEED = 1001


def _named(name: str) -> tuple[str, str, str]:
    return name, name, name.rsplit(" ", 1)[0]


def _numbered(n: int) -> tuple[str, str, str]:
    word = " ".join(w.capitalize() for w in ordinal(n).split())
    return f"{ordinal_suffix(n)} Street", f"{word} Street", word


# (town, north-south names, east-west names, spacing east-west m, spacing north-south m)
_GRIDS: tuple[
    tuple[str, tuple[tuple[str, str, str], ...], tuple[tuple[str, str, str], ...], float, float],
    ...,
] = (
    (
        "Prattville",
        tuple(
            map(
                _named,
                (
                    "Magnolia Avenue",
                    "Pine Street",
                    "Walnut Street",
                    "Bridge Street",
                    "Court Street",
                    "Main Street",
                    "Washington Avenue",
                    "Chestnut Street",
                    "Oak Street",
                    "Maple Avenue",
                ),
            )
        ),
        tuple(_numbered(n) for n in range(1, 13)),
        300.0,
        200.0,
    ),
    (
        "Autaugaville",
        tuple(map(_named, ("Cedar Street", "Church Street", "Mill Street", "Hickory Street"))),
        tuple(map(_named, ("Elm Street", "Poplar Street", "Mulberry Street", "Pecan Street"))),
        220.0,
        180.0,
    ),
    (
        "Marbury",
        tuple(map(_named, ("Dogwood Drive", "Willow Street", "Spruce Street", "Birch Street"))),
        tuple(map(_named, ("Cherry Street", "Laurel Street", "Holly Street", "Myrtle Street"))),
        200.0,
        160.0,
    ),
    (
        "Billingsley",
        tuple(
            map(_named, ("Jackson Street", "Jefferson Street", "Madison Street", "Monroe Street"))
        ),
        tuple(map(_named, ("Franklin Street", "Hamilton Street", "Clay Street", "Calhoun Street"))),
        200.0,
        160.0,
    ),
    (
        "Booth",
        tuple(map(_named, ("Railroad Street", "Depot Street", "Commerce Street", "School Street"))),
        tuple(map(_named, ("Park Street", "Hill Street", "Spring Street", "Lake Street"))),
        200.0,
        160.0,
    ),
)

# County roads: (number, from (lon, lat), to (lon, lat), mailing town)
_COUNTY_ROADS = (
    (4, (-86.640, 32.470), (-86.500, 32.520), "Prattville"),
    (40, (-86.560, 32.560), (-86.450, 32.640), "Marbury"),
    (57, (-86.700, 32.600), (-86.590, 32.520), "Booth"),
    (29, (-86.780, 32.480), (-86.680, 32.440), "Autaugaville"),
    (85, (-86.820, 32.600), (-86.745, 32.640), "Billingsley"),
)

_HIGHWAYS = (
    Highway(
        "I-65",
        ("I sixty five", "Interstate sixty five"),
        (
            (-86.418, 32.430),
            (-86.422, 32.500),
            (-86.440, 32.570),
            (-86.480, 32.640),
            (-86.520, 32.700),
        ),
        176,
    ),
    Highway(
        "US-82",
        ("U S eighty two", "Highway eighty two"),
        ((-86.860, 32.620), (-86.750, 32.580), (-86.600, 32.520), (-86.478, 32.472)),
        128,
    ),
    Highway(
        "AL-14",
        ("Highway fourteen", "Alabama fourteen"),
        ((-86.800, 32.400), (-86.655, 32.426), (-86.560, 32.452), (-86.478, 32.460)),
        140,
    ),
)


def _grid(
    town: Town,
    ns: tuple[tuple[str, str, str], ...],
    ew: tuple[tuple[str, str, str], ...],
    dx: float,
    dy: float,
) -> tuple[list[Street], list[Intersection]]:
    xs = [(i - (len(ns) - 1) / 2) * dx for i in range(len(ns))]
    ys = [(j - (len(ew) - 1) / 2) * dy for j in range(len(ew))]
    ns_streets = [
        Street(
            name,
            spoken,
            short,
            town.name,
            town.postcode,
            tuple(town.to_lonlat(x, y) for y in ys),
            tuple(100 * (j + 1) for j in range(len(ys))),
        )
        for (name, spoken, short), x in zip(ns, xs, strict=True)
    ]
    ew_streets = [
        Street(
            name,
            spoken,
            short,
            town.name,
            town.postcode,
            tuple(town.to_lonlat(x, y) for x in xs),
            tuple(100 * (i + 1) for i in range(len(xs))),
        )
        for (name, spoken, short), y in zip(ew, ys, strict=True)
    ]
    crossings = [
        Intersection(a, b, *town.to_lonlat(x, y))
        for a, x in zip(ns_streets, xs, strict=True)
        for b, y in zip(ew_streets, ys, strict=True)
    ]
    return ns_streets + ew_streets, crossings


def _county_road(number: int, start: LonLat, end: LonLat, town: Town) -> Street:
    # Vertices every ~500 m so positions follow the same straight line the numbers do.
    steps = max(2, int(county.distance_m(start, end) // 500))
    verts = tuple(
        (start[0] + (end[0] - start[0]) * k / steps, start[1] + (end[1] - start[1]) * k / steps)
        for k in range(steps + 1)
    )
    numbers = [100]
    for a, b in zip(verts, verts[1:], strict=False):
        numbers.append(numbers[-1] + round(county.distance_m(a, b) * 1000 / 1609.344))
    name = f"County Road {number}"
    return Street(
        name,
        f"County Road {cardinal(number)}",
        f"County Road {cardinal(number)}",
        town.name,
        town.postcode,
        verts,
        tuple(numbers),
    )


def address_points(
    street: Street, rng: random.Random, rural: bool | None = None
) -> list[AddressPoint]:
    """The listed addresses along ``street``: a house every few numbers in town, every
    few hundred on a rural road (default: a county road is rural)."""
    rural = street.name.startswith("County Road") if rural is None else rural
    out = []
    for k in range(len(street.numbers) - 1):
        n = street.numbers[k] + rng.choice((1, 2))
        while n < street.numbers[k + 1]:
            lon, lat = street.locate(n)
            unit = f"Apt {rng.choice('ABCD')}" if not rural and rng.random() < 0.04 else ""
            out.append(AddressPoint(lon, lat, n, street, unit))
            n += rng.randint(60, 240) if rural else rng.randint(4, 14)
    return out


DEFAULT_TOWN = "autauga"


def county_of(town: str = DEFAULT_TOWN) -> county.County:
    """The simulated county a ``town`` name stands for."""
    return build(town).area


@functools.cache
def build(town: str = DEFAULT_TOWN) -> Gazetteer:
    """The gazetteer of the simulated county ``town`` ("autauga", "wexmoor" or
    "generated-SEED"); the same on every call and every machine."""
    if town != DEFAULT_TOWN:
        from resources.simulator import generated

        return generated.build(town)
    rng = random.Random(_GAZETTEER_SEED)
    streets: list[Street] = []
    crossings: list[Intersection] = []
    for name, ns, ew, dx, dy in _GRIDS:
        s, c = _grid(TOWNS[name], ns, ew, dx, dy)
        streets += s
        crossings += c
    streets += [_county_road(n, a, b, TOWNS[t]) for n, a, b, t in _COUNTY_ROADS]
    addresses = [p for s in streets for p in address_points(s, rng)]
    return Gazetteer(tuple(streets), tuple(crossings), _HIGHWAYS, tuple(addresses))


def write_openaddresses_csv(gazetteer: Gazetteer, path: Path) -> Path:
    """The address points as an OpenAddresses CSV (LON, LAT, NUMBER, STREET, UNIT, CITY,
    DISTRICT, REGION, POSTCODE), coordinates in WGS84 degrees to 7 decimals (~1 cm)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(OPENADDRESSES_COLUMNS)
        for p in gazetteer.addresses:
            writer.writerow(
                (
                    f"{p.lon:.7f}",
                    f"{p.lat:.7f}",
                    p.number,
                    p.street.name,
                    p.unit,
                    p.street.city,
                    gazetteer.area.name,
                    gazetteer.area.state,
                    p.street.postcode,
                )
            )
    return path


def write_county_geojson(path: Path, area: county.County = county.AUTAUGA) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(area.geojson(), indent=1))
    return path
