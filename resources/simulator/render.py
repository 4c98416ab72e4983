"""One planned call to audio bytes, trunk-recorder metadata and its ground-truth row.

A pure function of the plan and the seed: the call's own generator (seeded by the
simulation seed and the call's index) drives the voices' variation, the noise and every
channel effect, so a call renders the same alone, in a pool or in another run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from resources.calls import CallMeta, FreqHop, Unit
from resources.simulator import radio, voices
from resources.simulator.catalog import SYSTEM
from resources.simulator.encode import m4a_bytes, wav_bytes
from resources.simulator.script import words_of
from resources.simulator.traffic import PlannedCall

_SR = radio.WORK_RATE


@dataclass(frozen=True)
class RenderedCall:
    meta: CallMeta
    audio: bytes
    audio_ext: str
    truth: dict[str, object]  # a ground-truth row, less audio_path (known once written)


def _rng(seed: int, index: int) -> np.random.Generator:
    return np.random.default_rng([seed & 0xFFFFFFFF, index])


def _speak(
    call: PlannedCall, rng: np.random.Generator
) -> tuple[np.ndarray, list[dict[str, object]], list[dict[str, object]]]:
    """The call's turns one after another at the working rate, each at its own level,
    with the words and segments placed on the call's clock."""
    pieces = [np.zeros(int(_SR * rng.uniform(0.15, 0.45)), np.float32)]  # key-up before speech
    t = len(pieces[0]) / _SR
    words: list[dict[str, object]] = []
    segments: list[dict[str, object]] = []
    for k, u in enumerate(call.utterances):
        if k:
            gap = np.zeros(int(_SR * rng.uniform(0.35, 0.9)), np.float32)
            pieces.append(gap)
            t += len(gap) / _SR
        speech = voices.speak(u.voice, u.text, rng)
        x = radio.resample(speech.audio, speech.sample_rate, _SR) * float(rng.uniform(0.55, 1.0))
        words += [
            {
                "word": w.word,
                "start_s": t + w.start_s,
                "end_s": t + w.end_s,
                "estimated": w.estimated,
                "segment": k,
            }
            for w in speech.words
        ]
        segments.append(
            {
                "speaker": u.speaker,
                "radio_id": u.radio_id,
                "voice": u.voice,
                "word_times": speech.word_times,
                "start_s": t,
                "end_s": t + len(x) / _SR,
                "text": u.text,
            }
        )
        pieces.append(x.astype(np.float32))
        t += len(x) / _SR
    if not call.utterances:  # a key-up with nothing said
        pieces.append(np.zeros(int(_SR * rng.uniform(0.8, 2.5)), np.float32))
    pieces.append(np.zeros(int(_SR * rng.uniform(0.1, 0.3)), np.float32))
    return np.concatenate(pieces), words, segments


def _channel(
    call: PlannedCall, speech: np.ndarray, words: list[dict[str, object]], rng: np.random.Generator
) -> tuple[np.ndarray, float, float]:
    """Band limit, decode damage, hiss, squelch tail, level and overdrive."""
    x = radio.band_limit(speech, _SR)
    garbled_ratio = 0.0
    if call.is_garbled:
        x, garbled_ratio = radio.garble(x, _SR, rng)
    if words and call.snr_db is not None:
        span = (int(float(words[0]["start_s"]) * _SR), int(float(words[-1]["end_s"]) * _SR))  # type: ignore[arg-type]
        x, _ = radio.add_noise(x, span, call.snr_db, _SR, rng)
        peak = float(np.max(np.abs(x[span[0] : span[1]]))) or 1.0
        x = x / peak * 10 ** (rng.uniform(-9.0, -1.0) / 20)
    else:  # silence: only the receiver's hiss, well down
        x = radio.band_noise(len(x), _SR, rng) * 10 ** (rng.uniform(-52.0, -40.0) / 20)
    if rng.random() < 0.7:
        level = (
            min(0.5, np.sqrt(radio.power(x)) * rng.uniform(1.5, 4.0)) if words else 10 ** (-20 / 20)
        )
        x = np.concatenate([x, radio.squelch_tail(_SR, rng, float(level))])
    clipped_ratio = 0.0
    if call.clip_gain_db:
        x, clipped_ratio = radio.clip(x, call.clip_gain_db)
    return np.clip(x, -1.0, 1.0), clipped_ratio, garbled_ratio


def _entities(
    call: PlannedCall, words: list[dict[str, object]]
) -> tuple[str, str, list[dict[str, object]]]:
    """The call's text (turns joined by a space) and its entities, spans shifted to it and
    timed by the words they cover."""
    spoken, written, entities = "", "", []
    token_spans: list[tuple[int, int]] = []
    for u in call.utterances:
        base = len(spoken) + (1 if spoken else 0)
        spoken = f"{spoken} {u.text}" if spoken else u.text
        written = f"{written} {u.written}" if written else u.written
        pos = base
        for token in u.text.split():
            start = spoken.index(token, pos)
            pos = start + len(token)
            if token.strip(",.?!;:"):
                lead = len(token) - len(token.lstrip(",.?!;:"))
                token_spans.append((start + lead, start + lead + len(token.strip(",.?!;:"))))
        for e in u.entities:
            s, t = base + e.start_char, base + e.end_char
            covered = [i for i, (a, b) in enumerate(token_spans) if a >= s and b <= t]
            entities.append(
                {
                    "label": e.label,
                    "text": e.text,
                    "normalized": e.normalized,
                    "start_char": s,
                    "end_char": t,
                    "start_s": round(float(words[covered[0]]["start_s"]), 4) if covered else None,  # type: ignore[arg-type]
                    "end_s": round(float(words[covered[-1]]["end_s"]), 4) if covered else None,  # type: ignore[arg-type]
                    "lat": e.lat,
                    "lon": e.lon,
                }
            )
    if len(token_spans) != len(words) or words_of(spoken) != [w["word"] for w in words]:
        raise AssertionError(
            f"call {call.index}: the voices' words do not match the text {spoken!r}"
        )
    return spoken, written, entities


def render(call: PlannedCall, seed: int) -> RenderedCall:
    rng = _rng(seed, call.index)
    speech, words, segments = _speak(call, rng)
    audio, clipped_ratio, garbled_ratio = _channel(call, speech, words, rng)
    spoken, written, entities = _entities(call, words)
    out = radio.to_pcm16(radio.resample(audio, _SR, call.sample_rate))
    data = (
        wav_bytes(out, call.sample_rate)
        if call.audio_ext == "wav"
        else m4a_bytes(out, call.sample_rate)
    )
    duration = len(out) / call.sample_rate
    tg = call.talkgroup
    meta = CallMeta(
        system=SYSTEM,
        talkgroup=tg.tgid,
        start_time=call.start_time,
        duration_s=duration,
        stop_time=call.start_time + dt.timedelta(milliseconds=round(duration * 1000)),
        freq_hz=call.freq_hz,
        emergency=call.emergency,
        talkgroup_tag=tg.alpha_tag,
        talkgroup_description=tg.description,
        talkgroup_group=tg.group,
        talkgroup_group_tag=tg.tag,
        audio_type="digital",
        units=tuple(
            Unit(
                int(s["radio_id"]), str(s["speaker"]), round(float(s["start_s"]), 2), call.emergency
            )  # type: ignore[arg-type]
            for s in segments
        )
        or (Unit(tg.dispatcher_radio, None, 0.0),),
        freqs=(FreqHop(call.freq_hz, 0.0, round(duration, 2), int(garbled_ratio * 100), 0),),
    )
    truth: dict[str, object] = {
        "call_uid": meta.call_uid,
        "call_index": call.index,
        "system": SYSTEM,
        "talkgroup": tg.tgid,
        "talkgroup_tag": tg.alpha_tag,
        "talkgroup_group": tg.group,
        "start_time": call.start_time,
        "duration_s": duration,
        "audio_ext": call.audio_ext,
        "sample_rate_hz": call.sample_rate,
        "spoken_text": spoken,
        "written_text": written,
        "is_silent": call.is_silent,
        "is_garbled": call.is_garbled,
        "is_clipped": clipped_ratio > 0,
        "snr_db": call.snr_db,
        "clipped_ratio": clipped_ratio,
        "garbled_ratio": garbled_ratio,
        "emergency": call.emergency,
        "incident_id": call.incident_id or None,
        "incident_type": call.incident_type or None,
        "entities": entities,
        "words": [
            {
                **w,
                "start_s": round(float(w["start_s"]), 4),  # type: ignore[arg-type]
                "end_s": round(float(w["end_s"]), 4),
            }
            for w in words
        ],  # type: ignore[arg-type]
        "segments": segments,
    }
    return RenderedCall(meta, data, call.audio_ext, truth)
