"""The grouping rules on hand-made calls: each signal, merging, clearing, and ids that do
not depend on the order calls come in."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from assets.incidents.grouping import group
from assets.incidents.signals import CallFacts, Place, call_facts, stage_of
from bench.incidents.score import labels, pairwise

T0 = dt.datetime(2024, 5, 1, 14, 0, tzinfo=dt.UTC)
OAK = Place("1220 OAK ST", 40.0176, -105.2797)
OAK_NEXT_DOOR = Place("1224 OAK ST", 40.01765, -105.2796)
FIFTH = Place("5TH ST & WASHINGTON ST", 40.0129, -105.2712)


def call(
    name: str, minute: float, *, units: tuple[str, ...] = (), places: tuple[Place, ...] = (),
    types: tuple[str, ...] = (), stage: str | None = None, dispatch: bool = False,
    agency: str = "Fire", admin: bool = False, by_ear: bool = False, weak: tuple[str, ...] = (),
    sends: bool = False,
) -> CallFacts:  # fmt: skip
    return CallFacts(
        call_uid=name,
        start_time=T0 + dt.timedelta(minutes=minute),
        talkgroup=1001,
        agency=agency,
        units=frozenset(units),
        places=places,
        incident_types=types,
        stage=stage,
        dispatch=dispatch or sends,
        sends=sends,
        admin=admin,
        units_by_ear=by_ear,
        weak_units=frozenset(weak),
    )


def membership(calls: list[CallFacts]) -> dict[str, list[str]]:
    return {i.incident_id: [c.call_uid for c in i.calls] for i in group(calls)}


FIRE = [
    call("a1", 0, units=("Engine 12", "Ladder 3"), places=(OAK,), types=("STRUCTURE_FIRE",), dispatch=True),
    call("a2", 1, units=("Engine 12",), stage="en_route"),
    call("b1", 2, units=("Unit 23",), places=(FIFTH,), types=("MVA",), dispatch=True, agency="Police"),
    call("a3", 6, units=("Engine 12",), stage="on_scene"),
    call("a4", 7, units=("Medic 4",), places=(OAK_NEXT_DOOR,), dispatch=True, agency="EMS"),
    call("x1", 8, units=("Engine 12",), admin=True),
    call("b2", 9, units=("Unit 23",), stage="on_scene", agency="Police"),
    call("a5", 30, units=("Engine 12",), stage="cleared"),
    call("a6", 31, units=("Engine 12",), stage="on_scene"),  # after its clear: no incident
]  # fmt: skip


def test_incident_grouping_by_place_units_and_sequence() -> None:
    found = {i.incident_id: i for i in group(FIRE)}
    assert {k: [c.call_uid for c in v.calls] for k, v in found.items()} == {
        "inc-a1": ["a1", "a2", "a3", "a4", "a5"],
        "inc-b1": ["b1", "b2"],
    }
    fire = found["inc-a1"]
    assert fire.status == "cleared" and fire.incident_type == "STRUCTURE_FIRE"
    assert fire.units == ["Engine 12", "Ladder 3", "Medic 4"] and fire.place == OAK
    assert found["inc-b1"].status == "on_scene"


@pytest.mark.parametrize("seed", range(6))
def test_incident_ids_do_not_depend_on_call_order(seed: int) -> None:
    shuffled = FIRE[:]
    random.Random(seed).shuffle(shuffled)
    assert membership(shuffled) == membership(FIRE)


def test_incident_late_call_merges_two_incidents() -> None:
    # The deputy's dispatch lost its place (ASR); EMS was sent to the crossing.
    deputy = call("c1", 0, units=("Unit 23",), types=("MVA",), dispatch=True, agency="Police")
    medic = call("c2", 2, units=("Medic 4",), places=(FIFTH,), types=("MVA",), dispatch=True, agency="EMS")
    assert membership([deputy, medic]) == {"inc-c1": ["c1"], "inc-c2": ["c2"]}
    # A call ingested late, from between them: the deputy at the crossing.
    late = call("c3", 1, units=("Unit 23",), places=(FIFTH,), stage="on_scene", agency="Police")
    assert membership([medic, late, deputy]) == {"inc-c1": ["c1", "c3", "c2"]}


def test_incident_new_dispatch_after_clear_is_a_new_incident() -> None:
    first = call("d1", 0, units=("Engine 3",), places=(OAK,), types=("GAS_LEAK",), dispatch=True)
    clear = call("d2", 10, units=("Engine 3",), stage="cleared")
    again = call("d3", 20, units=("Engine 7",), places=(OAK,), types=("GAS_LEAK",), dispatch=True)
    near = call("d4", 21, units=("Medic 9",), places=(OAK_NEXT_DOOR,), dispatch=True, agency="EMS")
    assert membership([first, clear, again, near]) == {"inc-d1": ["d1", "d2"], "inc-d3": ["d3", "d4"]}


def test_incident_same_place_outside_the_window_is_a_new_incident() -> None:
    first = call("e1", 0, places=(OAK,), types=("ALARM",), dispatch=True)
    later = call("e2", 120, places=(OAK,), types=("ALARM",), dispatch=True)
    assert len(group([first, later])) == 2


def test_incident_unit_ties_go_to_the_calls_agency() -> None:
    # Two incidents hold "Medic 4" and "Engine 12" by name; the call names both once.
    fire = call("g1", 0, units=("Engine 12",), places=(OAK,), types=("STRUCTURE_FIRE",), dispatch=True)
    ems = call("g2", 1, units=("Medic 4",), places=(FIFTH,), types=("FALL",), dispatch=True, agency="EMS")
    both = call("g3", 2, units=("Engine 12", "Medic 4"), agency="EMS")
    assert membership([fire, ems, both])["inc-g2"] == ["g2", "g3"]


@pytest.mark.parametrize(
    ("codes", "text", "stage"),
    [
        (["10-76"], "Engine 12, 10-76.", "en_route"),
        ([], "Medic 4, en route.", "en_route"),
        (["10-23"], "Unit 23, 10-23.", "on_scene"),
        ([], "Engine 3 on scene, nothing showing", "on_scene"),
        (["10-8"], "you can hold all other units, we will be 10-8 shortly", "cleared"),
        ([], "Medic 4, respond to 12 Oak Street", "dispatched"),
        (["10-4"], "Engine 12, 10-4.", None),
    ],
)
def test_incident_stage_from_codes_and_phrases(codes: list[str], text: str, stage: str | None) -> None:
    assert stage_of(codes, text) == stage


def test_incident_facts_from_lake_rows() -> None:
    rows = [{"call_uid": "u1", "start_time": T0, "talkgroup": 1001, "talkgroup_group": "Fire",
             "units": [{"tag": "Engine 12"}, {"tag": "Dispatch A"}, {"tag": "Console 2"}, {"tag": None}]}]  # fmt: skip
    ents = [
        {"call_uid": "u1", "entity_id": "e1", "label": "UNIT", "normalized": "Ladder 3"},
        {"call_uid": "u1", "entity_id": "e2", "label": "HIGHWAY", "normalized": "I-65"},
        {"call_uid": "u1", "entity_id": "e3", "label": "MILE_MARKER", "normalized": "179"},
        {"call_uid": "u1", "entity_id": "e4", "label": "ADDRESS", "normalized": "12 Oak St"},
        {"call_uid": "u1", "entity_id": "e5", "label": "INCIDENT_TYPE", "normalized": "MVA"},
    ]
    locs = [{"entity_id": "e4", "lat": 40.0, "lon": -105.0}]
    (facts,) = call_facts(rows, {"u1": "Engine 12, Ladder 3, respond to"}, ents, locs)
    assert facts.units == {"Engine 12"}  # consoles tie no incidents together
    assert facts.mentioned == {"Ladder 3"}  # heard in a call Engine 12 keyed up: links nothing
    assert facts.places == (Place("I-65 MILE 179"), Place("12 OAK ST", 40.0, -105.0))
    assert facts.dispatch and facts.stage == "dispatched" and facts.incident_types == ("MVA",)


def test_incident_pairwise_score_counts_pairs() -> None:
    truth = {"a": "1", "b": "1", "c": "1", "d": "2", "e": ""}
    predicted = labels([("x", ["a", "b"]), ("y", ["c", "d", "e"])])
    score = pairwise(truth, predicted)
    assert (score.true_pairs, score.predicted_pairs, score.correct_pairs) == (3, 4, 1)
    assert score.precision == 0.25 and score.recall == pytest.approx(1 / 3)
