"""The Call page's correction flow: only a signed-in editor (or admin) can submit; what an
editor writes lands as a request for the asset and shows, escaped, once committed."""

from __future__ import annotations

import pytest
import streamlit as st

from assets.transcripts.corrections import commit_day
from dashboards import data
from lake import LakeLocation, corrections
from lake.objects import ObjectStore
from tests.dashboards.conftest import call_page_as
from tests.dashboards.hostile import HOSTILE
from tests.dashboards.test_escaping import active_elements, rendered_markdown
from tests.fixtures.small_lake import build_small_lake

SUBMIT = "Submit correction"


@pytest.fixture
def editors_env(tmp_path, monkeypatch):
    lake = build_small_lake(LakeLocation(str(tmp_path / "lake")))
    monkeypatch.setenv("SCANLAKE_LAKE_URI", lake.location.uri)
    monkeypatch.setenv("SCANLAKE_MAP_STYLE", "offline")
    monkeypatch.setenv("SCANLAKE_DASHBOARD_PASSWORD", "viewer pass")
    monkeypatch.setenv("SCANLAKE_DASHBOARD_EDITOR_PASSWORD", "editor pass")
    monkeypatch.setenv("SCANLAKE_DASHBOARD_ADMIN_PASSWORD", "admin pass")
    return lake


def form_shown(at) -> bool:
    return bool([e for e in at.expander if "Correct this transcript" in e.label]) or bool(
        [b for b in at.button if b.label == SUBMIT]
    )


def test_corrections_form_is_not_open_to_viewers_or_an_open_app(editors_env, monkeypatch):
    lake = editors_env
    uid = lake.call_uids[0]
    day = lake.start_of[uid].date().isoformat()
    assert not form_shown(call_page_as("viewer pass", uid, day))
    for name in ("SCANLAKE_DASHBOARD_PASSWORD", "SCANLAKE_DASHBOARD_EDITOR_PASSWORD", "SCANLAKE_DASHBOARD_ADMIN_PASSWORD"):
        monkeypatch.delenv(name)
    assert not form_shown(call_page_as(None, uid, day))  # auth off: nobody edits
    assert corrections.pending(ObjectStore(lake.location)) == []


@pytest.mark.parametrize("password", ["editor pass", "admin pass"])
def test_corrections_by_an_editor_land_and_show_escaped(editors_env, password):
    lake = editors_env
    uid = lake.call_uids[0]
    day = lake.start_of[uid].date()
    at = call_page_as(password, uid, day.isoformat())
    assert form_shown(at)
    text = f"Engine 12 at 1220 Oak Street {HOSTILE}"
    at.text_area(key="correction_text").input(text)
    at.text_input(key="correction_note").input("misheard street")
    [button] = [b for b in at.button if b.label == SUBMIT]
    button.click().run()
    assert not at.exception
    assert any("version 1" in s.value for s in at.success)

    store = ObjectStore(lake.location)
    [key] = corrections.pending(store, day)
    request = corrections.read(store, key)
    assert request is not None and request.text == text and request.note == "misheard street"
    assert request.editor == f"dashboard:{password.split()[0]}@local" and request.base_version == 0
    commit_day(lake.location, store, day)
    # what a later visit sees once the page's cache and pinned snapshots age out
    st.cache_data.clear()
    data.forget_lake()

    at = call_page_as(password, uid, day.isoformat())
    assert any("Corrected transcript" in m.value for m in at.markdown)
    assert all(active_elements(v) == [] for v in rendered_markdown(at))
    # the next edit builds on the committed version
    assert at.text_area(key="correction_text").value == text
