"""The aliases layer: unit and talkgroup names from the configured alias files, wired for
Dagster. A thin shell over ``imports``; the file formats are ``resources.trunk_recorder.tags``.

The import runs when a file changes (a sensor compares each file's size and modification
time) and can be run by hand; bad lines are reported in the run's metadata and fail the
``alias_files_import_cleanly`` check (a warning: the good lines are imported).
"""

import datetime as dt
import hashlib
import os
from collections.abc import Iterator

import dagster as dg

from assets.aliases.imports import Imported, import_files, write
from lake.tables import TALKGROUP_ALIASES, UNIT_ALIASES
from resources.aliases import AliasFile, AliasFilesResource
from resources.lake import LakeResource

_COMMON = {"group_name": "aliases", "kinds": {"deltalake", "python"}, "tags": {"layer": "aliases"}}
_CHECK = "alias_files_import_cleanly"
MAX_PROBLEMS_SHOWN = 50


@dg.multi_asset(
    name="aliases",
    specs=[
        dg.AssetSpec("unit_aliases", description=UNIT_ALIASES.description, **_COMMON),
        dg.AssetSpec("talkgroup_aliases", description=TALKGROUP_ALIASES.description, **_COMMON),
    ],
    check_specs=[
        dg.AssetCheckSpec(
            _CHECK,
            asset="unit_aliases",
            description="Every line of every configured alias file was imported.",
        )
    ],
)
def aliases(
    context: dg.AssetExecutionContext, lake: LakeResource, alias_files: AliasFilesResource
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    """Reads SCANLAKE_UNIT_TAGS_FILE (trunk-recorder unitTagsFile: ids and regular-expression
    rules) and SCANLAKE_TALKGROUPS_FILE (talkgroupsFile or RadioReference talkgroup CSV),
    and replaces each system's names with its file's. Bad lines are listed with their line
    number; the rest is imported."""
    now = dt.datetime.now(dt.UTC)
    results = [
        import_files(UNIT_ALIASES, alias_files.unit_tags(), now),
        import_files(TALKGROUP_ALIASES, alias_files.talkgroups(), now),
    ]
    problems = []
    for imported in results:
        removed = write(lake.location, imported)
        problems.extend(imported.problems)
        for p in imported.problems:
            context.log.warning(f"{p.path} line {p.line}: {p.reason}")
        yield dg.MaterializeResult(asset_key=imported.spec.name, metadata=_metadata(imported, removed))
    yield dg.AssetCheckResult(
        check_name=_CHECK,
        asset_key="unit_aliases",
        passed=not problems,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "bad_lines": len(problems),
            "first_bad_lines": dg.MetadataValue.json([p.as_dict() for p in problems[:MAX_PROBLEMS_SHOWN]]),
        },
    )


def _metadata(imported: Imported, removed: int) -> dict[str, object]:
    return {
        "rows_imported": imported.rows.num_rows,
        "rows_removed": removed,
        "systems": dg.MetadataValue.json(imported.systems),
        "bad_lines": len(imported.problems),
        "first_bad_lines": dg.MetadataValue.json(
            [p.as_dict() for p in imported.problems[:MAX_PROBLEMS_SHOWN]]
        ),
    }


aliases_job = dg.define_asset_job(
    "import_aliases",
    selection=dg.AssetSelection.assets(aliases),
    description="Import the unit and talkgroup alias files.",
)


def _fingerprint(files: list[AliasFile]) -> str:
    parts = []
    for f in files:
        try:
            st = os.stat(f.path)
            parts.append(f"{f.system}={f.path}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{f.system}={f.path}:missing")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


@dg.sensor(job=aliases_job, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING)
def alias_files_changed(
    context: dg.SensorEvaluationContext, alias_files: AliasFilesResource
) -> Iterator[dg.RunRequest]:
    """Imports the alias files when one is added, removed, or changes size or time."""
    fingerprint = _fingerprint(alias_files.unit_tags() + alias_files.talkgroups())
    if fingerprint != context.cursor:
        context.update_cursor(fingerprint)
        yield dg.RunRequest(run_key=fingerprint)


defs = dg.Definitions(assets=[aliases], jobs=[aliases_job], sensors=[alias_files_changed])
