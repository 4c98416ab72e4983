"""``python -m orchestration.cli``: the same commands as ``scanlake``."""

from orchestration.cli import main

main()
