"""Calls grouped into incidents, in time order, by four signals:

- the same place within a time window (a second dispatch to the same address, EMS sent
  where fire already is);
- shared units (a unit's acknowledgements, status and transport belong to the incident it
  was last sent to, until it clears);
- patched talkgroups: a talkgroup group (Fire, EMS, Police) breaks ties between incidents
  a call could join, as the talkgroups of one agency are patched on the fireground;
- the dispatch -> en route -> on scene -> clear sequence: a dispatch to a new place, or
  to the place of an incident that has cleared, opens an incident; a clear releases the
  unit; a unit's own status (radio check, out of service) joins none.

Radio procedure fills in what the recognizer loses (rounds 4 and 5, bench/README.md):

- a unit announcing a stop it makes itself, or en route again after it was on scene, has
  a new incident, though its clear went unheard;
- a dispatcher's second alarm answers the commander who just asked for one (and one
  heard at the asker's place has answered it);
- one call paged to two agencies (police and EMS to a crash, EMS to stand by for fire,
  the two dispatches minutes apart) is one incident when one of the two places went
  unheard, and a fire unit reporting a fire known only from EMS's stand-by (its size-up,
  or its commander's call for more) is on it;
- a unit's first call after its dispatch answers it (whatever code was heard, a clear
  too), and a unit claims a dispatch that said its number without its kind ("65,
  respond to") before one whose callsign it may have been misheard as;
- a dispatcher sending units to another kind of call, or to a place unheard, gives them a
  new assignment; one saying nothing but callsigns of units on several incidents moves
  none of them;
- a commander's "all units clearing" names the units of its incident;
- a dispatcher's registration return ("comes back to a white Ford") answers the stop on
  its talkgroup that said the same plate digits, or else the latest one.

A call that joins two incidents (it is at one's place and names the other's units, or is
near two places) merges them when their types agree: a unit sent from one kind of call to
another was reassigned, and a fire and a medical call at one corner are two. The result does not depend on
the order calls are given in: they are sorted first. An incident's id comes from its
earliest call, so re-running a day with the same calls gives the same ids, and a late call
changes an id only when it is earlier than every call of its incident.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace

from assets.incidents.places import same_place
from assets.incidents.signals import STAGES, CallFacts, Place
from assets.incidents.state import Groups


@dataclass(frozen=True)
class Rules:
    """Windows and distances; the defaults were set on simulator seed 3 only."""

    place_window_s: float = 45 * 60  # since the incident's last call
    place_radius_m: float = 150.0
    unit_window_s: float = 45 * 60  # since the unit was last heard on the incident
    # a unit answers its dispatch, and a dispatcher a commander's call for more, within
    # a minute or two; five leaves room for a busy channel
    reply_window_s: float = 5 * 60


@dataclass
class Incident:
    incident_id: str
    calls: list[CallFacts] = field(default_factory=list)

    @property
    def first(self) -> CallFacts:
        return self.calls[0]

    @property
    def last(self) -> CallFacts:
        return self.calls[-1]

    @property
    def incident_type(self) -> str | None:
        said = [t for c in self.calls for t in c.incident_types]
        if not said:
            return None
        counts = Counter(said)
        return max(counts, key=lambda t: (counts[t], -said.index(t)))

    @property
    def place(self) -> Place | None:
        places = [p for c in self.calls for p in c.places]
        return next((p for p in places if p.lat is not None), places[0] if places else None)

    @property
    def units(self) -> list[str]:
        return sorted({u for c in self.calls for u in c.units})

    @property
    def status(self) -> str:
        stages = [c.stage for c in self.calls if c.stage]
        return max(stages, key=STAGES.index) if stages else STAGES[0]


def incident_id(first_call_uid: str) -> str:
    return f"inc-{first_call_uid}"


# A crash with someone trapped is one incident: "wreck, possible entrapment" on one
# dispatch talkgroup and "entrapment" alone on another name it as MVA and as RESCUE.
_ONE_INCIDENT = {"RESCUE": {"MVA"}, "MVA": {"RESCUE"}}


def _agree(types: set[str], said: set[str]) -> bool:
    if not types or not said:
        return True
    return bool(types & (said | {t for s in said for t in _ONE_INCIDENT.get(s, ())}))


def _compatible(types: set[str], call: CallFacts) -> bool:
    return _agree(types, set(call.incident_types))


def _all_placed(state: Groups, groups: list[int]) -> bool:
    return bool(groups) and all(any(c.places for c in state.members[state.find(g)]) for g in groups)


def _cleared(calls: list[CallFacts]) -> bool:
    return any(c.stage == "cleared" for c in calls)


def _placed(state: Groups, g: int) -> bool:
    return any(c.places for c in state.members[state.find(g)])


def _awaiting_fire(state: Groups, call: CallFacts, since: dt.datetime) -> int | None:
    """For a fire unit on no incident reporting one (a size-up, a call for more) at no place heard: the
    latest fire known only from EMS's stand-by since ``since`` (the fire department's own
    dispatch went unheard, so its units have nothing else to follow)."""
    if call.agency != "Fire" or call.units_by_ear or call.places:
        return None
    if not (call.incident_types or call.asks_more):  # a size-up, or a call for more
        return None
    for g in reversed(state.heard_since(since)):
        calls = state.members[g]
        if (
            # no fire dispatcher heard on it (a fire unit's own size-up may be)
            not any(c.agency == "Fire" and c.units_by_ear for c in calls)
            and any(c.stands_by for c in calls)
            and _compatible(state.types[g], call)
        ):
            return g
    return None


def _paged_with(state: Groups, call: CallFacts, since: dt.datetime) -> int | None:
    """For a dispatcher sending units of one agency to a call of a known type: the latest
    incident since ``since`` that another agency alone was dispatched to, of the same type,
    when one of the two places went unheard (a crash or a fire is paged to police, EMS and
    fire within a minute; with both places heard, the places decide)."""
    if not (call.dispatch and call.units_by_ear and call.incident_types and call.agency):
        return None
    for g in reversed(state.heard_since(since)):
        calls = state.members[g]
        if (
            all(c.agency and c.agency != call.agency for c in calls)
            # paged together: the other agency's dispatch itself is this recent, not
            # merely the incident's latest call (a commander's report an hour in)
            and any(c.dispatch and c.units_by_ear and c.start_time >= since for c in calls)
            and state.types[g]
            and _compatible(state.types[g], call)
            and not (call.places and _placed(state, g))
        ):
            return g
    return None


def group(calls: list[CallFacts], rules: Rules | None = None) -> list[Incident]:
    """The incidents among ``calls``, each with its calls in time order; calls that belong
    to none (no place, type or busy unit; a unit's own status) are left out."""
    rules = rules or Rules()
    state = Groups()
    for call in sorted(calls, key=lambda c: (c.start_time, c.call_uid)):
        t = call.start_time
        replied = t - dt.timedelta(seconds=rules.reply_window_s)
        placed_since = t - dt.timedelta(seconds=rules.place_window_s)
        if (
            call.returns_plate
            and not call.places
            and (g := state.plate_checked(call, replied)) is not None
        ):
            # the callsign heard in a return is the stopping unit's, often misheard: it
            # moves no unit
            state.add(g, call, frozenset())
            continue
        if call.stage == "cleared" and state.replying(call, replied) is not None:
            # a unit just sent does not clear: its first reply answers the dispatch, and a
            # clear heard in it is its "10-76" cut up ("10-10-8", "10-7, 10-8")
            call = replace(call, stage=None)
        if call.admin:
            if (g := state.replying(call, replied)) is not None:
                state.add(g, call)
            continue
        if call.self_initiated or state.moving_on(call):
            # a unit starting a stop of its own, or on its way to a new call, is done with
            # whatever it was on, though its clear may have gone unheard
            state.new(call)
            continue
        at_place = []
        for g in state.recent(placed_since) if call.places else ():
            if not _compatible(state.types[g], call):
                continue
            if call.dispatch and _cleared(state.members[g]):
                continue  # a new dispatch to where an incident has cleared is a new incident
            theirs = [p for c in state.members[g] for p in c.places]
            if any(same_place(p, q, rules.place_radius_m) for p in call.places for q in theirs):
                at_place.append(g)
        by_unit = []
        since = t - dt.timedelta(seconds=rules.unit_window_s)
        for u in sorted(call.units - call.weak_units):
            owned = state.owner.get(u)
            if owned and owned[1] >= since:
                by_unit.append(state.find(owned[0]))
            elif not call.units_by_ear and (
                # a dispatch that said its very number outranks one whose callsign it
                # may have been misheard as
                (g := state.unnamed_dispatch(u, replied)) is not None
                or (g := state.misheard_owner(u, since)) is not None
            ):
                by_unit.append(g)
        more_for = state.answering(call, replied, at_place)
        if at_place:
            more_for = None  # heard at the asker's place: the place joins it
        fire_for = None if at_place or by_unit else _awaiting_fire(state, call, placed_since)
        # a dispatcher sending units anew: where they were before does not matter
        paged_with = None if at_place or (by_unit and not call.sends) else _paged_with(state, call, replied)
        if at_place:
            # the incident heard from last at this place; others there are one with it
            # only when their types agree (a fire and a medical call at one corner are two)
            g = max(at_place, key=lambda a: (state.members[a][-1].start_time, a))
            for other in at_place:
                if other != g and _agree(state.types[g], state.types[other]):
                    g = state.merge(g, other)
            for other in by_unit:
                # an incident known only by its units, now heard at this place: one incident,
                # unless its type is another: its unit was sent on from it (a medic still on
                # an overdose whose clear went unheard, sent to stand by at a fire)
                if not _placed(state, other) and _agree(state.types[g], state.types[other]):
                    g = state.merge(g, other)
            joined = state.add(g, call)
        elif more_for is not None:
            # whatever callsigns were heard in it; those of units busy on another incident
            # were misheard, since an alarm sends units that are free
            busy = {u for u in call.units if (o := state.owner.get(u)) and o[1] >= since}
            joined = state.add(more_for, call, call.units - busy)
        elif fire_for is not None:
            joined = state.add(fire_for, call)
        elif paged_with is not None:
            joined = state.add(paged_with, call)
        elif call.places and (call.dispatch or call.incident_types):
            joined = state.new(call)  # units sent to a new place are reassigned to it
        elif call.sends and _all_placed(state, by_unit):
            # Units sent to a call whose place went unheard (misheard, or not geocoded),
            # while the incident they are on has a known place: a new assignment, since a
            # dispatcher sending them back to that incident would name its place.
            joined = state.new(call)
        elif (
            call.dispatch
            and call.units_by_ear
            and by_unit
            and call.incident_types
            and not any(_compatible(state.types[g], call) for g in by_unit)
        ):
            # a dispatcher sending units to another kind of call: a new assignment
            joined = state.new(call)
        elif (
            call.units_by_ear
            and not (call.stage or call.dispatch or call.incident_types)
            and len(set(by_unit)) > 1
        ):
            # a dispatcher saying nothing but callsigns of units on different incidents
            # (acknowledging several, or the recognizer repeating a prompt's callsigns into
            # noise) tells none of them where to go
            continue
        elif by_unit:
            # the incident most of its units are on; ties to the one on its agency's talkgroups
            counts = Counter(by_unit)
            agency = {g: any(c.agency == call.agency for c in state.members[g]) for g in counts}
            best = max(
                counts,
                key=lambda g: (counts[g], agency[g], state.members[g][-1].start_time),
            )
            joined = state.add(best, call)
        elif call.incident_types or call.places or call.asks_more:
            # a commander calling for more is on an incident, if one we did not hear begin
            joined = state.new(call)
        elif call.sends and call.units - call.weak_units:
            joined = state.new(call)  # units sent somewhere unheard: a new assignment all the same
        else:
            continue
        for u in sorted(call.roll_call):
            # the units a commander releases were on its incident: where one of them was
            # followed to an incident of no known place, that was this one
            owned = state.owner.get(u)
            if not owned or owned[1] < since:
                continue
            other, joined = state.find(owned[0]), state.find(joined)
            if (
                other != joined
                and not (_placed(state, other) and _placed(state, joined))
                and _agree(state.types[joined], state.types[other])
            ):
                joined = state.merge(joined, other)
    out = []
    for g in state.roots():
        members = state.members[g]
        out.append(Incident(incident_id(members[0].call_uid), members))
    return sorted(out, key=lambda i: (i.first.start_time, i.incident_id))
