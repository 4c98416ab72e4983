"""The Call page's corrections: the editor's newest text of the call, its history, and the
form that submits a correction, for signed-in editors and admins only
(``SCANLAKE_DASHBOARD_EDITOR_EMAILS`` with OIDC, ``SCANLAKE_DASHBOARD_EDITOR_PASSWORD`` with
password auth).

The form does not write the table: it leaves a checked request in the object store
(``lake.corrections``), and the ``transcript_corrections`` asset commits it and runs the
layers that read it again. Every text shown here is escaped (``md``); the corrected text is
bounded by the form and checked again by ``CorrectionRequest``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboards import auth, data, widgets
from dashboards.markdown import md
from lake.corrections import (
    MAX_NOTE_CHARS,
    MAX_TEXT_CHARS,
    BadCorrection,
    CorrectionRequest,
    submit,
)
from lake.location import LakeLocation
from lake.objects import ObjectStore

_OUTCOME = "scanlake_correction_outcome"


def latest(lake: LakeLocation, call_uid: str, call_date: dt.date) -> pd.DataFrame:
    """The call's committed corrections, newest first."""
    return data.query("call_corrections", lake, call_uid, call_date)


def show(versions: pd.DataFrame) -> None:
    """The newest corrected text with who and when, and the older versions."""
    if versions.empty:
        return
    top = versions.iloc[0]
    st.markdown("**Corrected transcript**")
    st.markdown(md(top["text"]))
    st.caption(
        f"version {int(top['version'])} by {md(top['editor'])} · {widgets.when(top['edited_at'])}"
        + (f" · {md(top['note'])}" if isinstance(top["note"], str) and top["note"] else "")
        + " · search, places and alerts use this text; it has no word timings"
    )
    if len(versions) > 1:
        with st.expander(f"Earlier versions ({len(versions) - 1})"):
            # st.dataframe shows cell text as text, never as Markdown
            st.dataframe(versions.iloc[1:][["version", "text", "editor", "edited_at", "note"]], hide_index=True)


def show_outcome() -> None:
    outcome = st.session_state.pop(_OUTCOME, None)
    if outcome:
        st.success(outcome)


def correct_action(
    lake: LakeLocation,
    call_uid: str,
    call_date: dt.date,
    versions: pd.DataFrame,
    machine_text: str,
    model_id: str | None,
) -> None:
    """The correction form, shown to editors and admins only."""
    settings = st.session_state["settings"]
    if not auth.is_editor(settings):
        return
    base_version = int(versions.iloc[0]["version"]) if not versions.empty else 0
    base_text = str(versions.iloc[0]["text"]) if not versions.empty else machine_text
    with st.expander("Correct this transcript (editor)"):
        st.caption(
            "Your text replaces the machine's in search, places, incidents and alerts once it "
            "is committed (within a minute); the machine transcript is kept. Every version "
            "is kept with your name and the time."
        )
        with st.form("correction_form"):
            text = st.text_area(
                "Corrected transcript", value=base_text, max_chars=MAX_TEXT_CHARS, key="correction_text"
            )
            note = st.text_input("Note (what was wrong)", max_chars=MAX_NOTE_CHARS, key="correction_note")
            sent = st.form_submit_button("Submit correction")
        if not sent:
            return
        # checked again here: the form's limits are the browser's, not the server's
        if not auth.is_editor(settings):
            st.error("Only editors may correct transcripts.")
            return
        if text.strip() == base_text.strip():
            st.warning("The text is unchanged: nothing to submit.")
            return
        try:
            request = CorrectionRequest.new(
                call_uid, call_date, text, auth.actor(settings), base_text,
                base_version=base_version, base_model_id=model_id, note=note,
            )  # fmt: skip
            submit(ObjectStore(lake), request)
        except BadCorrection as exc:
            st.error(f"Not submitted: {md(exc.detail)}")
            return
        st.session_state[_OUTCOME] = (
            f"Correction submitted as version {base_version + 1} of {md(call_uid)}; "
            "it is committed and re-read within a minute."
        )
        st.rerun()
