"""Data and imports flow one way: every module's imports, read from its source, against
the layers it may not reach. An import inside a function counts as much as one at the top:
it runs all the same, only later."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# package -> the top-level packages none of its modules may import
FORBIDDEN = {
    "radiotext": {"assets", "resources", "lake", "dashboards", "orchestration"},
    "lake": {"assets", "dashboards", "orchestration"},
    "resources": {"assets", "dashboards", "orchestration"},
    "dashboards": {"assets"},
}


def imported(source: str, module: str) -> set[str]:
    """Every module ``source`` imports, by absolute name (``module`` is its own dotted
    name, for relative imports), including ``importlib.import_module("...")`` constants."""
    names: set[str] = set()
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                names.add(f"{base}.{node.module}" if node.module else base)
            elif node.module:
                names.add(node.module)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.add(node.args[0].value)
    return names


def violations(package: str) -> list[str]:
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for name in sorted(imported(path.read_text(encoding="utf-8"), module)):
            if name.split(".")[0] in FORBIDDEN[package]:
                found.append(f"{module} imports {name}")
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_import_runs_back_up(package: str) -> None:
    assert len(list((ROOT / package).rglob("*.py"))) >= 5  # the walk found the package
    assert violations(package) == []


def test_the_reader_sees_every_kind_of_import() -> None:
    source = """
import assets.alerts
from assets.transcripts.transcribe import CallAudio
def later():
    from dashboards import data
    importlib.import_module("orchestration.cli")
from . import sibling
from ..geocoding import chain
"""
    assert imported(source, "resources.asr.engine") == {
        "assets.alerts",
        "assets.transcripts.transcribe",
        "dashboards",
        "orchestration.cli",
        "resources.asr",
        "resources.geocoding",
    }
