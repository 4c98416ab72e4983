"""Radio procedure in the grouping rules (round 4): what a dispatcher and units say next
lets the grouping recover what the recognizer lost (a clear, a callsign, a place) and
refuse what it made up. Each rule with cases it must match and cases it must refuse; the
rules were found on the ASR path of development seeds 107, 108 and 111, and in a second
iteration also 112 and 113, in a third also 114-117 (bench/README.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from assets.incidents.grouping import group
from assets.incidents.places import same_place
from assets.incidents.signals import CallFacts, Place, call_facts
from tests.assets.incidents.test_incident_asr import facts_of
from tests.assets.incidents.test_incident_grouping import FIFTH, OAK, T0, call, membership

MAPLE = Place("JEFFERSON ST & OAK ST", 40.01762, -105.27975)  # at OAK's corner


# --- a stop a unit makes itself, or en route again: a new incident -------------------


def test_incident_self_initiated_stop_starts_a_new_incident() -> None:
    sent = call("w1", 0, units=("Unit 35",), places=(OAK,), types=("WELFARE_CHECK",), sends=True, by_ear=True, agency="Police")  # fmt: skip
    scene = call("w2", 8, units=("Unit 35",), stage="on_scene", agency="Police")
    # its clear went unheard; then it announces a traffic stop, its place lost
    stop = replace(call("s1", 14, units=("Unit 35",), types=("TRAFFIC_STOP",), agency="Police"), self_initiated=True)  # fmt: skip
    plate = call("s2", 15, units=("Unit 35",), by_ear=True, agency="Police")
    clear = call("s3", 22, units=("Unit 35",), stage="cleared", agency="Police")
    assert membership([sent, scene, stop, plate, clear]) == {
        "inc-w1": ["w1", "w2"],
        "inc-s1": ["s1", "s2", "s3"],
    }
    # refused: a call of the unit that starts nothing stays on its incident
    status = call("w3", 14, units=("Unit 35",), types=("WELFARE_CHECK",), agency="Police")
    assert membership([sent, scene, status]) == {"inc-w1": ["w1", "w2", "w3"]}


def test_incident_self_initiated_is_a_unit_saying_so() -> None:
    # the recognizer's "14,traffic stop" hides the phrase from the extractor, not the text
    assert facts_of(["Unit 14", "Dispatch"], "Unit 14,traffic stop, second and bridge", []).self_initiated  # fmt: skip
    assert facts_of(["Car 58"], "Car 58, vehicle stop", [], ("TRAFFIC_STOP",)).self_initiated
    # refused: a dispatcher speaking of one, and a unit saying anything else
    assert not facts_of(["Dispatch"], "Car 58, traffic stop, 10-4", [("Car 58", 0.9)]).self_initiated  # fmt: skip
    assert not facts_of(["Car 58"], "Car 58, on scene", []).self_initiated


def test_incident_en_route_after_on_scene_is_a_new_assignment() -> None:
    sent = call("m1", 0, units=("Medic 11",), places=(OAK,), types=("MEDICAL",), sends=True, by_ear=True, agency="EMS")  # fmt: skip
    early = call("m2", 1, units=("Medic 11",), stage="en_route", agency="EMS")
    scene = call("m3", 7, units=("Medic 11",), stage="on_scene", agency="EMS")
    # its next dispatch was garbled; it goes en route again, then transports
    again = call("n1", 21, units=("Medic 11",), stage="en_route", agency="EMS")
    later = call("n2", 40, units=("Medic 11",), agency="EMS")
    assert membership([sent, early, scene, again, later]) == {
        "inc-m1": ["m1", "m2", "m3"],
        "inc-n1": ["n1", "n2"],
    }
    # refused: en route before it said it was on scene is the same assignment
    again_early = call("m4", 2, units=("Medic 11",), stage="en_route", agency="EMS")
    assert membership([sent, early, again_early]) == {"inc-m1": ["m1", "m2", "m4"]}


# --- the second alarm answers the commander who asked for it --------------------------


def test_incident_second_alarm_answers_the_commander_who_asked() -> None:
    a = call("a1", 0, units=("Battalion 2", "Engine 61"), places=(OAK,), types=("STRUCTURE_FIRE",), sends=True, by_ear=True)  # fmt: skip
    b = call("b1", 2, units=("Battalion 79", "Engine 76"), places=(FIFTH,), types=("STRUCTURE_FIRE",), sends=True, by_ear=True)  # fmt: skip
    ask = replace(call("b2", 10, units=("Battalion 79",), stage="on_scene"), asks_more=True)
    # "Engine 7, Battalion 2, second alarm": Engine 77 heard short, "Battalion 2" made up
    alarm = replace(call("b3", 10.5, units=("Engine 7", "Battalion 2"), dispatch=True, by_ear=True), sends_more=True)  # fmt: skip
    control = call("a2", 12, units=("Battalion 2",))  # still on its own fire
    assert membership([a, b, ask, alarm, control]) == {
        "inc-a1": ["a1", "a2"],
        "inc-b1": ["b1", "b2", "b3"],
    }
    # refused: an alarm sent long after the call for more is matched by its units
    late = replace(alarm, start_time=alarm.start_time.replace(minute=25))
    assert membership([a, b, ask, late]) == {"inc-a1": ["a1", "b3"], "inc-b1": ["b1", "b2"]}


def test_incident_second_alarm_asked_and_sent() -> None:
    ask = facts_of(["Battalion 1"], "Battalion 1 to dispatch, give me a second alarm", [])
    sent = facts_of(["Dispatch"], "Engine 21, Rescue 5, second alarm, respond to", [("Engine 21", 0.9)])  # fmt: skip
    assert ask.asks_more and not ask.sends_more
    assert sent.sends_more and not sent.asks_more and not sent.sends
    # the alarm's number misheard, and a code heard in the units it names ("and send
    # Engine 7" as "and 10-10-7", out of service): still a call for more, on its incident
    misheard = facts_of(["Battalion 1"], "Battalion 1, I'm on scene, give me a pack and alarm, and 10-10-7, Rescue 2,", [])  # fmt: skip
    assert misheard.asks_more and not misheard.admin and "ALARM" not in misheard.incident_types
    assert facts_of(["Battalion 63"], "give me a pack on the alarm, and then engine 61", []).asks_more
    # refused: a dispatcher saying it, and a unit reporting an alarm
    assert not facts_of(["Dispatch"], "Engine 4, give me a second alarm", []).asks_more
    assert not facts_of(["Engine 4"], "Engine 4 on scene, alarm company is here", []).asks_more


def test_incident_commander_asking_for_more_is_on_an_incident() -> None:
    # its first alarm went unheard: the call for more and the alarm still make one
    ask = replace(call("b2", 10, units=("Battalion 1",), stage="on_scene"), asks_more=True)
    alarm = replace(call("b3", 10.5, units=("Engine 21",), dispatch=True, by_ear=True), sends_more=True)  # fmt: skip
    assert membership([ask, alarm]) == {"inc-b2": ["b2", "b3"]}
    # refused: a unit's bare status on no incident is still none
    assert membership([call("x1", 10, units=("Battalion 1",), stage="on_scene")]) == {}


# --- places: one name, one mile, or near and named alike -------------------------------


def test_incident_highway_mile_is_the_place() -> None:
    assert same_place(Place("HWY-40 MILE 156"), Place("AL-14 MILE 156"), 150)  # road misheard
    assert same_place(Place("MILE 185"), Place("I-65 MILE 185"), 150)  # road unheard
    assert not same_place(Place("I-65 MILE 185"), Place("I-65 MILE 186"), 150)
    assert not same_place(Place("I-65 MILE 185"), Place("185 OAK ST", 40.0, -105.0), 150)
    crash = call("c1", 0, units=("Unit 35",), places=(Place("HWY-40 MILE 156"),), types=("MVA",), by_ear=True, agency="Police")  # fmt: skip
    ems = call("c2", 1, units=("Medic 88",), places=(Place("AL-14 MILE 156"),), sends=True, by_ear=True, agency="EMS")  # fmt: skip
    assert membership([crash, ems]) == {"inc-c1": ["c1", "c2"]}


def test_incident_highway_mile_on_the_other_side_of_the_road_is_another_place() -> None:
    west, east = Place("AL-14 MILE 142", direction="WEST"), Place("HWY-40 MILE 142", direction="EAST")
    assert not same_place(west, east, 150)
    assert not same_place(west, replace(west, direction="EAST"), 150)  # one name, two sides
    assert same_place(west, Place("AL-14 MILE 142"), 150)  # a side unheard
    heard = _heard("Unit 35, 10-50, Highway 40 Eastbound at Mile Marker 142", [("HIGHWAY", "HWY-40"), ("MILE_MARKER", "142")])  # fmt: skip
    assert heard.places == (east,)
    assert _heard("Medic 6, respond to Highway 14 at Mile Marker 142", [("HIGHWAY", "AL-14"), ("MILE_MARKER", "142")]).places == (Place("AL-14 MILE 142"),)  # fmt: skip


def test_incident_near_places_named_apart_are_two() -> None:
    assert same_place(OAK, Place("1224 OAK ST", 40.01765, -105.2796), 150)  # one digit
    assert same_place(FIFTH, Place("WASHINGTON ST & 5TH ST", 40.0129, -105.2712), 150)
    assert not same_place(OAK, MAPLE, 150)  # an address and an intersection
    assert not same_place(OAK, Place("1220 ELM ST", 40.01761, -105.27972), 150)  # two streets
    assert not same_place(OAK, Place("1303 OAK ST", 40.01763, -105.27971), 150)  # two numbers
    fire = call("f1", 0, units=("Engine 61",), places=(MAPLE,), types=("VEHICLE_FIRE",), sends=True, by_ear=True)  # fmt: skip
    burglary = call("p1", 1, units=("Unit 65",), places=(OAK,), sends=True, by_ear=True, agency="Police")  # fmt: skip
    assert membership([fire, burglary]) == {"inc-f1": ["f1"], "inc-p1": ["p1"]}


def test_incident_rescue_at_a_crash_is_the_crash() -> None:
    crash = call("c1", 0, units=("Unit 14",), places=(FIFTH,), types=("MVA",), by_ear=True, agency="Police")  # fmt: skip
    trapped = call("c2", 1, units=("Medic 6",), places=(FIFTH,), types=("RESCUE",), sends=True, by_ear=True, agency="EMS")  # fmt: skip
    assert membership([crash, trapped]) == {"inc-c1": ["c1", "c2"]}
    # refused: a rescue is no fire
    fire = replace(crash, incident_types=("STRUCTURE_FIRE",))
    assert len(group([fire, trapped])) == 2


# --- a unit's answer to its dispatch --------------------------------------------------


def test_incident_first_reply_after_dispatch_answers_it() -> None:
    sent = call("m1", 0, units=("Medic 61",), places=(OAK,), types=("UNCONSCIOUS",), sends=True, by_ear=True, agency="EMS")  # fmt: skip
    # "Medic 61, 10-7-6": 10-76 heard as 10-7 (out of service)
    reply = call("m2", 0.5, units=("Medic 61",), admin=True, agency="EMS")
    assert membership([sent, reply]) == {"inc-m1": ["m1", "m2"]}
    # refused: a status long after the dispatch, or after the unit has spoken, is its own
    late = call("m3", 12, units=("Medic 61",), admin=True, agency="EMS")
    assert membership([sent, late]) == {"inc-m1": ["m1"]}
    spoke = call("m4", 0.2, units=("Medic 61",), stage="en_route", agency="EMS")
    assert membership([sent, spoke, reply]) == {"inc-m1": ["m1", "m4"]}


def test_incident_first_reply_after_dispatch_is_no_clear() -> None:
    sent = call("r1", 0, units=("Rescue 5",), places=(OAK,), types=("MVA",), sends=True, by_ear=True, agency="Fire")  # fmt: skip
    # "Rescue 5, 10-10-8": its 10-76 cut up; the unit stays on the incident it was sent to
    reply = call("r2", 0.5, units=("Rescue 5",), stage="cleared")
    later = call("r3", 14, units=("Rescue 5",))  # "patient in Medic 6"
    assert membership([sent, reply, later]) == {"inc-r1": ["r1", "r2", "r3"]}
    # refused: a clear after the unit has answered, or long after its dispatch, releases it
    ack = call("r4", 0.3, units=("Rescue 5",), stage="en_route")
    assert membership([sent, ack, reply, later]) == {"inc-r1": ["r1", "r4", "r2"]}
    late = call("r5", 9, units=("Rescue 5",), stage="cleared")
    assert membership([sent, late, later]) == {"inc-r1": ["r1", "r5"]}


def test_incident_dispatch_of_a_number_is_claimed_by_its_unit() -> None:
    # "65, respond to 202 4th Street": the callsign's kind went unheard
    sent = replace(call("e1", 0, places=(OAK,), types=("BRUSH_FIRE",), sends=True), bare_numbers=frozenset({"65"}))  # fmt: skip
    ack = call("e2", 1, units=("Engine 65",), stage="en_route")
    scene = call("e3", 6, units=("Engine 65",), stage="on_scene")
    assert membership([sent, ack, scene]) == {"inc-e1": ["e1", "e2", "e3"]}
    # refused: another number, or a unit keying up long after
    other = call("e4", 1, units=("Engine 66",), stage="en_route")
    late = call("e5", 20, units=("Engine 65",), stage="en_route")
    assert membership([sent, other]) == {"inc-e1": ["e1"]}
    assert membership([sent, late]) == {"inc-e1": ["e1"]}



def test_incident_dispatch_of_its_number_outranks_a_callsign_it_may_be_misheard_as() -> None:
    # Engine 7 was sent to a fire; then "73, respond to ..., grass fire" (Engine 73's kind
    # lost). Engine 73 keying up claims the dispatch of its number, not Engine 7's fire,
    # though "Engine 7" could be "Engine 73" cut short.
    fire = call("f1", 0, units=("Engine 7", "Engine 12"), places=(OAK,), types=("STRUCTURE_FIRE",), sends=True, by_ear=True)  # fmt: skip
    grass = replace(call("g1", 17, types=("BRUSH_FIRE",), sends=True), bare_numbers=frozenset({"73"}))
    ack = call("g2", 17.8, units=("Engine 73",), stage="en_route")
    assert membership([fire, grass, ack]) == {"inc-f1": ["f1"], "inc-g1": ["g1", "g2"]}
    # with no such dispatch, the misheard callsign still claims it
    assert membership([fire, ack]) == {"inc-f1": ["f1", "g2"]}


def test_incident_bare_number_is_one_said_without_a_kind() -> None:
    # "Engine 3, Engine 12, Ladder 3, ..." with the first kind lost: 3 is bare though
    # Ladder 3 was heard with its kind
    said = facts_of(["Dispatch"], "3, Engine 12, Ladder 3, Battalion 1, Respond to 173 Wells Street", [("Engine 12", 0.9), ("Ladder 3", 0.9), ("Battalion 1", 0.9)])  # fmt: skip
    assert said.bare_numbers == {"3"}
    # refused: numbers with their kind, a code's parts, and a unit keying up
    assert facts_of(["Dispatch"], "Engine 65, 10-50, respond to Oak", [("Engine 65", 0.9)]).bare_numbers == set()  # fmt: skip
    assert facts_of(["Engine 65"], "65, respond to Oak", []).bare_numbers == set()


def test_incident_bare_numbers_are_the_ones_before_respond() -> None:
    lost = facts_of(["Dispatch"], "65, Respond to 2-024th Street for a reported brush fire.", [])
    assert lost.bare_numbers == {"65"}
    # refused: a number of a callsign heard, numbers after "respond", a unit's own call
    heard = facts_of(["Dispatch"], "Engine 12, respond to 220 4th Street", [("Engine 12", 0.9)])
    assert heard.bare_numbers == frozenset()
    assert facts_of(["Engine 65"], "65, respond to", []).bare_numbers == frozenset()


def test_incident_units_sent_where_unheard_have_a_new_incident() -> None:
    # "Medic 68, respond to 978, 10-3, 6-person": neither place nor type heard
    sent = call("m1", 0, units=("Medic 68",), sends=True, by_ear=True, agency="EMS")
    scene = call("m2", 9, units=("Medic 68",), stage="on_scene", agency="EMS")
    assert membership([sent, scene]) == {"inc-m1": ["m1", "m2"]}
    # refused: a callsign heard below the confidence floor sends no one
    weak = replace(sent, weak_units=frozenset({"Medic 68"}))
    assert membership([weak, scene]) == {}


# --- EMS standing by for fire ---------------------------------------------------------


def test_incident_stand_by_goes_with_the_fire_dispatch() -> None:
    # "312 Whirl Street" and "312 World Street": neither place heard
    fire = call("f1", 0, units=("Engine 70", "Battalion 72"), types=("STRUCTURE_FIRE",), sends=True, by_ear=True)  # fmt: skip
    standby = replace(call("f2", 0.5, units=("Medic 73",), types=("STRUCTURE_FIRE",), sends=True, by_ear=True, agency="EMS"), stands_by=True)  # fmt: skip
    assert membership([fire, standby]) == {"inc-f1": ["f1", "f2"]}
    # refused: a fire that has its stand-by already, or one at another place heard
    second = replace(standby, call_uid="f3", units=frozenset({"Medic 9"}))
    assert len(group([fire, standby, second])) == 2
    placed_fire, placed_standby = replace(fire, places=(OAK,)), replace(standby, places=(FIFTH,))
    assert len(group([placed_fire, placed_standby])) == 2


def test_incident_fire_unit_joins_a_fire_known_from_its_stand_by() -> None:
    # the fire dispatch was heard as "7,"; EMS's stand-by was heard
    standby = replace(call("f1", 0, units=("Medic 1",), places=(OAK,), types=("STRUCTURE_FIRE",), sends=True, by_ear=True, agency="EMS"), stands_by=True)  # fmt: skip
    size_up = call("f2", 5, units=("Engine 1",), stage="on_scene", types=("STRUCTURE_FIRE",))
    assert membership([standby, size_up]) == {"inc-f1": ["f1", "f2"]}
    # refused: an EMS unit, another kind of fire, or a fire that has its fire units
    medic = call("x1", 5, units=("Medic 9",), stage="on_scene", types=("STRUCTURE_FIRE",), agency="EMS")  # fmt: skip
    car = call("x2", 5, units=("Engine 1",), stage="on_scene", types=("VEHICLE_FIRE",))
    assert len(group([standby, medic])) == 2 and len(group([standby, car])) == 2
    fire = call("f0", 0, units=("Engine 3",), places=(OAK,), types=("STRUCTURE_FIRE",), sends=True, by_ear=True)  # fmt: skip
    assert len(group([fire, standby, size_up])) == 2
    # a commander asking for more, its dispatch unheard too, is on the same fire; so is one
    # after a fire unit's own size-up joined it
    ask = replace(call("f3", 7, units=("Battalion 63",), stage="on_scene"), asks_more=True)
    assert membership([standby, ask]) == {"inc-f1": ["f1", "f3"]}
    assert membership([standby, size_up, ask]) == {"inc-f1": ["f1", "f2", "f3"]}


def test_incident_stand_by_is_said() -> None:
    said = facts_of(["Dispatch"], "Medic 1, respond to 324 Poplar Street, standby for fire", [])
    assert said.stands_by
    assert not facts_of(["Dispatch"], "Medic 1, respond to 324 Poplar Street", []).stands_by


# --- the commander's roll call as it clears -------------------------------------------


def test_incident_roll_call_names_the_units_of_its_incident() -> None:
    standby = call("f1", 0, units=("Medic 1",), places=(OAK,), types=("STRUCTURE_FIRE",), sends=True, by_ear=True, agency="EMS")  # fmt: skip
    engine = call("f2", 5, units=("Engine 1", "Medic 1"), stage="on_scene")
    ask = replace(call("g1", 8, units=("Battalion 1",), stage="on_scene"), asks_more=True)
    clear = replace(call("g2", 40, units=("Battalion 1",), stage="cleared"), roll_call=frozenset({"Engine 1"}))  # fmt: skip
    assert membership([standby, engine, ask, clear]) == {"inc-f1": ["f1", "f2", "g1", "g2"]}
    # refused: two incidents each at a place heard stay two, whatever is named
    placed = replace(ask, places=(FIFTH,))
    assert len(group([standby, engine, placed, clear])) == 2


def test_incident_roll_call_is_a_unit_clearing_all() -> None:
    heard = [("Engine 1", 0.9), ("Engine 21", 0.8), ("Rescue 518", 0.1)]
    text = "Battalion 1, Oil Unit, clearing the scene, Engine 1, Engine 21, Rescue 518"
    assert facts_of(["Battalion 1"], text, heard).roll_call == {"Engine 1", "Engine 21"}
    # refused: a dispatcher's words, and a unit clearing itself
    assert facts_of(["Dispatch"], text, heard).roll_call == frozenset()
    assert facts_of(["Engine 1"], "Engine 1, clearing, Engine 21", heard).roll_call == frozenset()


# --- a dispatcher sending a unit to another kind of call ------------------------------


def test_incident_dispatch_of_another_kind_is_a_new_assignment() -> None:
    burglary = call("b1", 0, units=("Unit 35",), places=(OAK,), types=("BURGLARY",), sends=True, by_ear=True, agency="Police")  # fmt: skip
    scene = call("b2", 5, units=("Unit 35",), stage="on_scene", agency="Police")
    # "Unit 35, 10-50, rollover, MVA, Pine and Furs": its place not a street
    crash = call("c1", 25, units=("Unit 35",), types=("MVA",), dispatch=True, by_ear=True, agency="Police")  # fmt: skip
    there = call("c2", 30, units=("Unit 35",), stage="on_scene", agency="Police")
    assert membership([burglary, scene, crash, there]) == {
        "inc-b1": ["b1", "b2"],
        "inc-c1": ["c1", "c2"],
    }
    # refused: the dispatcher speaking of the same kind of call, and the unit's own words
    # (a unit naming another type is as often the recognizer's invention)
    same = replace(crash, incident_types=("BURGLARY",))
    own = replace(crash, units_by_ear=False, dispatch=False)
    assert len(group([burglary, scene, same])) == 1
    assert len(group([burglary, scene, own])) == 1


# --- round 4, second iteration (development seeds 107, 108, 111, 112, 113) -------------


def _heard(text: str, entities: list[tuple[str, str]], tags: tuple[str, ...] = ("Dispatch",)) -> CallFacts:  # fmt: skip
    """The facts of one call with the entity layer's (label, normalized) pairs."""
    rows = [{"call_uid": "u1", "start_time": T0, "talkgroup": 1001, "talkgroup_group": "Fire",
             "units": [{"tag": t} for t in tags]}]  # fmt: skip
    ents = [
        {
            "call_uid": "u1",
            "entity_id": f"e{i}",
            "label": label,
            "normalized": value,
            "start_char": i,
        }
        for i, (label, value) in enumerate(entities)
    ]
    (facts,) = call_facts(rows, {"u1": text}, ents, [])
    return facts


def test_incident_mile_marker_is_read_from_the_text() -> None:
    # the entity layer read the mile as a house number on a street it guessed
    misread = _heard("Unit 40, 10-50, Highway 82, Westbound at Mile Marker 136, someone trapped", [("HIGHWAY", "US-82"), ("ADDRESS", "136 Clay St")])  # fmt: skip
    assert misread.places == (Place("US-82 MILE 136", direction="WEST"),)
    # "Mile Market 149": no MILE_MARKER entity at all
    market = _heard("Medic 6, respond to Highway 82 Eastbound at Mile Market 149, MVA", [])
    assert market.places == (Place("MILE 149", direction="EAST"),)
    # "mile" run in ("Maumarca") or misheard ("Mount Marker"), the number read as an address
    fused = _heard("Unit 40, 10-50, US 82 Westbound at Maumarca 131, Call a report", [("ADDRESS", "131 Clay St")])  # fmt: skip
    assert fused.places == (Place("MILE 131", direction="WEST"),)
    assert _heard("a 65 southbound at Mount Marker 181, and", []).places == (Place("MILE 181", direction="SOUTH"),)  # fmt: skip
    # refused: "half mile" with no marker, and an address of another number stays
    assert _heard("Unit 4, half mile south of the school", []).places == ()
    assert _heard("Engine 5, Marker 12, on scene", []).places == ()
    other = _heard("respond to 212 Clay St, mile marker 136", [("ADDRESS", "212 Clay St")])
    assert other.places == (Place("212 CLAY ST"), Place("MILE 136"))
    # refused: a mile the entity layer found is kept as it is
    found = _heard("Mile Marker 136", [("HIGHWAY", "I-65"), ("MILE_MARKER", "136")])
    assert found.places == (Place("I-65 MILE 136"),)


def test_incident_dispatch_is_never_a_clear_or_an_arrival() -> None:
    # "10-8-02" at the end of a dispatch, and the sheriff on scene before the rescue is sent
    noise = _heard("Medic 11, Respond to 255 Monor Street, Chest Pain, 10-8-02", [("TEN_CODE", "10-8")])  # fmt: skip
    assert noise.stage == "dispatched"
    sheriff = _heard("Rescue 2, respond to Highway 82, entrapment, sheriff on scene", [])
    assert sheriff.stage == "dispatched"
    # refused: without "respond to" the codes and phrases say the stage
    assert _heard("Medic 11, 10-8, Medic 11, 10-4", [("TEN_CODE", "10-8")]).stage == "cleared"
    assert _heard("Engine 7 on scene", [], ("Engine 7",)).stage == "on_scene"


def test_incident_second_alarm_at_the_askers_place_answers_it() -> None:
    a = call("a1", 0, units=("Battalion 2", "Engine 12"), places=(OAK,), types=("STRUCTURE_FIRE",), sends=True, by_ear=True)  # fmt: skip
    b = call("b1", 1, units=("Battalion 67", "Engine 65"), places=(FIFTH,), types=("STRUCTURE_FIRE",), sends=True, by_ear=True)  # fmt: skip
    ask_a = replace(call("a2", 8, units=("Battalion 2",), stage="on_scene"), asks_more=True)
    alarm_a = replace(call("a3", 8.5, units=("Engine 3",), places=(OAK,), dispatch=True, by_ear=True), sends_more=True)  # fmt: skip
    # B's commander's call for more went unheard; its alarm's place misheard ("Puffer")
    alarm_b = replace(call("b2", 12, units=("Engine 65", "Rescue 69"), dispatch=True, by_ear=True), sends_more=True)  # fmt: skip
    assert membership([a, b, ask_a, alarm_a, alarm_b]) == {
        "inc-a1": ["a1", "a2", "a3"],
        "inc-b1": ["b1", "b2"],
    }
    # refused: an alarm at another incident's place answers no call for more from A
    alarm_at_b = replace(alarm_a, places=(FIFTH,), units=frozenset({"Engine 5"}))
    unplaced = replace(alarm_b, units=frozenset({"Engine 9"}))
    assert membership([a, b, ask_a, alarm_at_b, unplaced]) == {
        "inc-a1": ["a1", "a2", "b2"],
        "inc-b1": ["b1", "a3"],
    }


def test_incident_callsigns_alone_move_no_unit() -> None:
    a = call("a1", 0, units=("Medic 6",), places=(OAK,), types=("MEDICAL",), sends=True, by_ear=True, agency="EMS")  # fmt: skip
    b = call("b1", 1, units=("Medic 4",), places=(FIFTH,), types=("MEDICAL",), sends=True, by_ear=True, agency="EMS")  # fmt: skip
    # "Medic 7, Medic 6, Medic 4, Medic 7, ...": a prompt's callsigns echoed into noise
    echo = call("x1", 5, units=("Medic 6", "Medic 4", "Medic 7"), by_ear=True, agency="EMS")
    later = call("b2", 9, units=("Medic 4",), agency="EMS")
    assert membership([a, b, echo, later]) == {"inc-a1": ["a1"], "inc-b1": ["b1", "b2"]}
    # refused: callsigns of units of one incident, or with a stage said, still join it
    one = replace(echo, units=frozenset({"Medic 4"}))
    assert membership([a, b, one]) == {"inc-a1": ["a1"], "inc-b1": ["b1", "x1"]}
    staged = replace(echo, stage="on_scene", units=frozenset({"Medic 6", "Medic 4"}))
    assert len(group([a, b, staged])) == 2 and sum(len(i.calls) for i in group([a, b, staged])) == 3


def test_incident_units_sent_with_nothing_heard_leave_their_placed_incident() -> None:
    first = call("m1", 0, units=("Medic 4",), places=(OAK,), types=("UNCONSCIOUS",), sends=True, by_ear=True, agency="EMS")  # fmt: skip
    scene = call("m2", 9, units=("Medic 4",), stage="on_scene", agency="EMS")
    # "Medic 4, respond to Sprues in Moral, difficulty breeding": no place, no type heard
    again = call("n1", 36, units=("Medic 4",), sends=True, by_ear=True, agency="EMS")
    there = call("n2", 44, units=("Medic 4",), stage="on_scene", agency="EMS")
    assert membership([first, scene, again, there]) == {
        "inc-m1": ["m1", "m2"],
        "inc-n1": ["n1", "n2"],
    }
    # refused: a unit on an incident of no known place is not known to be sent elsewhere
    unplaced = replace(first, places=())
    assert len(group([unplaced, scene, again])) == 1


def test_incident_one_call_paged_to_two_agencies_is_one() -> None:
    # "Unit 35, 10-50, rollover, MBA, the Con Street and Cedar Street": its place unheard
    police = call("p1", 0, units=("Unit 35",), types=("MVA",), dispatch=True, by_ear=True, agency="Police")  # fmt: skip
    ems = call("e1", 0.5, units=("Medic 6",), places=(FIFTH,), types=("RESCUE",), sends=True, by_ear=True, agency="EMS")  # fmt: skip
    assert membership([police, ems]) == {"inc-p1": ["p1", "e1"]}
    # refused: both places heard (they decide), one agency, another type, minutes apart
    assert len(group([replace(police, places=(OAK,)), ems])) == 2
    assert len(group([police, replace(ems, agency="Police")])) == 2
    assert len(group([police, replace(ems, incident_types=("MEDICAL",))])) == 2
    assert len(group([police, replace(ems, start_time=ems.start_time + dt.timedelta(minutes=10))])) == 2  # fmt: skip
    # a medic still on an earlier call is sent anew: where it was does not matter
    earlier = call("o1", -20, units=("Medic 6",), places=(OAK,), types=("FALL",), sends=True, by_ear=True, agency="EMS")  # fmt: skip
    unplaced = replace(ems, places=())
    assert membership([earlier, police, unplaced]) == {"inc-o1": ["o1"], "inc-p1": ["p1", "e1"]}
    # but a unit's own call, sending nobody, still follows the unit
    status = replace(unplaced, sends=False, units_by_ear=False)
    assert membership([earlier, police, status]) == {"inc-o1": ["o1", "e1"], "inc-p1": ["p1"]}
    # refused: a dispatch long past whose incident was heard from just now (a commander's
    # report on the fireground), for the dispatch is what was paged
    report = call("p2", 9.8, units=("Unit 35",), types=("MVA",), agency="Police")
    late = replace(ems, start_time=ems.start_time + dt.timedelta(minutes=10))
    assert len(group([police, report, late])) == 2


# --- round 4, third iteration (development seeds 107-108, 111-117) ----------------------


def test_incident_unit_sent_to_another_kind_of_call_does_not_merge_them() -> None:
    # "Medic 11, respond to Willis Street in Holly Street, overdose": its place unheard
    overdose = call("a1", 0, units=("Medic 11",), types=("OVERDOSE",), sends=True, by_ear=True, agency="EMS")  # fmt: skip
    transport = call("a2", 22, units=("Medic 11",), agency="EMS")  # its clear never heard
    fire = call("b1", 28, units=("Engine 21", "Engine 12"), places=(FIFTH,), types=("STRUCTURE_FIRE",), sends=True, by_ear=True)  # fmt: skip
    standby = call("b2", 28.5, units=("Medic 11",), places=(FIFTH,), types=("STRUCTURE_FIRE",), sends=True, by_ear=True, agency="EMS")  # fmt: skip
    there = call("b3", 35, units=("Medic 11",), stage="on_scene", agency="EMS")
    assert membership([overdose, transport, fire, standby, there]) == {
        "inc-a1": ["a1", "a2"],
        "inc-b1": ["b1", "b2", "b3"],
    }
    # refused: an incident known only by its units, of no type heard or of the same type,
    # heard at a place is one incident with the incident there
    untyped = replace(overdose, incident_types=())
    assert len(group([untyped, transport, fire, standby, there])) == 1
    same = replace(overdose, incident_types=("STRUCTURE_FIRE",))
    assert len(group([same, transport, fire, standby, there])) == 1


# --- a registration return answers the stop that ran the plate ----------------------


def _stop(name: str, minute: float, unit: str, digits: str) -> CallFacts:
    return replace(call(name, minute, units=(unit,), types=("TRAFFIC_STOP",), agency="Police"),
                   self_initiated=True, digit_runs=frozenset({digits}))  # fmt: skip


def _return(name: str, minute: float, digits: str, units: tuple[str, ...] = ()) -> CallFacts:
    return replace(call(name, minute, units=units, by_ear=True, agency="Police"),
                   returns_plate=True, digit_runs=frozenset({digits}))  # fmt: skip


def test_incident_registration_return_answers_the_stop_that_said_its_plate() -> None:
    a = _stop("a1", 0, "Unit 14", "483")
    b = _stop("b1", 1, "Car 31", "4580")
    # "Unit 40, King X-ray Ocean, 4-8-3, comes back to a blue Altima": Unit 14 misheard
    back = _return("a2", 2, "483", units=("Unit 40",))
    assert membership([a, b, back]) == {"inc-a1": ["a1", "a2"], "inc-b1": ["b1"]}
    # "31, Robert Victor 4-5-8-0, comes back ...": its kind lost, the plate says whose
    assert membership([a, b, _return("b2", 2, "4580")]) == {"inc-a1": ["a1"], "inc-b1": ["b1", "b2"]}
    # no digits in common: the latest stop ran it
    assert membership([a, b, _return("b3", 2, "999")]) == {"inc-a1": ["a1"], "inc-b1": ["b1", "b3"]}
    # refused: no stop on its talkgroup within the reply window
    assert membership([a, _return("x1", 30, "483")]) == {"inc-a1": ["a1"]}
    other = replace(a, talkgroup=3002)
    assert membership([other, _return("x2", 2, "483")]) == {"inc-a1": ["a1"]}


def test_incident_registration_return_is_a_dispatcher_reading_one() -> None:
    back = facts_of(["Dispatch"], "31, Robert, Voy, Victor, 4-5-8-0, comes back to a White Ford Explorer", [])  # fmt: skip
    assert back.returns_plate and back.digit_runs == {"4580"}
    assert facts_of([], "Car 31, 6152, comes back clear", []).digit_runs == {"6152"}
    # refused: a unit saying it is coming back, and a dispatcher saying anything else
    assert not facts_of(["Car 31"], "Car 31, comes back to the station", []).returns_plate
    assert not facts_of(["Dispatch"], "Car 31, respond to 4-5-8 Oak Street", []).returns_plate


# --- round 5 (development seeds 118-130) ---------------------------------------------


def test_incident_call_at_a_place_of_two_kinds_of_incident_merges_neither() -> None:
    fire = call("f1", 0, units=("Engine 15",), places=(FIFTH,), types=("STRUCTURE_FIRE",), sends=True, by_ear=True)  # fmt: skip
    chest = call("m1", 0.3, units=("Medic 1",), places=(FIFTH,), types=("MEDICAL",), sends=True, by_ear=True, agency="EMS")  # fmt: skip
    # "Engine 21, respond to Jackson and Clay, for a reported order of natural gas": no type
    gas = call("g1", 17, units=("Engine 21",), places=(FIFTH,), sends=True, by_ear=True)
    assert membership([fire, chest, gas]) == {"inc-f1": ["f1"], "inc-m1": ["m1", "g1"]}
    # refused: incidents there whose types agree are one
    crash = replace(fire, incident_types=("MVA",))
    rescue = replace(chest, incident_types=("RESCUE",))
    assert membership([crash, rescue, gas]) == {"inc-f1": ["f1", "m1", "g1"]}
