"""Small invented towns at real coordinates (central Alabama) for geocoder tests: an
OpenAddresses CSV of grid streets, TIGER-style ranges for a street with no points, and the
county and jurisdiction polygons, with the true position of any address or corner.

Testville: east-west numbered streets (1st..5th Street) every 100 m north, numbered
100..600 eastward (one number per metre); north-south avenues every 100 m east, numbered
1000..1800 northward (two numbers per metre). Odd numbers stand 12 m to the left of the
direction numbers rise, even ones 12 m to the right. Otherton, 8 km east, has its own Oak
Avenue, so the town decides which one is meant.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from resources.geocoding.metric import LocalMetres
from resources.geocoding.metric import distance_m as distance_m  # the tests measure with it

ORIGIN = (32.46, -86.46)  # lat, lon of Testville's 1st Street / Oak Avenue corner
OTHERTON_EAST_M = 8000.0
EW = ("1st Street", "2nd Street", "3rd Street", "4th Street", "5th Street")
NS = ("Oak Avenue", "Maple Avenue", "Washington Avenue", "Elm Street", "Pine Street", "Cedar Lane")
SIDE_M = 12.0


def at(x_m: float, y_m: float, origin: tuple[float, float] = ORIGIN) -> tuple[float, float]:
    """(lat, lon) of a point x metres east and y metres north of ``origin``."""
    lat0, lon0 = origin
    lon, lat = LocalMetres.at(lat0).to_degrees(x_m, y_m)
    return lat0 + lat, lon0 + lon


def address(street: str, number: int, town: str = "Testville") -> tuple[float, float]:
    """Where ``number street`` stands (listed or not)."""
    east = OTHERTON_EAST_M if town == "Otherton" else 0.0
    if street in EW:
        y = EW.index(street) * 100.0
        side = SIDE_M if number % 2 else -SIDE_M  # numbers rise eastward: left is north
        return at(east + number - 100.0, y + side)
    x = NS.index(street) * 100.0
    side = -SIDE_M if number % 2 else SIDE_M  # numbers rise northward: left is west
    return at(east + x + side, (number - 1000) / 2.0)


def corner(ns: str, ew: str) -> tuple[float, float]:
    return at(NS.index(ns) * 100.0, EW.index(ew) * 100.0)


def write_openaddresses(path: Path, step: int = 10) -> Path:
    rows = []
    for street in EW:
        for n in range(101, 600, step):
            rows.append((street, n, "Testville"))
            rows.append((street, n + 1, "Testville"))
    for street in NS:
        for n in range(1001, 1800, 2 * step):
            rows.append((street, n, "Testville"))
            rows.append((street, n + 1, "Testville"))
    rows += [("Oak Avenue", n, "Otherton") for n in range(1001, 1400, 20)]
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["LON", "LAT", "NUMBER", "STREET", "UNIT", "CITY", "DISTRICT", "REGION", "POSTCODE"]
        )
        for street, n, town in rows:
            lat, lon = address(street, n, town)
            writer.writerow(
                [f"{lon:.7f}", f"{lat:.7f}", n, street, "", town, "Autauga County", "AL", "36067"]
            )
    return path


def railroad(number: int) -> tuple[float, float]:
    """Railroad Avenue runs 600 m east along y = -200 m, numbered 100..699 (TIGER only)."""
    return at((number - 100) / 599 * 600.0, -200.0)


def write_tiger(path: Path) -> Path:
    """Two segments of Railroad Avenue in TIGER ADDRFEAT columns, geometry as WKT."""
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "TLID",
                "FULLNAME",
                "LFROMHN",
                "LTOHN",
                "RFROMHN",
                "RTOHN",
                "ZIPL",
                "ZIPR",
                "PARITYL",
                "PARITYR",
                "WKT",
            ]
        )
        for tlid, (lo, hi) in enumerate(((100, 399), (400, 699)), start=1):
            a, b = railroad(lo), railroad(hi)
            wkt = f"LINESTRING ({a[1]:.7f} {a[0]:.7f}, {b[1]:.7f} {b[0]:.7f})"
            odd_lo = lo + 1 if lo % 2 == 0 else lo
            writer.writerow(
                [tlid, "Railroad Ave", odd_lo, hi, lo, hi - 1, "36067", "36067", "O", "E", wkt]
            )
    return path


def _polygon(
    name: str, south_west: tuple[float, float], north_east: tuple[float, float]
) -> dict[str, object]:
    (s, w), (n, e) = south_west, north_east
    ring = [[w, s], [e, s], [e, n], [w, n], [w, s]]
    return {
        "type": "Feature",
        "properties": {"name": name},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def write_county(path: Path) -> Path:
    feature = _polygon("Test County", at(-2000, -2000), at(OTHERTON_EAST_M + 2000, 3000))
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    return path


def write_jurisdictions(path: Path) -> Path:
    features = [
        _polygon("Testville", at(-500, -500), at(1000, 1500)),
        _polygon("Otherton", at(OTHERTON_EAST_M - 500, -500), at(OTHERTON_EAST_M + 1000, 1500)),
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path
