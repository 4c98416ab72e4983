"""Incidents as radio traffic: each scenario is the few calls one incident puts on the air
(dispatch, acknowledgement, on scene, clear), spread over its talkgroups.
"""

from __future__ import annotations

import datetime as dt
import random
import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from resources.simulator import spoken
from resources.simulator.catalog import (
    HOSPITALS,
    TALKGROUPS,
    VEHICLES,
    RadioUnit,
    Talkgroup,
    units_of,
)
from resources.simulator.places import Gazetteer
from resources.simulator.script import Builder, Place, Utterance, pick_place, say_place


@dataclass(frozen=True)
class Exchange:
    """One call: the transmissions heard on a talkgroup within one key-up window."""

    talkgroup: Talkgroup
    delay_s: float  # after the incident's previous exchange; 0 for the first
    utterances: tuple[Utterance, ...]
    incident_type: str
    emergency: bool = False


@dataclass
class Roster:
    """Which units a scenario may send. The default roster has every unit free, so a
    scenario draws exactly as it always has. ``plan(..., rich_incidents=True)`` keeps
    units busy until their incident clears, as a dispatcher would, and when too few are
    free calls mutual aid: units from a neighbouring department (numbered from 60), who
    then stay on the roster."""

    busy: set[str] = field(default_factory=set)
    mutual_aid: bool = False
    extra: list[RadioUnit] = field(default_factory=list)

    def free(self, service: str, kind: str | None = None, need: int = 1) -> list[RadioUnit]:
        units = units_of(service, kind) + [
            u for u in self.extra if u.service == service and (kind is None or u.kind == kind)
        ]
        free = [u for u in units if u.callsign not in self.busy]
        if len(free) >= need:
            return free
        if not self.mutual_aid:
            return units
        while len(free) < need:
            i = len(self.extra)
            made = units[0].kind if kind is None else kind
            free.append(
                RadioUnit(
                    f"{made} {60 + i}",
                    made,
                    60 + i,
                    2_500_000 + 137 * i,
                    service,
                    _AID_VOICES[i % 3],
                )
            )
            self.extra.append(free[-1])
        return free

    def hold(self, callsigns: Iterable[str]) -> None:
        self.busy.update(callsigns)

    def release(self, callsigns: Iterable[str]) -> None:
        self.busy.difference_update(callsigns)


_AID_VOICES = ("espeak-m3", "espeak-f2", "espeak-us")
ALL_FREE = Roster()


def _dispatch(tg: Talkgroup) -> Builder:
    return Builder("Dispatch", tg.dispatcher_radio, tg.dispatcher_voice)


def _unit(u: RadioUnit) -> Builder:
    return Builder(u.callsign, u.radio_id, u.voice)


def _clock(b: Builder, when: dt.datetime) -> Builder:
    return b.say("time").say(spoken.clock(when.hour, when.minute), written=f"{when:%H%M}").say(".")


def _ack(tg: Talkgroup, u: RadioUnit, rng: random.Random, what: str) -> tuple[Utterance, ...]:
    """A unit's short status and, usually, dispatch's acknowledgement in the same call."""
    unit = _unit(u).unit(u).say(",")
    code = {"en route": 76, "on scene": 23}.get(what, 8)
    if code != 8 and rng.random() < 0.5:
        unit.say(f"{what}.")
    else:
        unit.ten_code(code).say(".")
    turns = [unit.build()]
    if rng.random() < 0.75:
        turns.append(_dispatch(tg).unit(u).say(",").ten_code(4).say(".").build())
    return tuple(turns)


def _size_up(place: Place, rng: random.Random) -> str:
    return rng.choice(
        (
            "two story residential, smoke showing from the second floor",
            "single story residential, nothing showing, investigating",
            "one story commercial, light smoke showing from the roof",
            "fire through the roof, we will be in defensive mode",
        )
    )


def fire(
    gaz: Gazetteer, rng: random.Random, when: dt.datetime, roster: Roster = ALL_FREE
) -> list[Exchange]:
    code = rng.choice(
        ("STRUCTURE_FIRE", "STRUCTURE_FIRE", "VEHICLE_FIRE", "BRUSH_FIRE", "FIRE_ALARM", "GAS_LEAK")
    )
    place = pick_place(
        gaz,
        rng,
        {"address": 0.7, "intersection": 0.2, "highway": 0.1 if code == "VEHICLE_FIRE" else 0.0},
    )
    units = rng.sample(roster.free("Fire", "Engine", 2), 1 + (code == "STRUCTURE_FIRE"))
    if code == "STRUCTURE_FIRE":
        units += [
            rng.choice(roster.free("Fire", "Ladder")),
            rng.choice(roster.free("Fire", "Battalion")),
        ]
    disp, tac = TALKGROUPS["FD Dispatch"], TALKGROUPS["FD Tac 1"]
    d = _dispatch(disp).units(units).say(",").say("respond to")
    say_place(d, place, rng, with_city=place.city != "Prattville" and rng.random() < 0.7).say(",")
    d.say("for a reported").incident(code, rng).say(".")
    if rng.random() < 0.5:
        _clock(d, when)
    out = [Exchange(disp, 0.0, (d.build(),), code)]
    out.append(Exchange(disp, rng.uniform(25, 70), _ack(disp, units[0], rng, "en route"), code))
    lead = units[0]
    s = (
        _unit(lead)
        .unit(lead)
        .say("on scene,")
        .say(_size_up(place, rng) if code == "STRUCTURE_FIRE" else "nothing showing, investigating")
        .say(".")
    )
    out.append(Exchange(tac, rng.uniform(120, 300), (s.build(),), code))
    if rng.random() < 0.6:
        c = (
            _unit(lead)
            .unit(lead)
            .say("to dispatch,")
            .say("you can hold all other units, we will be")
            .ten_code(8)
            .say("shortly.")
        )
        out.append(Exchange(disp, rng.uniform(180, 600), (c.build(),), code))
    return out


def ems(
    gaz: Gazetteer, rng: random.Random, when: dt.datetime, roster: Roster = ALL_FREE
) -> list[Exchange]:
    code = rng.choice(("MEDICAL", "MEDICAL", "FALL", "OVERDOSE", "UNCONSCIOUS"))
    place = pick_place(gaz, rng, {"address": 0.8, "intersection": 0.2})
    medic = rng.choice(roster.free("EMS"))
    crew = [medic] + ([rng.choice(roster.free("Fire", "Engine"))] if rng.random() < 0.3 else [])
    disp, ops = TALKGROUPS["EMS Dispatch"], TALKGROUPS["EMS Ops"]
    age, sex = rng.randint(18, 92), rng.choice(("male", "female"))
    d = _dispatch(disp).units(crew).say(",").say("respond to")
    say_place(d, place, rng, with_city=place.city != "Prattville" and rng.random() < 0.7).say(
        ","
    ).incident(code, rng).say(",")
    d.say(f"{spoken.cardinal(age)} year old {sex},", written=f"{age}-year-old {sex},")
    d.say(
        rng.choice(("conscious and breathing.", "patient is alert.", "caller is with the patient."))
    )
    if rng.random() < 0.4:
        _clock(d, when)
    out = [Exchange(disp, 0.0, (d.build(),), code)]
    out.append(Exchange(disp, rng.uniform(20, 60), _ack(disp, medic, rng, "en route"), code))
    out.append(Exchange(disp, rng.uniform(240, 540), _ack(disp, medic, rng, "on scene"), code))
    t = _unit(medic).unit(medic).say("transporting one to").say(rng.choice(HOSPITALS)).say(",")
    t.say(
        rng.choice(
            ("patient is stable.", "patient is stable, E T A fifteen minutes.", "priority two.")
        )
    )
    out.append(Exchange(ops, rng.uniform(600, 1200), (t.build(),), code))
    return out


def police(
    gaz: Gazetteer, rng: random.Random, when: dt.datetime, roster: Roster = ALL_FREE
) -> list[Exchange]:
    code = rng.choice(
        ("DOMESTIC", "BURGLARY", "THEFT", "SUSPICIOUS", "ALARM", "WELFARE_CHECK", "DISTURBANCE")
    )
    place = pick_place(gaz, rng, {"address": 0.65, "intersection": 0.35})
    city_police = place.city == "Prattville"
    unit = rng.choice(roster.free("Police", "Car" if city_police else "Unit"))
    disp = TALKGROUPS["PPD Dispatch" if city_police else "SO Dispatch"]
    d = _dispatch(disp).unit(unit).say(",").say("respond to")
    say_place(d, place, rng, with_city=not city_police and rng.random() < 0.7).say(",").say(
        "reference a"
    ).incident(code, rng).say(",")
    d.say(
        rng.choice(
            (
                "caller states the subject is still on scene.",
                "no weapons seen.",
                "caller will meet you out front.",
                "complainant wishes to remain anonymous.",
            )
        )
    )
    out = [
        Exchange(disp, 0.0, (d.build(),), code, emergency=code == "DOMESTIC" and rng.random() < 0.2)
    ]
    out.append(Exchange(disp, rng.uniform(15, 45), _ack(disp, unit, rng, "en route"), code))
    out.append(Exchange(disp, rng.uniform(180, 480), _ack(disp, unit, rng, "on scene"), code))
    if rng.random() < 0.5:
        out.append(Exchange(disp, rng.uniform(300, 900), _ack(disp, unit, rng, "clear"), code))
    return out


def traffic_stop(
    gaz: Gazetteer, rng: random.Random, when: dt.datetime, roster: Roster = ALL_FREE
) -> list[Exchange]:
    place = pick_place(gaz, rng, {"highway": 0.6, "intersection": 0.4})
    unit = rng.choice(roster.free("Police"))
    disp = TALKGROUPS["PPD Dispatch" if unit.kind == "Car" else "SO Dispatch"]
    chars = "".join(rng.choices(string.ascii_uppercase, k=3)) + "".join(
        rng.choices(string.digits, k=rng.choice((3, 4)))
    )
    colour, model, model_written = rng.choice(VEHICLES)
    u = _unit(unit).unit(unit).say(",").incident("TRAFFIC_STOP", rng).say(",")
    say_place(u, place, rng).say(",").say(
        f"{colour} {model},", written=f"{colour} {model_written},"
    )
    u.say("Alabama tag").plate(chars).say(".")
    out = [
        Exchange(
            disp,
            0.0,
            (u.build(), _dispatch(disp).unit(unit).say(",").ten_code(4).say(".").build()),
            "TRAFFIC_STOP",
        )
    ]
    r = (
        _dispatch(disp)
        .unit(unit)
        .say(",")
        .plate(chars)
        .say("comes back to a")
        .say(f"{colour} {model},", written=f"{colour} {model_written},")
    )
    r.say(rng.choice(("valid, no wants.", "expired registration.", "no record found.")))
    out.append(Exchange(disp, rng.uniform(40, 120), (r.build(),), "TRAFFIC_STOP"))
    out.append(
        Exchange(disp, rng.uniform(240, 600), _ack(disp, unit, rng, "clear"), "TRAFFIC_STOP")
    )
    return out


def crash(
    gaz: Gazetteer, rng: random.Random, when: dt.datetime, roster: Roster = ALL_FREE
) -> list[Exchange]:
    place = pick_place(gaz, rng, {"highway": 0.7, "intersection": 0.3})
    unit, medic = rng.choice(roster.free("Police", "Unit")), rng.choice(roster.free("EMS"))
    disp, ems_disp = TALKGROUPS["SO Dispatch"], TALKGROUPS["EMS Dispatch"]
    d = (
        _dispatch(disp)
        .unit(unit)
        .say(",")
        .ten_code(50)
        .say(",")
        .say("two vehicle")
        .incident("MVA", rng, ("MVA", "wreck"))
        .say(",")
    )
    say_place(d, place, rng).say(",").say(
        rng.choice(("unknown injuries.", "one lane blocked.", "possible entrapment."))
    )
    e = _dispatch(ems_disp).unit(medic).say(",").say("respond to")
    say_place(e, place, rng).say(",").incident("MVA", rng).say(".")
    return [
        Exchange(disp, 0.0, (d.build(),), "MVA"),
        Exchange(ems_disp, rng.uniform(10, 40), (e.build(),), "MVA"),
        Exchange(disp, rng.uniform(200, 500), _ack(disp, unit, rng, "on scene"), "MVA"),
    ]


def status(
    gaz: Gazetteer, rng: random.Random, when: dt.datetime, roster: Roster = ALL_FREE
) -> list[Exchange]:
    unit = rng.choice(list(roster.free("Fire")) + roster.free("EMS") + roster.free("Police"))
    tg = TALKGROUPS[{"Fire": "FD Dispatch", "EMS": "EMS Dispatch"}.get(unit.service, "SO Dispatch")]
    if rng.random() < 0.5:
        u = _unit(unit).unit(unit).say(",").say("radio check.")
        turns = (u.build(), _dispatch(tg).unit(unit).say(",").say("loud and clear.").build())
        return [Exchange(tg, 0.0, turns, "")]
    code = rng.choice((8, 7, 19, 41, 42))
    u = _unit(unit).unit(unit).say(",").ten_code(code).say(".")
    return [
        Exchange(
            tg, 0.0, (u.build(), _dispatch(tg).unit(unit).say(",").ten_code(4).say(".").build()), ""
        )
    ]


SCENARIOS: tuple[
    tuple[Callable[[Gazetteer, random.Random, dt.datetime], list[Exchange]], float], ...
] = (
    (fire, 0.18),
    (ems, 0.24),
    (police, 0.24),
    (traffic_stop, 0.14),
    (crash, 0.08),
    (status, 0.12),
)
