"""The county's radio system: talkgroups, units, incident types and the 10-code table.

Talkgroups follow trunk-recorder's talkgroup file: a decimal id, an alpha tag ("FD
Dispatch"), a description, a tag ("Fire Dispatch") and a category ("Fire", "EMS",
"Police"), which its call JSON carries as talkgroup_tag, talkgroup_description,
talkgroup_group_tag and talkgroup_group.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from pathlib import Path

SYSTEM = "autauga"  # trunk-recorder's short_name for the county's P25 system
CONTROL_FREQS_HZ = (851_262_500, 851_512_500, 852_037_500, 852_462_500, 853_187_500, 853_737_500)


@dataclass(frozen=True)
class Talkgroup:
    tgid: int
    alpha_tag: str
    description: str
    tag: str
    group: str
    dispatcher_voice: str  # who answers on it, by voice id (see voices.VOICES)
    dispatcher_radio: int


# One dispatch centre answers every talkgroup, so one dispatcher voice (piper's "joe",
# at the pace each desk keeps); field units speak with espeak-ng voices.
# fmt: off
_TALKGROUP_TABLE = (
    # tgid, alpha tag, description, tag, category, dispatcher voice, console radio id
    (1001, "FD Dispatch", "Autauga County Fire Dispatch", "Fire Dispatch", "Fire", "piper-joe", 1900001),
    (1002, "FD Tac 1", "Fireground Tactical 1", "Fire-Tac", "Fire", "piper-joe", 1900001),
    (2001, "EMS Dispatch", "Autauga County EMS Dispatch", "EMS Dispatch", "EMS", "piper-joe-fast", 1900002),
    (2002, "EMS Ops", "EMS Operations and Hospital Patch", "EMS-Talk", "EMS", "piper-joe-fast", 1900002),
    (3001, "SO Dispatch", "Autauga County Sheriff Dispatch", "Law Dispatch", "Police", "piper-joe-slow", 1900003),
    (3002, "PPD Dispatch", "Prattville Police Dispatch", "Law Dispatch", "Police", "piper-joe", 1900004),
    (3003, "Law Tac", "Law Enforcement Tactical", "Law Tac", "Police", "piper-joe", 1900004),
)
# fmt: on
TALKGROUPS: dict[str, Talkgroup] = {row[1]: Talkgroup(*row) for row in _TALKGROUP_TABLE}
_HOME = ("Autauga County", "Prattville")


def localized(tg: Talkgroup, county_name: str, main_town: str) -> Talkgroup:
    """The talkgroup as another simulated county's system describes it: "Autauga County
    Fire Dispatch" becomes "Wexmoor County Fire Dispatch", the city police its main town's."""
    text = tg.description.replace(_HOME[0], county_name).replace(_HOME[1], main_town)
    return tg if text == tg.description else replace(tg, description=text)


@dataclass(frozen=True)
class RadioUnit:
    callsign: str  # "Engine 12"
    kind: str  # "Engine"
    number: int
    radio_id: int
    service: str  # "Fire", "EMS", "Police"
    voice: str


def _units() -> dict[str, RadioUnit]:
    table = (
        ("Fire", "Engine", (1, 3, 7, 12, 15, 21)),
        ("Fire", "Ladder", (3, 8)),
        ("Fire", "Rescue", (2, 5)),
        ("Fire", "Battalion", (1, 2)),
        ("EMS", "Medic", (1, 4, 6, 9, 11)),
        ("Police", "Unit", (14, 23, 27, 35)),  # sheriff's deputies
        ("Police", "Car", (31, 42, 46, 58)),  # Prattville police
    )
    field_voices = (
        "espeak-m1",
        "espeak-m7",
        "espeak-f2",
        "espeak-us",
        "espeak-nyc",
        "espeak-m5",
        "espeak-f3",
        "espeak-m3",
        "piper-joe-fast",
    )
    out: dict[str, RadioUnit] = {}
    for service, kind, numbers in table:
        for n in numbers:
            i = len(out)
            out[f"{kind} {n}"] = RadioUnit(
                f"{kind} {n}",
                kind,
                n,
                2_400_000 + 137 * i,
                service,
                field_voices[(i * 5) % len(field_voices)],
            )
    return out


UNITS = _units()


def units_of(service: str, kind: str | None = None) -> list[RadioUnit]:
    return [u for u in UNITS.values() if u.service == service and (kind is None or u.kind == kind)]


# Incident taxonomy: normalized code -> the phrases a dispatcher uses for it.
INCIDENT_TYPES: dict[str, tuple[str, ...]] = {
    "STRUCTURE_FIRE": ("structure fire", "residential structure fire", "house fire"),
    "VEHICLE_FIRE": ("vehicle fire", "car fire"),
    "BRUSH_FIRE": ("brush fire", "grass fire"),
    "FIRE_ALARM": ("fire alarm", "commercial fire alarm", "smoke detector activation"),
    "GAS_LEAK": ("gas leak", "odor of natural gas"),
    "MVA": ("MVA", "motor vehicle accident", "vehicle accident", "wreck"),
    "MEDICAL": ("medical call", "sick person", "difficulty breathing", "chest pain"),
    "FALL": ("fall", "fall victim"),
    "OVERDOSE": ("overdose", "possible overdose"),
    "UNCONSCIOUS": ("unconscious person", "unresponsive person"),
    "DOMESTIC": ("domestic", "domestic disturbance"),
    "BURGLARY": ("burglary", "burglary in progress"),
    "THEFT": ("theft", "shoplifter"),
    "SUSPICIOUS": ("suspicious person", "suspicious vehicle"),
    "ALARM": ("alarm", "burglar alarm", "alarm activation"),
    "WELFARE_CHECK": ("welfare check",),
    "TRAFFIC_STOP": ("traffic stop",),
    "DISTURBANCE": ("disturbance", "fight in progress"),
}

# APCO-style 10-codes as this county uses them.
TEN_CODES: dict[int, str] = {
    4: "Acknowledged",
    6: "Busy",
    7: "Out of service",
    8: "In service",
    9: "Repeat",
    15: "Prisoner in custody",
    19: "Return to station",
    20: "Location",
    22: "Disregard",
    23: "Arrived on scene",
    27: "Driver's license check",
    28: "Vehicle registration check",
    29: "Check for wanted",
    32: "Person with a gun",
    33: "Emergency",
    41: "Beginning tour of duty",
    42: "Ending tour of duty",
    50: "Vehicle accident",
    76: "En route",
    97: "Arrived at scene",
}

# (colour, make and model as spoken, as written)
VEHICLES = (
    ("silver", "Honda Accord", "Honda Accord"),
    ("black", "Ford F one fifty", "Ford F-150"),
    ("white", "Chevy Silverado", "Chevy Silverado"),
    ("red", "Toyota Camry", "Toyota Camry"),
    ("blue", "Nissan Altima", "Nissan Altima"),
    ("gray", "Dodge Charger", "Dodge Charger"),
    ("green", "Jeep Cherokee", "Jeep Cherokee"),
    ("white", "Ford Explorer", "Ford Explorer"),
)

HOSPITALS = ("Prattville Baptist", "Baptist South", "Jackson Hospital")


def write_talkgroups_csv(
    path: Path, county_name: str = _HOME[0], main_town: str = _HOME[1]
) -> Path:
    """trunk-recorder's talkgroup file (Decimal, Hex, Alpha Tag, Mode, Description, Tag,
    Category) for the simulated system."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(("Decimal", "Hex", "Alpha Tag", "Mode", "Description", "Tag", "Category"))
        for t in (localized(t, county_name, main_town) for t in TALKGROUPS.values()):
            w.writerow((t.tgid, f"{t.tgid:x}", t.alpha_tag, "D", t.description, t.tag, t.group))
    return path


def write_ten_codes_csv(path: Path) -> Path:
    """The 10-code table the dispatchers use (code, meaning), for the entity layer."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(("code", "meaning"))
        for code, meaning in TEN_CODES.items():
            w.writerow((f"10-{code}", meaning))
    return path
