"""The grouping rules for what speech recognition gets wrong: callsigns misheard in a
dispatcher's words, callsigns heard with little confidence, a dispatch whose place went
unheard. Each rule was found on the ASR path of a development seed (bench/README.md,
incidents); these are the cases on hand-made calls."""

from __future__ import annotations

from assets.incidents.grouping import group
from assets.incidents.signals import MIN_HEARD_UNIT_CONFIDENCE, CallFacts, call_facts
from assets.incidents.state import misheard_as
from tests.assets.incidents.test_incident_grouping import FIFTH, OAK, T0, call, membership


def facts_of(
    tags: list[str],
    text: str,
    units_heard: list[tuple[str, float | None]],
    types: tuple[str, ...] = (),
) -> CallFacts:
    rows = [{"call_uid": "u1", "start_time": T0, "talkgroup": 1001, "talkgroup_group": "Fire",
             "units": [{"tag": t} for t in tags]}]  # fmt: skip
    ents = [
        {"call_uid": "u1", "entity_id": f"e{i}", "label": "UNIT", "normalized": u, "confidence": c}
        for i, (u, c) in enumerate(units_heard)
    ] + [
        {"call_uid": "u1", "entity_id": f"t{i}", "label": "INCIDENT_TYPE", "normalized": t}
        for i, t in enumerate(types)
    ]
    (facts,) = call_facts(rows, {"u1": text}, ents, [])
    return facts


def test_incident_unit_tag_outranks_a_callsign_heard_in_the_text() -> None:
    # Medic 82 keyed up; the recognizer wrote "Medic 8-2", which reads as Medic 8
    tagged = facts_of(["Medic 82", "Dispatch"], "Medic 8-2, 10-23", [("Medic 8", 0.9)])
    assert tagged.units == {"Medic 82"} and tagged.mentioned == {"Medic 8"}
    assert not tagged.units_by_ear and not tagged.weak_units
    # a dispatcher's call has no unit's tag: the callsigns heard are its units
    weak = MIN_HEARD_UNIT_CONFIDENCE / 2
    spoken = facts_of(["Dispatch"], "Medic 87, respond to", [("Medic 87", 0.9), ("Engine 3", weak)])
    assert spoken.units == {"Medic 87", "Engine 3"} and spoken.units_by_ear
    assert spoken.weak_units == {"Engine 3"}  # below the floor
    unknown = facts_of([], "Engine 3, respond to", [("Engine 3", None)])  # no confidence: certain
    assert unknown.units == {"Engine 3"} and not unknown.weak_units


def test_incident_second_alarm_is_no_alarm_call() -> None:
    more = facts_of(["Battalion 1"], "Battalion 1, give me a second alarm", [], ("ALARM",))
    assert more.incident_types == () and more.dispatch and not more.sends
    alarm = facts_of(
        ["Dispatch"],
        "Car 31, respond to 920 3rd Street, reference an alarm",
        [("Car 31", 0.9)],
        ("ALARM",),
    )
    assert alarm.incident_types == ("ALARM",) and alarm.sends


def test_incident_weak_callsign_joins_no_incident() -> None:
    fire = call(
        "a1",
        0,
        units=("Unit 23",),
        places=(OAK,),
        types=("SUSPICIOUS",),
        sends=True,
        by_ear=True,
        agency="Police",
    )
    # noise the recognizer filled with a unit from its prompt: "unit 23, 10-4, Unit"
    echo = call("x1", 20, units=("Unit 23",), by_ear=True, weak=("Unit 23",), agency="Police")
    sure = call("x2", 21, units=("Unit 23",), by_ear=True, agency="Police")
    assert membership([fire, echo]) == {"inc-a1": ["a1"]}
    assert membership([fire, sure]) == {"inc-a1": ["a1", "x2"]}


def test_incident_misheard_callsign_is_claimed_by_its_unit() -> None:
    # the dispatcher said "Medic 87", heard as "Medic 8"; Medic 87's own calls carry its tag
    sent = call(
        "m1",
        0,
        units=("Medic 8",),
        places=(OAK,),
        types=("MEDICAL",),
        sends=True,
        by_ear=True,
        agency="EMS",
    )
    other = call(
        "n1",
        1,
        units=("Medic 82",),
        places=(FIFTH,),
        types=("FALL",),
        sends=True,
        by_ear=True,
        agency="EMS",
    )
    ack = call("m2", 2, units=("Medic 87",), stage="en_route", agency="EMS")
    scene = call("m3", 9, units=("Medic 87",), stage="on_scene", agency="EMS")
    late = call(
        "z1", 10, units=("Medic 83",), stage="on_scene", agency="EMS"
    )  # nothing left to claim
    assert membership([sent, other, ack, scene, late]) == {
        "inc-m1": ["m1", "m2", "m3"],
        "inc-n1": ["n1"],
    }
    # a callsign heard from a unit's own tag is no dispatcher's mishearing to claim
    tagged = call("m1", 0, units=("Medic 8",), places=(OAK,), types=("MEDICAL",), agency="EMS")
    assert membership([tagged, ack]) == {"inc-m1": ["m1"]}


def test_incident_misheard_callsign_shapes() -> None:
    assert misheard_as("Medic 87", "Medic 8") and misheard_as("Medic 106", "Medic 10")
    assert misheard_as("Unit 14", "Unit 40") and misheard_as("Engine 15", "Engine 50")
    assert not misheard_as("Medic 87", "Engine 8")  # another kind of unit
    assert not misheard_as("Medic 87", "Medic 87") and not misheard_as("Medic 87", "Medic 9")
    assert not misheard_as("Unit 12", "Unit 20")  # twelve and twenty do not sound alike


def test_incident_dispatch_without_a_heard_place_is_a_new_assignment() -> None:
    first = call(
        "c1",
        0,
        units=("Car 31",),
        places=(OAK,),
        types=("ALARM",),
        sends=True,
        by_ear=True,
        agency="Police",
    )
    scene = call("c2", 4, units=("Car 31",), stage="on_scene", agency="Police")
    # "Car 31, respond to pine and tent": its place is not a street, its type is the same
    again = call(
        "d1", 11, units=("Car 31",), types=("ALARM",), sends=True, by_ear=True, agency="Police"
    )
    there = call("d2", 15, units=("Car 31",), stage="on_scene", agency="Police")
    assert membership([first, scene, again, there]) == {
        "inc-c1": ["c1", "c2"],
        "inc-d1": ["d1", "d2"],
    }
    # ...but a unit's incident known only by its units (its place unheard too) takes it
    placeless = call(
        "c1", 0, units=("Car 31",), types=("ALARM",), sends=True, by_ear=True, agency="Police"
    )
    assert len(group([placeless, scene, again])) == 1
