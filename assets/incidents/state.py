"""What the grouping remembers as it reads calls in time order: a union-find over
incidents and what radio procedure lets it expect next (whom a dispatcher sent and who has
not answered yet, who asked for a second alarm, which dispatch named a number without its
callsign's kind, who said it is on scene where).

Pure: no I/O; ``grouping.group`` drives it.
"""

from __future__ import annotations

import datetime as dt

from assets.incidents.signals import CallFacts


class Groups:
    """Union-find over incidents, with the state the rules read."""

    def __init__(self) -> None:
        self.members: dict[int, list[CallFacts]] = {}
        self.parent: dict[int, int] = {}
        self.types: dict[int, set[str]] = {}
        self.owner: dict[str, tuple[int, dt.datetime]] = {}  # unit -> (group, last heard)
        self.by_ear: set[str] = set()  # owned units known only from a dispatcher's words
        self.active: list[int] = []  # groups a place can still join, oldest first
        self.awaiting: dict[str, dt.datetime] = {}  # unit -> when sent, not heard since
        self.asked_more: tuple[int, dt.datetime] | None = None  # the latest call for more
        self.arrived: dict[str, int] = {}  # unit -> the incident it said it is on scene at
        # dispatches that said a number with no callsign kind: (when, group, numbers)
        self.numbered: list[tuple[dt.datetime, int, frozenset[str]]] = []

    def find(self, g: int) -> int:
        while self.parent[g] != g:
            self.parent[g] = self.parent[self.parent[g]]
            g = self.parent[g]
        return g

    def new(self, call: CallFacts) -> int:
        g = len(self.parent)
        self.parent[g], self.members[g], self.types[g] = g, [], set()
        return self.add(g, call)

    def add(self, g: int, call: CallFacts, units: frozenset[str] | None = None) -> int:
        """``call`` joins ``g``; ``units`` (the call's, unless given) now follow it."""
        g = self.find(g)
        if g not in self.active:
            self.active.append(g)  # heard again: its place can be joined again
        self.members[g].append(call)
        self.types[g].update(call.incident_types)
        for u in call.units if units is None else units:
            if call.stage == "cleared":
                self.owner.pop(u, None)
            else:
                self.owner[u] = (g, call.start_time)
            if call.units_by_ear:
                self.by_ear.add(u)
                if call.dispatch:
                    self.awaiting[u] = call.start_time
            else:
                self.by_ear.discard(u)
                self.awaiting.pop(u, None)
                if call.stage == "on_scene":
                    self.arrived[u] = g
        if call.asks_more:
            self.asked_more = (g, call.start_time)
        if call.bare_numbers:
            self.numbered.append((call.start_time, g, call.bare_numbers))
        return g

    def moving_on(self, call: CallFacts) -> bool:
        """Whether the units keying up ``call`` say they are en route after saying they
        were on scene of the incident they are on: a unit goes en route once per
        assignment, so this is a new one whose dispatch went unheard."""
        if call.units_by_ear or call.stage != "en_route" or not call.units:
            return False
        return all(
            u in self.owner
            and self.arrived.get(u) is not None
            and self.find(self.arrived[u]) == self.find(self.owner[u][0])
            for u in call.units
        )

    def answering(self, call: CallFacts, since: dt.datetime, at: list[int]) -> int | None:
        """The incident a commander's call for a second alarm came from, if the alarm
        ``call`` sends answers it (a call for more is answered by the next alarm sent). An
        alarm heard at the places of incidents ``at`` answers only a call from one of them,
        and that call is then answered: the next alarm is not its."""
        if not call.sends_more or self.asked_more is None or self.asked_more[1] < since:
            return None
        g = self.find(self.asked_more[0])
        if at and g not in {self.find(a) for a in at}:
            return None
        self.asked_more = None
        return g

    def unnamed_dispatch(self, unit: str, since: dt.datetime) -> int | None:
        """The latest dispatch since ``since`` that said ``unit``'s number without its kind
        ("65, respond to" for "Engine 65, respond to"), claimed by ``unit`` keying up."""
        number = unit.rpartition(" ")[2]
        for i in range(len(self.numbered) - 1, -1, -1):
            when, g, numbers = self.numbered[i]
            if when >= since and number in numbers:
                del self.numbered[i]
                return self.find(g)
        return None

    def replying(self, call: CallFacts, since: dt.datetime) -> int | None:
        """The incident a unit was sent to since ``since`` and has not spoken on since: its
        first call after a dispatch answers that dispatch, whatever code was heard in it
        (a unit just sent does not go out of service; "10-7, 6" is "10-76" cut up)."""
        if call.units_by_ear or not call.units:
            return None
        sent = [self.awaiting.get(u) for u in call.units]
        if any(t is None or t < since for t in sent) or any(
            u not in self.owner for u in call.units
        ):
            return None
        groups = {self.find(self.owner[u][0]) for u in call.units}
        return groups.pop() if len(groups) == 1 else None

    def plate_checked(self, call: CallFacts, since: dt.datetime) -> int | None:
        """The stop a registration return answers: a unit's own stop announced on the same
        talkgroup since ``since``; the one that said the same plate digits, or else the
        latest (the unit ran the plate as it called the stop in)."""
        stops = [
            (c.start_time, bool(c.digit_runs & call.digit_runs), g)
            for g in self.heard_since(since)
            for c in self.members[g]
            if c.self_initiated and c.talkgroup == call.talkgroup and since <= c.start_time <= call.start_time
        ]
        if not stops:
            return None
        same = [s for s in stops if s[1]]
        return self.find(max(same or stops)[2])

    def misheard_owner(self, unit: str, since: dt.datetime) -> int | None:
        """The incident of a callsign a dispatcher was heard to send that is likely
        ``unit`` misheard ("Medic 8" for Medic 87, "Unit 40" for Unit 14), claimed by
        ``unit`` keying up (its tag, certain) while it is on no incident itself."""
        near = [
            (self.owner[k][1], k)
            for k in self.by_ear
            if k in self.owner and self.owner[k][1] >= since and misheard_as(unit, k)
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

    def heard_since(self, since: dt.datetime) -> list[int]:
        """Groups heard from since ``since``, oldest first, the active list left as it is
        (``since`` may be later than the place window's start)."""
        return sorted(
            g for g in self.active if g in self.members and self.members[g][-1].start_time >= since
        )


# "fourteen" and "forty" sound alike over a radio; so do the other teens and tens
_TEEN_TY = {f"1{d}": f"{d}0" for d in "3456789"}


def misheard_as(unit: str, heard: str) -> bool:
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
