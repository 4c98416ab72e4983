"""Who gets in: the OIDC allowlist on every page, and the throttle on password guessing."""

from __future__ import annotations

import pytest

from dashboards.access import Allowlist, FailureThrottle, Limit
from tests.dashboards.conftest import open_app
from tests.dashboards.test_auth import PAGES, assert_no_data

ALICE = {"is_logged_in": True, "email": "alice@county.gov", "email_verified": True, "name": "Alice"}
MALLORY = {"is_logged_in": True, "email": "mallory@gmail.com", "email_verified": True}


@pytest.fixture
def oidc(app_env, monkeypatch):
    monkeypatch.setenv("SCANLAKE_DASHBOARD_AUTH", "oidc")
    monkeypatch.setenv("SCANLAKE_DASHBOARD_ALLOWED_DOMAINS", "county.gov")
    return app_env


@pytest.mark.parametrize("page", PAGES)
def test_oidc_user_outside_the_allowlist_sees_no_page(oidc, page):
    uid = oidc.call_uids[0]
    at = open_app(page, user=MALLORY, call=uid, date=oidc.start_of[uid].date().isoformat())
    assert_no_data(at, oidc)
    assert "not allowed" in at.error[0].value
    assert [b.label for b in at.button] == ["Log out"]


def test_oidc_user_inside_the_allowlist_sees_every_page(oidc):
    for page in PAGES[1:]:
        at = open_app(page, user=ALICE)
        assert not at.error, page
        assert at.title[0].value != "scanlake", page
    at = open_app("views/live.py", user=ALICE)
    assert at.get("audio")


def test_oidc_unverified_email_is_refused(oidc):
    at = open_app("views/live.py", user=ALICE | {"email_verified": False})
    assert_no_data(at, oidc)


def test_oidc_groups_claim(app_env, monkeypatch):
    monkeypatch.setenv("SCANLAKE_DASHBOARD_AUTH", "oidc")
    monkeypatch.setenv("SCANLAKE_DASHBOARD_ALLOWED_GROUPS", "dispatch-analysts")
    monkeypatch.setenv("SCANLAKE_DASHBOARD_GROUPS_CLAIM", "roles")
    assert_no_data(open_app("views/live.py", user=MALLORY | {"groups": ["dispatch-analysts"]}), app_env)
    at = open_app("views/live.py", user=MALLORY | {"roles": ["staff", "Dispatch-Analysts"]})
    assert at.get("audio")


def test_allowlist_rules():
    rules = Allowlist.of(emails=["Bob@Press.org"], domains=["@county.gov"], groups=["ops"])
    assert rules.admits({"email": "bob@press.org"})
    assert rules.admits({"email": "x@county.gov"})
    assert not rules.admits({"email": "x@sub.county.gov"})
    assert not rules.admits({"email": "x@evilcounty.gov"})
    assert not rules.admits({"email": "x@county.gov", "email_verified": False})
    assert rules.admits({"groups": "staff,ops"}) and not rules.admits({"groups": ["staff"]})
    assert not Allowlist().admits({"email": "x@county.gov"})


def wrong_password(at) -> None:
    at.text_input[0].input("wrong horse")
    at.button[0].click().run()


def test_password_attempts_are_throttled_per_session(app_env, monkeypatch):
    monkeypatch.setenv("SCANLAKE_DASHBOARD_PASSWORD", "correct horse")
    monkeypatch.setenv("SCANLAKE_DASHBOARD_MAX_FAILURES", "3")
    at = open_app()
    for _ in range(3):
        wrong_password(at)
        assert [e.value for e in at.error] == ["Wrong password."]
    # the right password is refused too while the session is throttled
    at.text_input[0].input("correct horse")
    at.button[0].click().run()
    assert "Too many failed attempts" in at.error[0].value
    assert_no_data(at, app_env)


def test_new_sessions_do_not_reset_the_count(app_env, monkeypatch):
    monkeypatch.setenv("SCANLAKE_DASHBOARD_PASSWORD", "correct horse")
    monkeypatch.setenv("SCANLAKE_DASHBOARD_MAX_FAILURES", "2")
    # Each AppTest is a new session from the same (local) client: the client limit is 4.
    for _ in range(2):
        at = open_app()
        for _ in range(2):
            wrong_password(at)
            assert [e.value for e in at.error] == ["Wrong password."]
    at = open_app()
    wrong_password(at)
    assert "Too many failed attempts" in at.error[0].value


def test_throttle_keys_and_window():
    now = [0.0]
    gate = FailureThrottle(
        {"session": Limit(2, 60), "client": Limit(3, 60), "global": Limit(5, 60)}, clock=lambda: now[0]
    )
    a1 = {"session": "a1", "client": "10.0.0.1", "global": ""}
    a2 = {"session": "a2", "client": "10.0.0.1", "global": ""}
    gate.failed(a1)
    gate.failed(a1)
    assert gate.wait_s(a1) == 60 and gate.wait_s(a2) == 0
    gate.failed(a2)
    assert gate.wait_s(a2) == 60  # the client's third failure
    others = [{"session": f"b{i}", "client": f"10.0.1.{i}", "global": ""} for i in range(2)]
    for keys in others:
        gate.failed(keys)
    fresh = {"session": "c", "client": "10.0.2.1", "global": ""}
    assert gate.wait_s(fresh) == 60  # five failures in all
    now[0] = 30.0
    assert gate.wait_s(fresh) == 30
    now[0] = 60.5
    assert gate.wait_s(a1) == 0 and gate.wait_s(fresh) == 0
    gate.forget_idle()
    assert not gate._failures
