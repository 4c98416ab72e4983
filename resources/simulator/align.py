"""Word times from a synthesizer's phoneme timing.

Both voices report time per phoneme, not per word, and espeak-ng's phonemizer joins some
short words into one phonetic word ("for a" becomes "fɚɹə", "of the" "ʌvðə"). So the
words are mapped onto the synthesizer's phonetic words (``partition``), and a phonetic
word that holds several words is shared among them in proportion to each word's length
when phonemized alone (``share``). Boundaries inside such a shared word are estimates;
every other boundary is the synthesizer's own.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WordTime:
    word: str
    start_s: float
    end_s: float
    estimated: bool  # the boundary was shared out inside a joined phonetic word


def partition(group_sizes: list[int], word_sizes: list[int]) -> list[int] | None:
    """How many consecutive words each phonetic group holds, so that each group's size is
    closest to the sum of its words' sizes. None when there are more groups than words."""
    g, w = len(group_sizes), len(word_sizes)
    if g > w or g == 0:
        return None
    inf = float("inf")
    # cost[i][j]: best cost of mapping the first i groups onto the first j words
    cost = [[inf] * (w + 1) for _ in range(g + 1)]
    back = [[0] * (w + 1) for _ in range(g + 1)]
    cost[0][0] = 0.0
    prefix = [0]
    for s in word_sizes:
        prefix.append(prefix[-1] + s)
    for i in range(1, g + 1):
        # each remaining group needs at least one word
        for j in range(i, w - (g - i) + 1):
            for k in range(i - 1, j):
                if cost[i - 1][k] == inf:
                    continue
                c = (
                    cost[i - 1][k]
                    + abs(group_sizes[i - 1] - (prefix[j] - prefix[k]))
                    + (j - k - 1) * 0.5
                )
                if c < cost[i][j]:
                    cost[i][j], back[i][j] = c, k
    counts, j = [], w
    for i in range(g, 0, -1):
        k = back[i][j]
        counts.append(j - k)
        j = k
    return counts[::-1]


def share(bounds: list[float], weights: list[int]) -> list[tuple[float, float]]:
    """Split a run of phoneme units among words. ``bounds`` holds the unit boundaries
    (n units, n + 1 times); each word gets whole units in proportion to its weight, or a
    proportional slice of time when there are fewer units than words."""
    n, total = len(bounds) - 1, sum(weights) or len(weights)
    if len(weights) == 1:
        return [(bounds[0], bounds[-1])]
    out: list[tuple[float, float]] = []
    acc = 0
    if n >= len(weights):
        cut_prev = 0
        for i, wgt in enumerate(weights):
            acc += wgt
            remaining = len(weights) - i - 1
            cut = (
                n
                if remaining == 0
                else min(max(round(n * acc / total), cut_prev + 1), n - remaining)
            )
            out.append((bounds[cut_prev], bounds[cut]))
            cut_prev = cut
        return out
    span = bounds[-1] - bounds[0]
    for wgt in weights:
        start = bounds[0] + span * acc / total
        acc += wgt
        out.append((start, bounds[0] + span * acc / total))
    return out
