"""Pairwise precision and recall of a grouping against the simulator's incident ids.

Every pair of calls that share a true incident is a true pair; every pair placed in one
predicted incident is a predicted pair. Precision is the share of predicted pairs that are
true, recall the share of true pairs that were predicted. Calls without a true incident
(silent key-ups) count in neither set of true pairs; a call the grouping left out is in
no predicted pair.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations


@dataclass(frozen=True)
class PairScore:
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else float("nan")

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else float("nan")


def _pairs(labels: Mapping[str, str]) -> set[tuple[str, str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for call, label in labels.items():
        if label:
            groups[label].append(call)
    return {pair for calls in groups.values() for pair in combinations(sorted(calls), 2)}


def pairwise(truth: Mapping[str, str], predicted: Mapping[str, str]) -> PairScore:
    """``truth`` and ``predicted`` map call -> incident ("" or absent: none)."""
    want, got = _pairs(truth), _pairs(predicted)
    return PairScore(len(want), len(got), len(want & got))


def labels(groups: Iterable[tuple[str, Iterable[str]]]) -> dict[str, str]:
    """(incident id, its calls) pairs as call -> incident id."""
    return {call: gid for gid, calls in groups for call in calls}
