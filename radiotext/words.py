"""What a word is, for every reader of transcript text: search, alert keywords and the
hallucination guards compare words through these functions, so they agree on them.

A word is a run of letters and digits, case-folded, that may hold an apostrophe or a
hyphen between two such runs: "Fire," is ``fire``, "O'Brien's" is ``o'brien's`` and
"10-50" is ``10-50``. Everything else breaks words and is dropped: punctuation, an
apostrophe or hyphen at an edge ("'tis", "--", a piece "-4" of a split "10-4"), dashes
and slashes. The typographic apostrophe (’) is read as "'", since recognizers write
either. Letters are ASCII, as in RE2's ``\\b`` and ``\\w`` (DuckDB's regexp functions),
which the search patterns rely on; no accent is folded.

A hyphenated word is a compound. Search keeps it whole ("10-50" is one phrase word, the
way a dispatcher writes a 10-code); a reader that must also find it spoken apart ("10
50", which is what a recognizer often writes) compares its ``parts``, as alert keywords
do. DuckDB's fts index splits more finely still (its ignore pattern breaks at apostrophes
too), so it can only narrow a search that these words then confirm.

``WORD`` is also valid RE2, for SQL that must read a word the same way (over lower-cased
text with ’ already replaced).
"""

from __future__ import annotations

import re

WORD = r"[0-9a-z]+(?:['-][0-9a-z]+)*"
_WORD = re.compile(WORD)
TYPOGRAPHIC_APOSTROPHE = "\u2019"


def fold(text: str) -> str:
    """Text in the one case and apostrophe the word pattern reads."""
    return text.lower().replace(TYPOGRAPHIC_APOSTROPHE, "'")


def words(text: str) -> list[str]:
    """The words of ``text``, in order."""
    return _WORD.findall(fold(text))


def parts(text: str) -> list[str]:
    """The words of ``text`` with every compound broken at its hyphens: "10-50" and "10 50"
    both give ``["10", "50"]``."""
    return [part for word in words(text) for part in word.split("-")]


def word_key(token: str) -> str:
    """One transcript word (as a recognizer emits it, with its spacing and punctuation)
    as a single comparable key; "" when it holds no word ("...", "-"). A token holding
    two words ("amara.org") keeps them joined, so it still equals itself written alike."""
    return "".join(words(token))
