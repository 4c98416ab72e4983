"""The multi-host layout in deploy/ cannot be started on this machine (no Docker); what
can be checked here is that it asks for commands scanlake has, on the queues the executor
routes to, with secrets only from the environment."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from typer.main import get_command

from assets.lanes import ASR_QUEUE, DEFAULT_QUEUE
from orchestration.cli import app

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def _services() -> dict[str, dict]:
    return yaml.safe_load((DEPLOY / "docker-compose.yaml").read_text())["services"]


def _command(service: dict) -> str:
    command = service.get("command", [])
    return command[-1] if command[:2] == ["sh", "-c"] else " ".join(command)


def test_every_scanlake_command_in_the_layout_exists():
    known = set(get_command(app).commands)  # type: ignore[attr-defined]
    used = {m for s in _services().values() for m in re.findall(r"\bscanlake ([a-z-]+)", _command(s))}
    assert used and used <= known, used - known


def test_celery_workers_cover_both_queues_and_the_layout_has_every_role():
    services = _services()
    queues = {q for s in services.values() for q in re.findall(r"celery-worker --queue (\w+)", _command(s))}
    assert queues == {ASR_QUEUE, DEFAULT_QUEUE}
    assert {"postgres", "redis", "s3", "webserver", "daemon", "code-server", "resident-worker"} <= set(services)
    assert "nvidia" in yaml.safe_dump(services["celery-gpu"])


def test_secrets_come_from_the_environment_only():
    text = (DEPLOY / "docker-compose.yaml").read_text()
    for secret in ("POSTGRES_PASSWORD", "REDIS_PASSWORD"):
        assert f"${{{secret}}}" in text
    assert not re.search(r"(?i)(password|secret)[\"']?\s*[:=]\s*[\"']?[a-z0-9]{6,}", re.sub(r"\$\{\w+\}", "", text)), "a literal secret"
