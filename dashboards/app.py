"""scanlake's Streamlit app: live calls, map, incidents, search, alerts, call detail, analytics and
pipeline health over the lake named by ``SCANLAKE_LAKE_URI``.

Run it with ``scanlake dashboard`` or ``streamlit run dashboards/app.py``; settings are
described in ``dashboards/settings.py``.
"""

from __future__ import annotations

import streamlit as st

from dashboards import auth
from dashboards.settings import AuthMisconfigured, DashboardSettings

st.set_page_config(page_title="scanlake", page_icon=":material/radio:", layout="wide")

PAGES = [
    st.Page("views/live.py", title="Live", icon=":material/podcasts:", default=True),
    st.Page("views/map.py", title="Map", icon=":material/map:"),
    st.Page("views/incidents.py", title="Incidents", icon=":material/emergency:"),
    st.Page("views/search.py", title="Search", icon=":material/search:"),
    st.Page("views/alerts.py", title="Alerts", icon=":material/notifications_active:"),
    st.Page("views/call.py", title="Call detail", icon=":material/call:"),
    st.Page("views/analytics.py", title="Analytics", icon=":material/monitoring:"),
    st.Page("views/health.py", title="Pipeline health", icon=":material/health_and_safety:"),
]

try:
    settings = DashboardSettings.from_env()
except AuthMisconfigured as exc:
    # Fail closed: a broken auth setting must not fall back to an open app.
    st.error(f"The dashboard's sign-in is misconfigured: {exc}")
    st.stop()

if auth.signed_in(settings):
    st.session_state["settings"] = settings
    auth.account_sidebar(settings)
    st.navigation(PAGES).run()
else:
    st.session_state.pop("settings", None)
    st.navigation(
        [st.Page(lambda: auth.sign_in_page(settings), title="Sign in", url_path="sign-in")],
        position="hidden",
    ).run()
