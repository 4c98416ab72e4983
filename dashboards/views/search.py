"""Search: full-text search over transcripts. Words must all occur; "quoted phrases" must
occur as written. Each hit plays from the moment its first phrase is spoken."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import data, widgets
from dashboards.markdown import md
from lake.queries import EmptySearch

lake = widgets.current_lake()
st.title("Search transcripts")
window = widgets.window_picker("search_window", default="Last 7 days")
limit = st.sidebar.slider("Results", 5, 100, 20, step=5)
text = st.text_input(
    "Search", key="search_text", placeholder='e.g. "structure fire" oak', max_chars=200
)

if text.strip():
    try:
        hits = data.query("search_calls", lake, text, window, limit=limit)
    except EmptySearch:
        st.warning("Type a word to search for.")
        st.stop()
    st.caption(f"{len(hits)} calls match, best first")
    if hits.empty:
        st.info("No transcript in this window contains all of that.")
    for hit in hits.itertuples(index=False):
        with st.container(border=True):
            st.markdown(
                f"**{md(hit.talkgroup_name)}** · {md(hit.agency)} · "
                f"{widgets.when(hit.start_time)} · score {hit.score:.2f} · model {md(hit.model_id)}"
            )
            st.html(f"<p class='scanlake-hit'>{widgets.highlighted(hit.text, list(hit.spans))}</p>")
            # no timed words (an older transcript without them): play from the start
            start = float(hit.hit_start_s) if pd.notna(hit.hit_start_s) else 0.0
            st.caption(f"first hit at {start:.1f} s")
            widgets.player(lake, hit.audio_key, start_s=start)
            widgets.call_link(hit.call_uid, hit.call_date)
else:
    st.info('Search words (all must occur) and "quoted phrases" in call transcripts.')
