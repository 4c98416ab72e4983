"""Major incidents: the long, multi-agency traffic one working fire or serious crash puts on
the air. A dispatch, units en route, on scene, a call for more resources, the second wave,
and the clear, over half an hour or more, on the dispatch, tactical and EMS talkgroups, all
at one place and shared by the same units.

Only ``plan(..., rich_incidents=True)`` draws these, so the classic traffic of a seed stays
what it was.
"""

from __future__ import annotations

import datetime as dt
import random

from resources.simulator.catalog import HOSPITALS, TALKGROUPS, RadioUnit
from resources.simulator.places import Gazetteer
from resources.simulator.scenarios import (
    ALL_FREE,
    Exchange,
    Roster,
    _ack,
    _dispatch,
    _unit,
)
from resources.simulator.script import pick_place, say_place


def working_fire(
    gaz: Gazetteer, rng: random.Random, when: dt.datetime, roster: Roster = ALL_FREE
) -> list[Exchange]:
    """A structure fire that goes to a second alarm, with EMS standing by."""
    code = "STRUCTURE_FIRE"
    place = pick_place(gaz, rng, {"address": 0.85, "intersection": 0.15})
    engines = rng.sample(roster.free("Fire", "Engine", 2), 2)
    ladder = rng.choice(roster.free("Fire", "Ladder"))
    chief = rng.choice(roster.free("Fire", "Battalion"))
    medic = rng.choice(roster.free("EMS"))
    first = [*engines, ladder, chief]
    held = {u.callsign for u in [*first, medic]}
    second_free = [u for u in roster.free("Fire", "Engine") if u.callsign not in held]
    rescue = rng.choice(roster.free("Fire", "Rescue"))
    second = [rng.choice(second_free or roster.free("Fire", "Engine")), rescue]
    fd, tac, ems_d, ems_ops = (
        TALKGROUPS[n] for n in ("FD Dispatch", "FD Tac 1", "EMS Dispatch", "EMS Ops")
    )
    city = place.city != "Prattville" and rng.random() < 0.7

    d = _dispatch(fd).units(first).say(",").say("respond to")
    say_place(d, place, rng, with_city=city).say(",").say("for a reported").incident(code, rng)
    d.say(".").say("Caller reports flames showing.")
    e = _dispatch(ems_d).unit(medic).say(",").say("respond to")
    say_place(e, place, rng).say(",").say("stand by for fire,").incident(code, rng).say(".")
    lead = engines[0]
    size = (
        _unit(lead)
        .unit(lead)
        .say("on scene,")
        .say(rng.choice(("two story residential,", "one story commercial,")))
        .say("heavy smoke and fire showing, we have a working fire.")
    )
    more = (
        _unit(chief)
        .unit(chief)
        .say("to dispatch, I am on scene assuming command,")
        .say("give me a second alarm, and send")
        .units(second)
        .say(".")
    )
    alarm = _dispatch(fd).units(second).say(",").say("second alarm, respond to")
    say_place(alarm, place, rng).say(",").incident(code, rng).say(".")
    control = (
        _unit(chief).unit(chief).say(",").say("fire is under control, primary search is negative.")
    )
    clear = (
        _unit(chief)
        .unit(chief)
        .say(", all units clearing the scene,")
        .units([*first, *second])
        .say("are")
        .ten_code(8)
        .say(".")
    )
    out = [
        Exchange(fd, 0.0, (d.build(),), code),
        Exchange(ems_d, rng.uniform(15, 45), (e.build(),), code),
        Exchange(fd, rng.uniform(20, 60), _ack(fd, lead, rng, "en route"), code),
        Exchange(ems_d, rng.uniform(10, 40), _ack(ems_d, medic, rng, "en route"), code),
        Exchange(tac, rng.uniform(150, 300), (size.build(),), code),
        Exchange(fd, rng.uniform(60, 180), (more.build(),), code),
        Exchange(fd, rng.uniform(15, 40), (alarm.build(),), code),
        Exchange(ems_d, rng.uniform(30, 120), _ack(ems_d, medic, rng, "on scene"), code),
        Exchange(tac, rng.uniform(200, 420), _ack(tac, second[0], rng, "on scene"), code),
        Exchange(tac, rng.uniform(600, 1500), (control.build(),), code),
    ]
    if rng.random() < 0.4:
        t = _unit(medic).unit(medic).say("transporting one firefighter to")
        t.say(rng.choice(HOSPITALS)).say(", minor burns, stable.")
        out.append(Exchange(ems_ops, rng.uniform(60, 300), (t.build(),), code))
    out.append(Exchange(fd, rng.uniform(600, 1500), (clear.build(),), code))
    return out


def rescue_crash(
    gaz: Gazetteer, rng: random.Random, when: dt.datetime, roster: Roster = ALL_FREE
) -> list[Exchange]:
    """A crash with entrapment: the sheriff, EMS and a fire rescue at one highway mile or
    crossing, each on its own dispatch talkgroup."""
    code = "MVA"
    place = pick_place(gaz, rng, {"highway": 0.6, "intersection": 0.4})
    deputy: RadioUnit = rng.choice(roster.free("Police", "Unit"))
    medic = rng.choice(roster.free("EMS"))
    rescue = rng.choice(roster.free("Fire", "Rescue"))
    so, ems_d, fd = (TALKGROUPS[n] for n in ("SO Dispatch", "EMS Dispatch", "FD Dispatch"))
    d = _dispatch(so).unit(deputy).say(",").ten_code(50).say(", rollover").incident(code, rng)
    say_place(d.say(","), place, rng).say(", caller reports someone trapped.")
    e = _dispatch(ems_d).unit(medic).say(",").say("respond to")
    say_place(e, place, rng).say(",").incident(code, rng).say(", possible entrapment.")
    on = _unit(deputy).unit(deputy).say(",").ten_code(23).say(", one trapped, need the rescue.")
    f = _dispatch(fd).unit(rescue).say(",").say("respond to")
    say_place(f, place, rng).say(",").incident(code, rng).say(", entrapment, sheriff on scene.")
    free = _unit(rescue).unit(rescue).say(", patient is out, turning over to").unit(medic).say(".")
    return [
        Exchange(so, 0.0, (d.build(),), code),
        Exchange(ems_d, rng.uniform(10, 40), (e.build(),), code),
        Exchange(so, rng.uniform(120, 400), (on.build(),), code),
        Exchange(fd, rng.uniform(20, 60), (f.build(),), code),
        Exchange(fd, rng.uniform(20, 60), _ack(fd, rescue, rng, "en route"), code),
        Exchange(ems_d, rng.uniform(60, 240), _ack(ems_d, medic, rng, "on scene"), code),
        Exchange(fd, rng.uniform(400, 900), (free.build(),), code),
        Exchange(so, rng.uniform(300, 900), _ack(so, deputy, rng, "clear"), code),
    ]


MAJOR_SCENARIOS = ((working_fire, 0.06), (rescue_crash, 0.04))
