"""Where unit and talkgroup names come from: trunk-recorder's ``unitTagsFile`` and
``talkgroupsFile`` (or a RadioReference talkgroup CSV), one per system.

The settings' names and defaults live here and nowhere else. Each is a list of
``system=path`` entries separated by ``;`` (a path alone names every system's units or
talkgroups: a system's own file, when it has one, is read first). The files themselves
are read by the ``unit_aliases`` and ``talkgroup_aliases`` asset (``assets/aliases``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import dagster as dg
from pydantic import Field

UNIT_TAGS_ENV = "SCANLAKE_UNIT_TAGS_FILE"
TALKGROUPS_ENV = "SCANLAKE_TALKGROUPS_FILE"
ANY_SYSTEM = "*"


class BadAliasSetting(ValueError):
    """A setting that does not name its files as ``system=path;...``."""


@dataclass(frozen=True)
class AliasFile:
    system: str  # a trunk-recorder shortName, or ANY_SYSTEM
    path: str


def alias_files(setting: str | None) -> list[AliasFile]:
    """``system=path;system=path`` (or a bare ``path`` for every system) as files."""
    out: list[AliasFile] = []
    for entry in (setting or "").split(";"):
        entry = entry.strip()
        if not entry:
            continue
        system, sep, path = entry.partition("=")
        if not sep:
            system, path = ANY_SYSTEM, entry
        system, path = system.strip(), path.strip()
        if not system or not path:
            raise BadAliasSetting(f"{entry!r} is not system=path")
        if any(f.system == system for f in out):
            raise BadAliasSetting(f"system {system!r} is given two files")
        out.append(AliasFile(system, path))
    return out


class AliasFilesResource(dg.ConfigurableResource):
    """``SCANLAKE_UNIT_TAGS_FILE`` and ``SCANLAKE_TALKGROUPS_FILE``: the alias files to
    import (unset: none, and calls show the tags the recorder wrote)."""

    ENV: ClassVar[dict[str, str]] = {
        "unit_tags_files": UNIT_TAGS_ENV,
        "talkgroups_files": TALKGROUPS_ENV,
    }

    unit_tags_files: str | None = Field(
        default=None, description="unitTagsFile per system: system=path;... (or one path)"
    )
    talkgroups_files: str | None = Field(
        default=None,
        description="talkgroupsFile or RadioReference talkgroup CSV per system: system=path;...",
    )

    def unit_tags(self) -> list[AliasFile]:
        return alias_files(self.unit_tags_files)

    def talkgroups(self) -> list[AliasFile]:
        return alias_files(self.talkgroups_files)
