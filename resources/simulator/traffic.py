"""The plan of a simulated stretch of county traffic: which call goes on which talkgroup
when, who says what, and what the channel does to it. Pure and seeded: the same seed and
start give the same plan, before any audio exists.
"""

from __future__ import annotations

import datetime as dt
import heapq
import random
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from resources.simulator.catalog import TALKGROUPS, Talkgroup, localized
from resources.simulator.gazetteer import DEFAULT_TOWN, build
from resources.simulator.scenarios import SCENARIOS
from resources.simulator.script import Utterance

DEFAULT_START = dt.datetime(2026, 11, 2, 14, 0, tzinfo=dt.UTC)  # 08:00 in the county
VOICE_FREQS_HZ = (
    851_012_500,
    851_437_500,
    851_862_500,
    852_287_500,
    852_712_500,
    853_137_500,
    853_562_500,
)
SILENT_SHARE = 0.03  # key-ups with no speech ("kerchunks")
GARBLED_SHARE = 0.04  # calls whose digital decode fails partway
CLIPPED_SHARE = 0.08
M4A_SHARE = 0.25
WIDEBAND_SHARE = 0.4  # recorded at 16 kHz; the rest at 8 kHz
_CALLS_PER_INCIDENT = 3.2  # the scenarios' mean, to turn a call rate into an incident rate
_SECONDS_PER_WORD = 0.45  # a generous speaking time, to keep a talkgroup's calls apart


@dataclass(frozen=True)
class PlannedCall:
    index: int  # position in time order; with the seed, it seeds the call's audio
    start_time: dt.datetime
    talkgroup: Talkgroup
    utterances: tuple[Utterance, ...]  # empty for a silent call
    incident_id: str
    incident_type: str
    emergency: bool
    is_silent: bool
    is_garbled: bool
    snr_db: float | None
    clip_gain_db: float  # 0: not overdriven
    sample_rate: int
    audio_ext: str
    freq_hz: int


def _estimate_s(utterances: tuple[Utterance, ...]) -> float:
    return 1.5 + sum(len(u.words) * _SECONDS_PER_WORD + 0.9 for u in utterances)


def _channel(rng: random.Random, utterances: tuple[Utterance, ...]) -> dict[str, object]:
    """What the radio path does to one call, drawn when the call is drafted so that a
    call's draw does not depend on how many calls are planned after it."""
    silent = not utterances
    garbled = not silent and rng.random() < GARBLED_SHARE
    dispatch_only = all(u.speaker == "Dispatch" for u in utterances)
    # SNR ranges: a console is clean; a mobile or portable in the field is not; a failing
    # decode is buried.
    if silent:
        snr = None
    elif garbled:
        snr = rng.uniform(0.0, 6.0)
    else:
        snr = rng.uniform(18.0, 35.0) if dispatch_only else rng.uniform(10.0, 30.0)
    return {
        "is_silent": silent,
        "is_garbled": garbled,
        "snr_db": None if snr is None else round(snr, 1),
        "clip_gain_db": round(rng.uniform(6.0, 14.0), 1)
        if not silent and rng.random() < CLIPPED_SHARE
        else 0.0,
        "sample_rate": 16_000 if rng.random() < WIDEBAND_SHARE else 8_000,
        "audio_ext": "m4a" if rng.random() < M4A_SHARE else "wav",
        "freq_hz": rng.choice(VOICE_FREQS_HZ),
    }


def plan(
    calls: int,
    seed: int,
    start: dt.datetime | None = None,
    calls_per_minute: float = 3.0,
    town: str = DEFAULT_TOWN,
) -> list[PlannedCall]:
    """``calls`` calls from ``start`` on, at about ``calls_per_minute``, over the
    talkgroups of simulated county ``town``; incidents unfold over several calls and
    minutes."""
    if calls < 0:
        raise ValueError("calls must be >= 0")
    t0 = (start or DEFAULT_START).astimezone(dt.UTC)
    rng = random.Random(seed)
    gaz = build(town)
    local = ZoneInfo(gaz.area.timezone)
    # (start offset s, talkgroup, utterances, incident id, incident type, emergency, channel)
    drafts: list[
        tuple[float, Talkgroup, tuple[Utterance, ...], str, str, bool, dict[str, object]]
    ] = []
    clock, n_incident, settled = 0.0, 0, 0
    pending: list[float] = []  # draft times not yet behind the clock
    incident_gap = 60.0 * _CALLS_PER_INCIDENT / calls_per_minute
    # Every draft of a later incident falls after its start: once `calls` drafts lie
    # behind the clock, the first `calls` in time order are final.
    while settled < calls:
        clock += rng.expovariate(1.0 / incident_gap)
        n_incident += 1
        scenario = rng.choices([s for s, _ in SCENARIOS], weights=[w for _, w in SCENARIOS])[0]
        at = clock
        for ex in scenario(gaz, rng, (t0 + dt.timedelta(seconds=clock)).astimezone(local)):
            at += ex.delay_s
            drafts.append(
                (
                    at,
                    ex.talkgroup,
                    ex.utterances,
                    f"{seed}-{n_incident}",
                    ex.incident_type,
                    ex.emergency,
                    _channel(rng, ex.utterances),
                )
            )
        if rng.random() < SILENT_SHARE * _CALLS_PER_INCIDENT:
            tg = rng.choice(list(TALKGROUPS.values()))
            drafts.append((clock + rng.uniform(0, 60), tg, (), "", "", False, _channel(rng, ())))
        for d in drafts[len(pending) + settled :]:
            heapq.heappush(pending, d[0])
        while pending and pending[0] <= clock:
            heapq.heappop(pending)
            settled += 1
    drafts.sort(key=lambda d: d[0])
    busy_until: dict[int, float] = {}
    out: list[PlannedCall] = []
    for at, tg, utterances, incident_id, incident_type, emergency, channel in drafts[:calls]:
        # one call at a time on a talkgroup: a later call waits for the earlier to end
        at = max(at, busy_until.get(tg.tgid, -1e9))
        busy_until[tg.tgid] = at + _estimate_s(utterances) + 1.0
        out.append(
            PlannedCall(
                index=0,
                start_time=t0 + dt.timedelta(milliseconds=round(at * 1000)),
                talkgroup=localized(tg, gaz.area.name, gaz.area.towns[0].name),
                utterances=utterances,
                incident_id=incident_id,
                incident_type=incident_type,
                emergency=emergency,
                **channel,  # type: ignore[arg-type]
            )
        )
    out.sort(key=lambda c: (c.start_time, c.talkgroup.tgid))
    return [replace(c, index=i) for i, c in enumerate(out)]
