"""The ``scanlake`` command line: simulate traffic, ingest archives, run the pipeline,
query the lake, and the one-command demo. ``orchestration.cli:app`` is the entry point;
each command group lives in its own module and registers itself on ``app`` when imported."""

from orchestration.cli import admin, data, demo, services, training
from orchestration.cli.common import app

__all__ = ["admin", "app", "data", "demo", "main", "services", "training"]


def main() -> None:
    app()
