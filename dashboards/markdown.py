"""Text that came from a source (talkgroup labels, system names, unit aliases, transcripts,
anything an upload or a recorder's JSON can set) made safe to put inside Streamlit Markdown.

Streamlit renders ``st.markdown``, ``st.caption``, ``st.write`` of a string, headers and
pill labels as GitHub-flavoured Markdown: a label such as ``![x](http://host/x.png)`` would
load an image (a tracking pixel) in every viewer's browser, and ``[click](javascript:...)``
a link. Every ASCII punctuation character may be backslash-escaped in CommonMark, so
escaping all of them leaves nothing for the parser to build an image, link, autolink, HTML
tag, heading, list, table, code span or formula from; the reader sees the text as it was.

Escapes are not enough for GitHub's literal autolinks (``http://...``, ``www.``, an email):
remark-gfm finds those in the text after escapes are decoded. A WORD JOINER (U+2060,
invisible, not a space) after the scheme, after ``www`` and after ``@`` breaks its patterns.
"""

from __future__ import annotations

import re

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_SPACE = re.compile(r"\s+")
_AUTOLINK = re.compile(r"(?i)(https?|ftp|mailto|xmpp)(?=:)|\b(www)(?=\.)|(@)")
JOINER = "\u2060"


def md(value: object) -> str:
    """``value`` as Markdown that renders as its text on one line (with invisible joiners
    where a link would otherwise form)."""
    if value is None:
        return ""
    text = _AUTOLINK.sub(lambda m: m.group(0) + JOINER, _SPACE.sub(" ", str(value)).strip())
    return _PUNCTUATION.sub(r"\\\1", text)
