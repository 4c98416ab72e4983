"""Who may see the app. Off in the demo; when configured, every page is replaced by a sign-in
page until the visitor signs in (Streamlit OIDC via ``st.login``, admitted only by the
allowlist, or a shared password from ``SCANLAKE_DASHBOARD_PASSWORD``), so no query runs for
a visitor who is not signed in. ``app.py`` asks on every script run, so every page and every
rerun is checked, not only the first.

Failed passwords are throttled per session, per client address and for everyone together
(``dashboards.access.FailureThrottle``): a new session does not reset a guesser's count.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid

import streamlit as st

from dashboards.access import FailureThrottle, Limit
from dashboards.markdown import md
from dashboards.settings import DashboardSettings, failure_limits

_SIGNED_IN = "scanlake_signed_in"
_ROLE = "scanlake_role"
_ATTEMPTS_ID = "scanlake_attempts_id"


def password_matches(given: str, expected: str) -> bool:
    # Compare digests in constant time, so response time says nothing about the password.
    return hmac.compare_digest(
        hashlib.sha256(given.encode()).digest(), hashlib.sha256(expected.encode()).digest()
    )


def throttle() -> FailureThrottle:
    """The process-wide throttle for the configured limits."""
    return _throttle(tuple(sorted(failure_limits().items())))


@st.cache_resource(show_spinner=False)
def _throttle(limits: tuple[tuple[str, Limit], ...]) -> FailureThrottle:
    # A resource cache, not a module global: Streamlit re-imports a page's modules when
    # their source changes, which would forget every failure.
    return FailureThrottle(dict(limits))


def reset_throttles() -> None:
    """Forget every failed attempt (tests; an operator restarting the app does the same)."""
    _throttle.clear()


def client_address() -> str:
    ip = st.context.ip_address
    return ip if isinstance(ip, str) and ip else "local"


def attempt_keys() -> dict[str, str]:
    """The keys a password attempt is counted under. Streamlit reports no address for a
    local client (and a reverse proxy's own address for every client behind it), so those
    share one client count."""
    session = st.session_state.setdefault(_ATTEMPTS_ID, uuid.uuid4().hex)
    return {
        "session": session,
        "client": client_address(),
        "global": "",
    }


def _user() -> dict[str, object]:
    return st.user.to_dict()


def signed_in(settings: DashboardSettings) -> bool:
    if settings.auth == "none":
        return True
    if settings.auth == "oidc":
        user = _user()
        return bool(user.get("is_logged_in", False)) and settings.allowlist.admits(user)
    return bool(st.session_state.get(_SIGNED_IN, False))


def is_admin(settings: DashboardSettings) -> bool:
    """Whether the signed-in visitor may redact calls. Nobody is, with auth off."""
    if not signed_in(settings) or settings.auth == "none":
        return False
    if settings.auth == "oidc":
        email = _user().get("email")
        verified = _user().get("email_verified") is not False
        return verified and isinstance(email, str) and email.lower() in settings.admin_emails
    return st.session_state.get(_ROLE) == "admin"


def is_editor(settings: DashboardSettings) -> bool:
    """Whether the signed-in visitor may correct transcripts: an editor or an admin. Nobody
    is, with auth off (an open demo must not take edits from anyone who finds it)."""
    if not signed_in(settings) or settings.auth == "none":
        return False
    if is_admin(settings):
        return True
    if settings.auth == "oidc":
        email = _user().get("email")
        verified = _user().get("email_verified") is not False
        return verified and isinstance(email, str) and email.lower() in settings.editor_emails
    return st.session_state.get(_ROLE) == "editor"


def actor(settings: DashboardSettings) -> str:
    """Who is acting, for the audit trail."""
    if settings.auth == "oidc":
        return f"dashboard:{_user().get('email')}"
    where = client_address()
    return f"dashboard:{st.session_state.get(_ROLE, 'anonymous')}@{where}"


def sign_in_page(settings: DashboardSettings) -> None:
    """The only page a visitor who is not signed in can reach."""
    st.title("scanlake")
    if settings.auth == "oidc":
        user = _user()
        if user.get("is_logged_in"):
            st.error("This account is not allowed to see this app. Ask an administrator.")
            st.button("Log out", on_click=st.logout)
            return
        st.write("Sign in to see radio traffic.")
        provider = settings.oidc_provider
        st.button("Log in", on_click=st.login, args=(provider,) if provider else ())
        return
    st.write("Sign in to see radio traffic.")
    with st.form("sign_in"):
        given = st.text_input("Password", type="password")
        if st.form_submit_button("Sign in"):
            _try_password(settings, given)


def _try_password(settings: DashboardSettings, given: str) -> None:
    keys, gate = attempt_keys(), throttle()
    wait = gate.wait_s(keys)
    if wait > 0:
        # Refused before comparing: a throttled guess learns nothing, right or wrong.
        st.error(f"Too many failed attempts. Try again in {wait:.0f} s.")
        return
    role = None
    if settings.admin_password and password_matches(given, settings.admin_password):
        role = "admin"
    elif settings.editor_password and password_matches(given, settings.editor_password):
        role = "editor"
    elif settings.password and password_matches(given, settings.password):
        role = "viewer"
    if role is None:
        gate.failed(keys)
        st.error("Wrong password.")
        return
    gate.succeeded(keys)
    st.session_state[_SIGNED_IN] = True
    st.session_state[_ROLE] = role
    st.rerun()


def account_sidebar(settings: DashboardSettings) -> None:
    if settings.auth == "none":
        return
    if settings.auth == "oidc":
        user = _user()
        st.sidebar.caption(f"Signed in as {md(user.get('email') or user.get('name') or 'user')}")
        st.sidebar.button("Log out", on_click=st.logout)
    elif st.sidebar.button("Sign out"):
        st.session_state[_SIGNED_IN] = False
        st.session_state.pop(_ROLE, None)
        st.rerun()
