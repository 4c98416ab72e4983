"""The configurable tables behind TEN_CODE meanings and INCIDENT_TYPE normalization.

Both ship in ``assets/entities/data/`` and can be replaced by a file of one's own: ten
codes as YAML (``"10-4": Acknowledged``) or CSV (columns ``code,meaning``); incident types
as YAML (``CODE: [phrase, ...]``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data"
DEFAULT_TEN_CODES = DATA / "ten_codes.yaml"
DEFAULT_INCIDENT_TYPES = DATA / "incident_types.yaml"
_CODE = re.compile(r"^\s*10\s*-?\s*(\d{1,3})\s*$")


class CodeTableError(ValueError):
    """A ten-code or incident table that cannot be read."""

    def __init__(self, path: str, detail: str) -> None:
        super().__init__(f"{path}: {detail}")
        self.path = path
        self.detail = detail


@dataclass(frozen=True)
class TenCodes:
    meanings: dict[int, str]  # 4 -> "Acknowledged" (the code 10-4)

    @classmethod
    def load(cls, path: str | Path | None = None) -> TenCodes:
        path = Path(path) if path else DEFAULT_TEN_CODES
        raw = _read_csv(path) if path.suffix.lower() == ".csv" else _read_yaml(path)
        meanings: dict[int, str] = {}
        for code, meaning in raw.items():
            found = _CODE.match(str(code))
            if not found:
                raise CodeTableError(str(path), f"not a ten-code: {code!r}")
            meanings[int(found.group(1))] = str(meaning).strip()
        return cls(meanings)

    def meaning(self, number: int) -> str | None:
        return self.meanings.get(number)


@dataclass(frozen=True)
class IncidentTaxonomy:
    phrases: dict[str, tuple[str, ...]]  # code -> lower-case phrases

    @classmethod
    def load(cls, path: str | Path | None = None) -> IncidentTaxonomy:
        path = Path(path) if path else DEFAULT_INCIDENT_TYPES
        raw = _read_yaml(path)
        phrases: dict[str, tuple[str, ...]] = {}
        for code, listed in raw.items():
            if not isinstance(listed, list) or not all(isinstance(p, str) for p in listed):
                raise CodeTableError(str(path), f"{code}: expected a list of phrases")
            phrases[str(code).upper()] = tuple(p.strip().lower() for p in listed if p.strip())
        return cls(phrases)


def _read_yaml(path: Path) -> dict[object, object]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CodeTableError(str(path), str(exc)) from exc
    if not isinstance(data, dict):
        raise CodeTableError(str(path), "expected a mapping")
    return data


def _read_csv(path: Path) -> dict[object, object]:
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise CodeTableError(str(path), str(exc)) from exc
    if rows and not {"code", "meaning"} <= set(rows[0]):
        raise CodeTableError(str(path), "expected columns code,meaning")
    return {row["code"]: row["meaning"] for row in rows}
