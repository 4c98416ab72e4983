"""The micro-batch sensors' cursor: what has been requested, and what is known stored.

A sensor must never advance past data that was not stored. So it keeps two things:
the position up to which every call is known to be in ``raw_calls`` (``stored``), and the
batches it has asked runs to ingest but not yet seen succeed (``inflight``). A batch whose
run failed is forgotten, so its calls are found and requested again on the next tick.

Nothing is retried forever: each failure is counted (``attempts``, keyed by the window's
start for a capture folder, by the ref for a queue) with the run's error. Once a key has
failed ``max_attempts`` times, the sensor asks for a run that quarantines its calls as
``retries_exhausted`` with that error instead of ingesting them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum


class BatchState(Enum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@dataclass
class Batch:
    batch_id: str
    max_position: int = 0
    refs: list[str] = field(default_factory=list)
    # how many runs (one per call date) the batch was split into
    runs: int = 1
    requested_at: float = 0.0
    # where the scan started (a capture folder's window is (after, max_position])
    after: int = 0

    def failure_keys(self, ordered: bool) -> list[str]:
        return [str(self.after)] if ordered else list(self.refs)


@dataclass
class IngestCursor:
    stored: int = 0
    inflight: list[Batch] = field(default_factory=list)
    # failed attempts and the last error, per window start or ref
    attempts: dict[str, int] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def exhausted(self, key: str, max_attempts: int) -> str | None:
        """The last error of a key that has failed ``max_attempts`` times, else None."""
        if self.attempts.get(key, 0) < max_attempts:
            return None
        return self.errors.get(key) or "run failed"

    @property
    def requested(self) -> int:
        """Everything up to here is stored or in a running batch."""
        return max([self.stored, *(b.max_position for b in self.inflight)])

    @property
    def inflight_refs(self) -> set[str]:
        return {ref for b in self.inflight for ref in b.refs}

    def settle(
        self, state_of: dict[str, BatchState], ordered: bool = True, errors: dict[str, str] | None = None
    ) -> None:
        """Fold in the outcome of in-flight batches, oldest first.

        Ordered (a position watermark, as for a capture folder): ``stored`` advances only
        through an unbroken prefix of succeeded batches, and a failed batch is dropped with
        every batch after it, so the scan starts again from the failure. Re-ingesting the
        later calls is a no-op, as ingestion deduplicates by call_uid.

        Unordered (a queue of refs, as for the landing zone): each batch stands alone; a
        failed one is dropped, so its refs are eligible again.
        """
        remaining: list[Batch] = []
        for batch in self.inflight:
            state = state_of.get(batch.batch_id, BatchState.RUNNING)
            if state is BatchState.FAILED:
                for key in batch.failure_keys(ordered):
                    self.attempts[key] = self.attempts.get(key, 0) + 1
                    self.errors[key] = (errors or {}).get(batch.batch_id, "run failed")[:1000]
                if ordered:
                    break
                continue
            if state is BatchState.SUCCEEDED and (not ordered or not remaining):
                self.stored = max(self.stored, batch.max_position)
                for key in batch.failure_keys(ordered):
                    self.attempts.pop(key, None)
                    self.errors.pop(key, None)
                continue
            remaining.append(batch)
        self.inflight = remaining

    def add(self, batch: Batch) -> None:
        self.inflight.append(batch)

    def dumps(self) -> str:
        return json.dumps(
            {
                "stored": self.stored,
                "inflight": [
                    {
                        "batch_id": b.batch_id,
                        "max_position": b.max_position,
                        "refs": b.refs,
                        "runs": b.runs,
                        "requested_at": b.requested_at,
                        "after": b.after,
                    }
                    for b in self.inflight
                ],
                "attempts": self.attempts,
                "errors": self.errors,
            }
        )

    @classmethod
    def loads(cls, text: str | None) -> IngestCursor:
        if not text:
            return cls()
        data = json.loads(text)
        return cls(
            stored=int(data.get("stored", 0)),
            inflight=[
                Batch(
                    b["batch_id"],
                    int(b["max_position"]),
                    list(b.get("refs", [])),
                    int(b.get("runs", 1)),
                    float(b.get("requested_at", 0.0)),
                    int(b.get("after", 0)),
                )
                for b in data.get("inflight", [])
            ],
            attempts={str(k): int(v) for k, v in data.get("attempts", {}).items()},
            errors={str(k): str(v) for k, v in data.get("errors", {}).items()},
        )


def batch_state(
    run_outcomes: list[bool | None], runs_expected: int, age_s: float, lost_after_s: float
) -> BatchState:
    """A batch's state from its runs' outcomes (True ok, False failed, None unfinished).

    A batch none of whose runs appeared within ``lost_after_s`` is taken as failed, so a
    run request that never became a run cannot hold the cursor back forever.
    """
    if any(o is False for o in run_outcomes):
        return BatchState.FAILED
    if len(run_outcomes) >= runs_expected and all(o is True for o in run_outcomes):
        return BatchState.SUCCEEDED
    if not run_outcomes and age_s > lost_after_s:
        return BatchState.FAILED
    return BatchState.RUNNING
