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

A call that joins two incidents (it is at one's place and names the other's units, or is
near two places) merges them. The result does not depend on the order calls are given in:
they are sorted first. An incident's id comes from its earliest call, so re-running a day
with the same calls gives the same ids, and a late call changes an id only when it is
earlier than every call of its incident.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field

from assets.incidents.signals import STAGES, CallFacts, Place

_EARTH_M = 6_371_008.8


@dataclass(frozen=True)
class Rules:
    """Windows and distances; the defaults were set on simulator seed 3 only."""

    place_window_s: float = 45 * 60  # since the incident's last call
    place_radius_m: float = 150.0
    unit_window_s: float = 45 * 60  # since the unit was last heard on the incident


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


def distance_m(a: Place, b: Place) -> float | None:
    if None in (a.lat, a.lon, b.lat, b.lon):
        return None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)  # type: ignore[arg-type]
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)  # type: ignore[operator]
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_M * math.asin(min(1.0, math.sqrt(h)))


def same_place(a: Place, b: Place, radius_m: float) -> bool:
    d = distance_m(a, b)
    return a.key == b.key if d is None else d <= radius_m


class _Groups:
    """Union-find over incidents, with the state the rules read."""

    def __init__(self) -> None:
        self.members: dict[int, list[CallFacts]] = {}
        self.parent: dict[int, int] = {}
        self.types: dict[int, set[str]] = {}
        self.owner: dict[str, tuple[int, dt.datetime]] = {}  # unit -> (group, last heard)
        self.by_ear: set[str] = set()  # owned units known only from a dispatcher's words
        self.active: list[int] = []  # groups a place can still join, oldest first

    def find(self, g: int) -> int:
        while self.parent[g] != g:
            self.parent[g] = self.parent[self.parent[g]]
            g = self.parent[g]
        return g

    def new(self, call: CallFacts) -> int:
        g = len(self.parent)
        self.parent[g], self.members[g], self.types[g] = g, [], set()
        return self.add(g, call)

    def add(self, g: int, call: CallFacts) -> int:
        g = self.find(g)
        if g not in self.active:
            self.active.append(g)  # heard again: its place can be joined again
        self.members[g].append(call)
        self.types[g].update(call.incident_types)
        for u in call.units:
            if call.stage == "cleared":
                self.owner.pop(u, None)
            else:
                self.owner[u] = (g, call.start_time)
            if call.units_by_ear:
                self.by_ear.add(u)
            else:
                self.by_ear.discard(u)
        return g

    def misheard_owner(self, unit: str, since: dt.datetime) -> int | None:
        """The incident of a callsign a dispatcher was heard to send that is likely
        ``unit`` misheard ("Medic 8" for Medic 87, "Unit 40" for Unit 14), claimed by
        ``unit`` keying up (its tag, certain) while it is on no incident itself."""
        near = [
            (self.owner[k][1], k)
            for k in self.by_ear
            if k in self.owner and self.owner[k][1] >= since and _misheard_as(unit, k)
        ]
        if not near:
            return None
        _, key = max(near)  # the latest dispatch
        g = self.owner.pop(key)[0]
        self.by_ear.discard(key)
        return self.find(g)

    def merge(self, a: int, b: int) -> int:
        a, b = self.find(a), self.find(b)
        if a == b:
            return a
        keep, gone = min(a, b), max(a, b)
        self.parent[gone] = keep
        self.members[keep] = sorted(
            self.members[keep] + self.members.pop(gone), key=lambda c: (c.start_time, c.call_uid)
        )
        self.types[keep] |= self.types.pop(gone)
        return keep

    def roots(self) -> list[int]:
        return sorted(self.members)

    def recent(self, since: dt.datetime) -> list[int]:
        """Groups heard from since ``since``, oldest first; the others leave the active list
        until a call joins them again (calls come in time order)."""
        self.active = [
            g for g in self.active if g in self.members and self.members[g][-1].start_time >= since
        ]
        return sorted(self.active)


def _compatible(types: set[str], call: CallFacts) -> bool:
    return not types or not call.incident_types or bool(types & set(call.incident_types))


# "fourteen" and "forty" sound alike over a radio; so do the other teens and tens
_TEEN_TY = {f"1{d}": f"{d}0" for d in "3456789"}


def _misheard_as(unit: str, heard: str) -> bool:
    """Whether the callsign ``heard`` is plausibly ``unit`` misheard: the same kind of unit,
    and a number cut short ("Medic 8" for "Medic 87": "eighty-seven" split) or a teen heard
    as a ten ("Unit 40" for "Unit 14")."""
    kind, _, number = unit.rpartition(" ")
    heard_kind, _, heard_number = heard.rpartition(" ")
    if kind != heard_kind or number == heard_number:
        return False
    return (
        number.startswith(heard_number)
        or _TEEN_TY.get(number) == heard_number
        or _TEEN_TY.get(heard_number) == number
    )


def _all_placed(state: _Groups, groups: list[int]) -> bool:
    return bool(groups) and all(any(c.places for c in state.members[state.find(g)]) for g in groups)


def _cleared(calls: list[CallFacts]) -> bool:
    return any(c.stage == "cleared" for c in calls)


def group(calls: list[CallFacts], rules: Rules | None = None) -> list[Incident]:
    """The incidents among ``calls``, each with its calls in time order; calls that belong
    to none (no place, type or busy unit; a unit's own status) are left out."""
    rules = rules or Rules()
    state = _Groups()
    for call in sorted(calls, key=lambda c: (c.start_time, c.call_uid)):
        if call.admin:
            continue
        t = call.start_time
        at_place = []
        for g in (
            state.recent(t - dt.timedelta(seconds=rules.place_window_s)) if call.places else ()
        ):
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
            elif not call.units_by_ear and (g := state.misheard_owner(u, since)) is not None:
                by_unit.append(g)
        if at_place:
            g = at_place[0]
            for other in at_place[1:]:
                g = state.merge(g, other)
            for other in by_unit:
                # an incident known only by its units, now heard at this place: one incident
                if not any(c.places for c in state.members[state.find(other)]):
                    g = state.merge(g, other)
            state.add(g, call)
        elif call.places and (call.dispatch or call.incident_types):
            state.new(call)  # units sent to a new place are reassigned to it
        elif call.sends and call.incident_types and _all_placed(state, by_unit):
            # Units sent to a call whose place went unheard (misheard, or not geocoded),
            # while the incident they are on has a known place: a new assignment, since a
            # dispatcher sending them back to that incident would name its place.
            state.new(call)
        elif by_unit:
            # the incident most of its units are on; ties to the one on its agency's talkgroups
            counts = Counter(by_unit)
            agency = {g: any(c.agency == call.agency for c in state.members[g]) for g in counts}
            best = max(
                counts,
                key=lambda g: (counts[g], agency[g], state.members[g][-1].start_time),
            )
            state.add(best, call)
        elif call.incident_types or call.places:
            state.new(call)
    out = []
    for g in state.roots():
        members = state.members[g]
        out.append(Incident(incident_id(members[0].call_uid), members))
    return sorted(out, key=lambda i: (i.first.start_time, i.incident_id))
