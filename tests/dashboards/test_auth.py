"""With auth on, no page shows lake data to a visitor who has not signed in."""

from __future__ import annotations

import pytest

from dashboards.auth import password_matches
from tests.dashboards.conftest import open_app
from tests.fixtures.small_lake import SCENARIOS

PAGES = [
    None,
    "views/live.py",
    "views/map.py",
    "views/search.py",
    "views/call.py",
    "views/analytics.py",
    "views/health.py",
]


def shown_text(at) -> str:
    parts = []
    for kind in ("markdown", "caption", "title", "subheader", "html", "info", "error", "text"):
        parts.extend(str(e.value) for e in getattr(at, kind))
    return "\n".join(parts)


def assert_no_data(at, app_env) -> None:
    assert not at.get("audio") and not at.dataframe and not at.metric
    assert not at.get("deck_gl_json_chart") and not at.get("arrow_vega_lite_chart")
    text = shown_text(at)
    assert not any(uid in text for uid in app_env.start_of)
    assert not any(s.text and s.text in text for s in SCENARIOS)


@pytest.mark.parametrize("page", PAGES)
def test_password_auth_shows_only_the_sign_in_page(app_env, monkeypatch, page):
    monkeypatch.setenv("SCANLAKE_DASHBOARD_PASSWORD", "correct horse")
    uid = app_env.call_uids[0]
    at = open_app(page, call=uid, date=app_env.start_of[uid].date().isoformat())
    assert_no_data(at, app_env)
    assert [t.label for t in at.text_input] == ["Password"]
    assert at.text_input[0].proto.type == at.text_input[0].proto.PASSWORD


def test_password_sign_in_and_out(app_env, monkeypatch):
    monkeypatch.setenv("SCANLAKE_DASHBOARD_PASSWORD", "correct horse")
    at = open_app()
    at.text_input[0].input("wrong horse")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["Wrong password."]
    assert_no_data(at, app_env)
    at.text_input[0].input("correct horse")
    at.button[0].click().run()
    assert not at.exception and at.title[0].value == "Live calls"
    assert at.get("audio")
    at.switch_page("views/analytics.py").run()
    assert at.metric and at.title[0].value == "Analytics"
    at.sidebar.button[0].click().run()  # sign out
    assert_no_data(at, app_env)
    assert [t.label for t in at.text_input] == ["Password"]


def test_oidc_auth_asks_to_log_in(app_env, monkeypatch):
    monkeypatch.setenv("SCANLAKE_DASHBOARD_AUTH", "oidc")
    monkeypatch.setenv("SCANLAKE_DASHBOARD_ALLOWED_DOMAINS", "example.org")
    for page in PAGES:
        at = open_app(page)
        assert_no_data(at, app_env)
        assert [b.label for b in at.button] == ["Log in"]


# oidc without an allowlist would admit anyone the identity provider knows
@pytest.mark.parametrize("auth", ["password", "bogus", "oidc"])
def test_misconfigured_auth_fails_closed(app_env, monkeypatch, auth):
    monkeypatch.setenv("SCANLAKE_DASHBOARD_AUTH", auth)
    at = open_app("views/live.py")
    assert_no_data(at, app_env)
    assert "misconfigured" in at.error[0].value


def test_password_comparison():
    assert password_matches("s3cret", "s3cret")
    assert not password_matches("s3cret ", "s3cret") and not password_matches("", "s3cret")
