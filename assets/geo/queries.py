"""Which entities can be placed on a map, and the geocoder query each one asks.

ADDRESS entities are normalized as ``<number> <STREET KEY>`` and INTERSECTION entities as
``<STREET KEY> & <STREET KEY>`` by the entity layer; the town heard after the place, if
any, is in ``detail``.
"""

from __future__ import annotations

import re

from resources.geocoding.backend import ADDRESS, INTERSECTION, GeocodeQuery

PLACE_LABELS = ("ADDRESS", "INTERSECTION")
_ADDRESS = re.compile(r"^(\d+)\s+(.+)$")


def query_for(label: str, normalized: str | None, detail: str | None = None) -> GeocodeQuery | None:
    """The query for one entity, or None when its normalized text is not a place."""
    text = (normalized or "").strip()
    city = (detail or "").strip()
    if label == "ADDRESS":
        found = _ADDRESS.match(text)
        return (
            GeocodeQuery(ADDRESS, street=found.group(2), number=found.group(1), city=city)
            if found
            else None
        )
    if label == "INTERSECTION":
        parts = [p.strip() for p in text.split("&")]
        if len(parts) == 2 and all(parts):
            return GeocodeQuery(INTERSECTION, street=parts[0], cross_street=parts[1], city=city)
    return None
