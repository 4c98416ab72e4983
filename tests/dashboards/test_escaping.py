"""Labels from a source reach the pages as text: no image, link or HTML element of theirs."""

from __future__ import annotations

import json
import re

import pytest
from markdown_it import MarkdownIt

from dashboards.markdown import md
from lake import LakeLocation
from tests.dashboards.conftest import open_app
from tests.dashboards.hostile import HOSTILE, VISIBLE, build_hostile_lake

PARSER = MarkdownIt("commonmark")
ACTIVE = {"image", "link_open", "html_inline", "html_block"}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return build_hostile_lake(LakeLocation(str(tmp_path_factory.mktemp("hostile") / "lake")))


@pytest.fixture
def hostile_env(hostile, monkeypatch):
    lake, uid = hostile
    monkeypatch.setenv("SCANLAKE_LAKE_URI", lake.location.uri)
    for name in ("SCANLAKE_DASHBOARD_AUTH", "SCANLAKE_DASHBOARD_PASSWORD", "DAGSTER_HOME"):
        monkeypatch.delenv(name, raising=False)
    return lake, uid


# remark-gfm's literal autolinks, found in text nodes after escapes are decoded
# (mdast-util-gfm-autolink-literal's patterns)
GFM_AUTOLINK = re.compile(r"(?i)https?://|www\.|[-.\w+]+@[-\w]+(\.[-\w]+)+")


def active_elements(source: str) -> list[str]:
    """The image, link and HTML tokens CommonMark makes of ``source``, plus the literal
    autolinks GitHub-flavoured Markdown (as Streamlit renders it) would make of its text."""
    tokens = [
        t for block in PARSER.parseInline(source, {}) for t in (block, *(block.children or []))
    ]
    found = [t.type for t in tokens if t.type in ACTIVE]
    text = "".join(t.content for t in tokens if t.type == "text")
    return found + [m.group(0) for m in GFM_AUTOLINK.finditer(text)]


def rendered_markdown(at) -> list[str]:
    values = []
    for kind in ("markdown", "caption", "title", "subheader", "error", "info", "warning"):
        values.extend(str(e.value) for e in getattr(at, kind))
    for pills in at.get("button_group"):
        values.extend(o.content for o in pills.proto.options)
    return values


def test_md_escapes_everything_active():
    assert active_elements(HOSTILE)  # the payload is hostile unescaped
    assert active_elements(md(HOSTILE)) == []
    assert PARSER.renderInline(md("a_b *c* `d` :red[e]")) == "a_b *c* `d` :red[e]"


@pytest.mark.parametrize(
    ("page", "query"),
    [
        ("views/live.py", {}),
        ("views/alerts.py", {}),
        ("views/call.py", {"call": "UID"}),
        ("views/incidents.py", {}),
    ],
)
def test_pages_render_hostile_labels_as_text(hostile_env, page, query):
    lake, uid = hostile_env
    at = open_app(page, **{k: v.replace("UID", uid) for k, v in query.items()})
    shown = rendered_markdown(at)
    carrying = [v for v in shown if all(w in v for w in VISIBLE)]
    assert carrying, "the hostile label is not on the page at all"
    for value in shown:
        assert active_elements(value) == [], value


def test_search_hit_renders_hostile_labels_as_text(hostile_env):
    at = open_app("views/search.py")
    at.text_input(key="search_text").input("structure fire onerror").run()
    shown = rendered_markdown(at)
    assert any(all(w in v for w in VISIBLE) for v in shown)
    for value in shown:
        assert active_elements(value) == [], value
    # the highlighted transcript is HTML: its text is escaped
    assert all("<img" not in h.proto.body for h in at.get("html"))


def test_call_id_from_the_url_is_escaped(hostile_env):
    at = open_app("views/call.py", call=HOSTILE)
    assert at.error and all(active_elements(v) == [] for v in rendered_markdown(at))


def test_incidents_page_shows_a_hostile_incident_as_text(hostile_env):
    lake, uid = hostile_env
    at = open_app("views/incidents.py")
    [heading] = at.subheader
    assert all(w in heading.value for w in VISIBLE) and active_elements(heading.value) == []
    assert any(c.value.startswith("Units: ") and "onerror" in c.value for c in at.caption)
    # the incident's map tooltip is HTML: its place and type are escaped there
    [deck] = at.get("deck_gl_json_chart")
    spec = json.loads(deck.proto.json)
    [point] = spec["layers"][0]["data"]
    assert "<img" not in point["place"] and "<img" not in point["precision"]
    assert "&lt;img" in point["place"] and "&lt;img" in point["precision"]
