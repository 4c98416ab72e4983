"""Text that came from a source (talkgroup labels, system names, unit aliases, transcripts,
anything an upload or a recorder's JSON can set) made safe to put inside Streamlit Markdown.

Streamlit renders ``st.markdown``, ``st.caption``, ``st.write`` of a string, headers and
pill labels as GitHub-flavoured Markdown: a label such as ``![x](http://host/x.png)`` would
load an image (a tracking pixel) in every viewer's browser, and ``[click](javascript:...)``
a link. Every ASCII punctuation character may be backslash-escaped in CommonMark, so
escaping all of them leaves nothing for the parser to build an image, link, autolink, HTML
tag, heading, list, table, code span or formula from; the reader sees the text as it was.
"""

from __future__ import annotations

import re

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_SPACE = re.compile(r"\s+")


def md(value: object) -> str:
    """``value`` as Markdown that renders as exactly its text, on one line."""
    if value is None:
        return ""
    return _PUNCTUATION.sub(r"\\\1", _SPACE.sub(" ", str(value)).strip())
