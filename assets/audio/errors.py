"""The typed error of the audio layer: a call whose audio cannot become clean speech.

The Dagster shell turns each one into an ``audio_quarantine`` row, so ``stage`` and
``reason`` are short, stable codes that an analyst can group by; ``detail`` is free text.
"""

from __future__ import annotations

# Stages, in the order a call goes through them.
FETCH = "fetch"
PROBE = "probe"
DECODE = "decode"
ANALYZE = "analyze"
PROCESS = "process"
VALIDATE = "validate"
STAGES = (FETCH, PROBE, DECODE, ANALYZE, PROCESS, VALIDATE)


class BadAudio(ValueError):
    """Audio that cannot be normalized, with the stage that refused it and why."""

    def __init__(self, stage: str, reason: str, detail: str = "") -> None:
        if stage not in STAGES:
            raise ValueError(f"unknown audio stage {stage!r}")
        super().__init__(f"{stage}: {reason}: {detail}" if detail else f"{stage}: {reason}")
        self.stage = stage
        self.reason = reason
        self.detail = detail

    def __reduce__(self) -> tuple[type[BadAudio], tuple[str, str, str]]:
        # Crosses process-pool boundaries intact (the default pickling loses the fields).
        return (BadAudio, (self.stage, self.reason, self.detail))
