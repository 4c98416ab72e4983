"""The Call page's admin action: redact the call (``lake.redaction``), for signed-in admins
only (``SCANLAKE_DASHBOARD_ADMIN_EMAILS`` with OIDC, ``SCANLAKE_DASHBOARD_ADMIN_PASSWORD``
with password auth)."""

from __future__ import annotations

import streamlit as st

from dashboards import auth, data
from dashboards.markdown import md
from lake.location import LakeLocation
from lake.redaction import NothingToRedact, redact

_OUTCOME = "scanlake_redaction_outcome"


def show_outcome() -> None:
    """The result of the redaction this session just made, shown once."""
    outcome = st.session_state.pop(_OUTCOME, None)
    if outcome:
        st.success(outcome)


def redact_action(lake: LakeLocation, call_uid: str) -> None:
    settings = st.session_state["settings"]
    if not auth.is_admin(settings):
        return
    with st.expander("Redact this call (admin)"):
        st.caption(
            "Deletes the call's audio and every row about it (transcripts, words, entities, "
            "locations, alerts) from the lake and from storage. It cannot be undone; the "
            "redactions table records who did it, when and why."
        )
        reason = st.text_input("Reason", key="redact_reason", max_chars=500)
        sure = st.checkbox("Delete this call for good", key="redact_confirm")
        if st.button("Redact", type="primary", disabled=not (sure and reason.strip())):
            try:
                done = redact(lake, call_uid, auth.actor(settings), reason.strip())
            except NothingToRedact:
                st.error("Nothing of this call is left in the lake.")
                return
            # Cached results and pinned snapshots still hold the call: drop them all.
            st.cache_data.clear()
            data.forget_lake()
            st.session_state[_OUTCOME] = (
                f"Redacted {md(call_uid)}: {sum(done.rows_removed.values())} rows, "
                f"{len(done.objects_removed)} audio objects, audit id {done.redaction_id}."
            )
            st.rerun()
