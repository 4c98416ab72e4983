"""Call detail: the audio, the transcript word by word (pick a word to play from there),
the entities and where the call took place."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboards import admin, corrections, data, geo, passages, widgets
from dashboards.markdown import md
from lake import queries as q

lake = widgets.current_lake()
st.title("Call detail")
admin.show_outcome()
corrections.show_outcome()


def requested_date() -> dt.date | None:
    try:
        return dt.date.fromisoformat(st.query_params.get("date", ""))
    except ValueError:
        return None


call_uid = st.query_params.get("call") or st.text_input("Call id", key="call_uid_input").strip()
if not call_uid:
    st.info("Open a call from the Live, Map or Search page, or paste its id.")
    st.stop()
call_date = requested_date()
detail = data.call_detail(lake, call_uid, call_date)
if detail is None:
    st.error(f"No call {md(call_uid)} in the lake.")
    st.stop()
call_date = widgets.call_params(call_uid, detail["call_date"])["date"]

st.subheader(f"{md(detail['talkgroup_name'])} · {md(detail['agency'])}")
cols = st.columns(4)
cols[0].metric("Start", widgets.when(detail["start_time"])[11:19])
cols[1].metric("Duration", f"{detail['duration_s']:.1f} s")
cols[2].metric("Audio tier", detail["tier"] if isinstance(detail["tier"], str) else "raw only")
cols[3].metric("SNR", f"{detail['snr_db']:.0f} dB" if pd.notna(detail["snr_db"]) else "–")
units = list(detail["unit_names"])
st.caption(
    f"{widgets.when(detail['start_time'])} · {md(detail['system'])} talkgroup {detail['talkgroup']}"
    + (f" · units: {md(', '.join(units))}" if units else "")
    + (" · :red[EMERGENCY]" if detail["emergency"] is True else "")
    + f" · {md(call_uid)}"
)

transcripts = data.query("call_transcripts", lake, call_uid, call_date)
versions = corrections.latest(lake, call_uid, call_date)
corrections.show(versions)
start_s = 0.0
model: str | None = None
if transcripts.empty:
    st.info("Not transcribed yet.")
else:
    models = list(transcripts["model_id"])
    model = st.selectbox("Transcript", models, key="call_model") if len(models) > 1 else models[0]
    words = data.query("call_words", lake, call_uid, model, call_date)
    chosen = transcripts.set_index("model_id").loc[model]
    confidence = f" · confidence {chosen['confidence']:.2f}" if pd.notna(chosen["confidence"]) else ""
    st.caption(f"model {md(model)}{confidence}")
    if words.empty:
        st.markdown(md(chosen["text"]) or "*(no speech)*")
    else:
        text_col, chips_col = st.columns([3, 2])
        with text_col:
            st.markdown("**Transcript**")
            spoken = passages.passages(
                [
                    (w.word, None if pd.isna(w.start_s) else float(w.start_s), q.unit_name(detail, w.unit_id))
                    for w in words.itertuples()
                ]
            )
            for passage in spoken:
                who = f"**{md(passage.unit)}:** " if passage.unit else ""
                st.markdown(who + md(passage.text))
        labels = {
            int(w.word_index): f"{md(w.word)} · {w.start_s:.1f}s" if pd.notna(w.start_s) else md(w.word)
            for w in words.itertuples(index=False)
        }
        with chips_col:
            picked = st.pills(
                "Words (pick one to play from it)",
                list(labels),
                format_func=labels.__getitem__,
                key=f"words_{call_uid}_{model}",
            )
        picked_start = words.set_index("word_index")["start_s"].get(picked) if picked is not None else None
        if pd.notna(picked_start):
            start_s = float(picked_start)
widgets.player(lake, detail["audio_key"], start_s=start_s, autoplay=start_s > 0)

left, right = st.columns(2)
with left:
    st.markdown("**Entities**")
    entities = data.query("call_entities", lake, call_uid, call_date)
    if entities.empty:
        st.caption("none found")
    else:
        st.dataframe(
            entities[["label", "text", "normalized", "start_s", "confidence"]], hide_index=True
        )
with right:
    st.markdown("**Location**")
    places = data.query("call_locations", lake, call_uid, call_date)
    if places.empty:
        st.caption("no place was geocoded")
    else:
        st.pydeck_chart(geo.places_map(places), height=260)
        st.dataframe(places[["place", "precision", "backend", "score"]], hide_index=True)

if len(transcripts) > 1:
    st.markdown("**Every model's transcript**")
    st.dataframe(transcripts[["model_id", "text", "confidence", "flags"]], hide_index=True)

if model is not None:
    machine_text = str(transcripts.set_index("model_id").loc[model]["text"])
    day = pd.Timestamp(detail["call_date"]).date()
    corrections.correct_action(lake, call_uid, day, versions, machine_text, model)
admin.redact_action(lake, call_uid)
