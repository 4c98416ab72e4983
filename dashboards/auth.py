"""Who may see the app. Off in the demo; when configured, every page is replaced by a sign-in
page until the visitor signs in (Streamlit OIDC via ``st.login``, or a shared password from
``SCANLAKE_DASHBOARD_PASSWORD``), so no query runs for a visitor who is not signed in."""

from __future__ import annotations

import hashlib
import hmac

import streamlit as st

from dashboards.settings import DashboardSettings

_SIGNED_IN = "scanlake_signed_in"


def password_matches(given: str, expected: str) -> bool:
    # Compare digests in constant time, so response time says nothing about the password.
    return hmac.compare_digest(
        hashlib.sha256(given.encode()).digest(), hashlib.sha256(expected.encode()).digest()
    )


def signed_in(settings: DashboardSettings) -> bool:
    if settings.auth == "none":
        return True
    if settings.auth == "oidc":
        return bool(st.user.get("is_logged_in", False))
    return bool(st.session_state.get(_SIGNED_IN, False))


def sign_in_page(settings: DashboardSettings) -> None:
    """The only page a visitor who is not signed in can reach."""
    st.title("scanlake")
    st.write("Sign in to see radio traffic.")
    if settings.auth == "oidc":
        provider = settings.oidc_provider
        st.button("Log in", on_click=st.login, args=(provider,) if provider else ())
        return
    with st.form("sign_in"):
        given = st.text_input("Password", type="password")
        if st.form_submit_button("Sign in"):
            if settings.password and password_matches(given, settings.password):
                st.session_state[_SIGNED_IN] = True
                st.rerun()
            st.error("Wrong password.")


def account_sidebar(settings: DashboardSettings) -> None:
    if settings.auth == "none":
        return
    if settings.auth == "oidc":
        st.sidebar.caption(f"Signed in as {st.user.get('email') or st.user.get('name') or 'user'}")
        st.sidebar.button("Log out", on_click=st.logout)
    elif st.sidebar.button("Sign out"):
        st.session_state[_SIGNED_IN] = False
        st.rerun()
