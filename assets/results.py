"""Results of a step that writes several tables (a layer's table and its quarantine or
record table): one ``multi_asset`` whose keys can be selected apart.

The step writes all of its tables whichever of its keys a run selected (the rows of one
call go to one table or the other in the same pass), so a table written but not selected
still gets its materialization, logged as an event, never dropped: every write shows in
the lineage, and a selection of the main table alone (``raw_calls``) stays valid.
"""

from collections.abc import Iterable, Iterator, Sequence

import dagster as dg

from assets.partitions import call_date_partitions
from lake.tables import TableSpec


def paired_specs(
    layer: str,
    main: TableSpec,
    side: TableSpec,
    deps: Sequence[str],
    kinds: set[str],
    side_deps: Sequence[str] | None = None,
) -> list[dg.AssetSpec]:
    """The asset specs of a step that writes ``main`` and, beside it, ``side`` (its
    quarantine or record table), both in the layer's group and partitioned by call date.
    ``main`` is described by the step's docstring, ``side`` by its table's description."""
    common = {"group_name": layer, "tags": {"layer": layer}, "partitions_def": call_date_partitions}
    return [
        dg.AssetSpec(main.name, deps=list(deps), kinds=kinds, **common),
        dg.AssetSpec(
            side.name,
            deps=list(deps if side_deps is None else side_deps),
            kinds={"deltalake"},
            description=side.description,
            **common,
        ),
    ]


def report(
    context: dg.AssetExecutionContext, results: Iterable[dg.MaterializeResult]
) -> Iterator[dg.MaterializeResult]:
    for result in results:
        key = dg.AssetKey.from_coercible(result.asset_key)  # type: ignore[arg-type]
        if key in context.selected_asset_keys:
            yield result
            continue
        context.log_event(
            dg.AssetMaterialization(
                asset_key=key,
                partition=context.partition_key if context.has_partition_key else None,
                metadata=dict(result.metadata or {}),
            )
        )
