"""The Call page's redaction: only an admin sees it, and it removes the call for good."""

from __future__ import annotations

import pytest

from lake import LakeLocation, delta
from lake.tables import RAW_CALLS, REDACTIONS
from tests.dashboards.conftest import call_page_as, open_app
from tests.lake.planted import WORD, plant, stored_with


@pytest.fixture
def planted_env(tmp_path, monkeypatch):
    location = LakeLocation(str(tmp_path / "lake"))
    lake, uid, audio = plant(location)
    monkeypatch.setenv("SCANLAKE_LAKE_URI", location.uri)
    monkeypatch.setenv("SCANLAKE_DASHBOARD_PASSWORD", "viewer pass")
    monkeypatch.setenv("SCANLAKE_DASHBOARD_ADMIN_PASSWORD", "admin pass")
    return location, lake, uid, audio


def test_viewer_cannot_redact(planted_env):
    location, lake, uid, _ = planted_env
    at = call_page_as("viewer pass", uid, lake.start_of[uid].date().isoformat())
    assert not [e for e in at.expander if "Redact" in e.label]
    assert not [b for b in at.button if b.label == "Redact"]


def test_admin_redacts_a_call_from_the_call_page(planted_env):
    location, lake, uid, audio = planted_env
    at = call_page_as("admin pass", uid, lake.start_of[uid].date().isoformat())
    at.text_input(key="redact_reason").input("family asked")
    at.checkbox(key="redact_confirm").check()
    at.run()
    [button] = [b for b in at.button if b.label == "Redact"]
    button.click().run()
    assert not at.exception
    assert any("Redacted" in s.value for s in at.success)
    assert at.error and "in the lake" in at.error[0].value  # the page no longer finds it
    assert stored_with(location, WORD, audio) == []
    assert uid not in delta.read(location, RAW_CALLS, columns=["call_uid"]).column("call_uid").to_pylist()
    [audit] = delta.read(location, REDACTIONS).to_pylist()
    assert audit["requested_by"] == "dashboard:admin@local" and audit["reason"] == "family asked"


def test_an_admin_password_alone_turns_sign_in_on(app_env, monkeypatch):
    from tests.dashboards.test_auth import assert_no_data

    monkeypatch.setenv("SCANLAKE_DASHBOARD_ADMIN_PASSWORD", "admin pass")
    at = open_app("views/live.py")
    assert_no_data(at, app_env)
    assert [t.label for t in at.text_input] == ["Password"]
