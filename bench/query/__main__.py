"""Dashboard query latency on a synthetic lake at scale, against a compacted-Parquet floor.

    uv run python -m bench.query --calls 10000000

Builds (or, with --reuse, reuses) a lake of N calls under --out, copies every table into
one Parquet file each (the floor), then times every dashboard query at p50/p95 on both and
prints the ratio; then compares the three full-text search strategies (text scan, words
table, fts index). Results are also written to <out>/results.json.

The lake's tables are pinned Delta snapshots (``lake.duckdb``), as in the app between two
re-pins; the rows marked "first after re-pin" re-pin every table before the query, which is
what the first query of each cache interval pays in the app.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

import duckdb

from bench.common import console, print_table, timed
from bench.query import floor, suite, synth
from lake import duckdb as lake_duckdb
from lake import queries as q
from lake.location import LakeLocation

TARGET_P95_MS = 300.0
TARGET_RATIO = 1.5
# The Live page's query (it refreshes every interval) and the smallest query, whose time
# the snapshot reads would dominate.
REPINNED = ("live: latest_calls 24h", "health: quarantine_summary 24h")


def _lake(args: argparse.Namespace) -> tuple[LakeLocation, dt.date]:
    out: Path = args.out
    meta_path = out / "lake.json"
    location = LakeLocation(str(out / "lake"))
    if args.reuse and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if meta["calls"] == args.calls:
            console.print(f"reusing the {args.calls:,}-call lake at {location.uri}")
            return location, dt.date.fromisoformat(meta["end_day"])
    if args.reuse and (out / "built.json").exists():
        # the lake was built but the floor was not written (an interrupted run)
        end_day = dt.date.fromisoformat(json.loads((out / "built.json").read_text())["end_day"])
        return location, _floor(out, location, args.calls, end_day)
    if out.exists():
        import shutil

        shutil.rmtree(out)
    end_day = dt.datetime.now(dt.UTC).date()
    with console.status("") as status:
        _, seconds = timed(
            lambda: synth.build(
                location,
                args.calls,
                end_day,
                calls_per_day=args.calls_per_day,
                progress=lambda n: status.update(f"generated {n:,} / {args.calls:,} calls"),
            )
        )
    console.print(f"built {args.calls:,} calls in {seconds:.0f} s at {location.uri}")
    (out / "built.json").write_text(
        json.dumps({"calls": args.calls, "end_day": end_day.isoformat()})
    )
    return location, _floor(out, location, args.calls, end_day)


def _floor(out: Path, location: LakeLocation, calls: int, end_day: dt.date) -> dt.date:
    with console.status("writing the Parquet floor"):
        rows, seconds = timed(lambda: floor.write_floor(location, out / "floor"))
    console.print(
        f"floor written in {seconds:.0f} s: " + ", ".join(f"{k} {v:,}" for k, v in rows.items())
    )
    (out / "lake.json").write_text(
        json.dumps({"calls": calls, "end_day": end_day.isoformat(), "rows": rows})
    )
    return end_day


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.query", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--calls", type=int, default=10_000_000)
    parser.add_argument("--calls-per-day", type=int, default=30_000)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--out", type=Path, default=Path("bench/artifacts/query"))
    parser.add_argument("--reuse", action="store_true", help="reuse a lake of the same size")
    parser.add_argument("--skip-search", action="store_true", help="skip the strategy comparison")
    parser.add_argument(
        "--build-only", action="store_true", help="build the lake and floor, time nothing"
    )
    parser.add_argument(
        "--fts-all", action="store_true", help="also index the whole lake with fts (slow at 10M)"
    )
    args = parser.parse_args()

    location, end_day = _lake(args)
    if args.build_only:
        return
    end = dt.datetime.combine(end_day + dt.timedelta(days=1), dt.time(), dt.UTC)
    lake_con = q.open_lake(location)
    floor_con = floor.connect_floor(args.out / "floor")
    sample = q.latest_calls(lake_con, suite.windows(end)["24h"], limit=1).iloc[0]
    queries = suite.dashboard_queries(end, sample["call_uid"], sample["call_date"].date())

    results: dict[str, dict[str, object]] = {}
    rows: list[list[object]] = []

    def compare(name: str, on_lake: suite.Query, on_floor: suite.Query) -> None:
        lake_t, floor_t = suite.measure_pair(
            lambda: on_lake(lake_con), lambda: on_floor(floor_con), args.repeats
        )
        ratio = lake_t.p95_ms / floor_t.p95_ms
        ok = lake_t.p95_ms < TARGET_P95_MS and ratio <= TARGET_RATIO
        rows.append(
            [
                name,
                lake_t.p50_ms,
                lake_t.p95_ms,
                floor_t.p50_ms,
                floor_t.p95_ms,
                ratio,
                "yes" if ok else "NO",
            ]
        )
        results[name] = {
            "lake": vars(lake_t),
            "floor": vars(floor_t),
            "p95_ratio": ratio,
            "target_met": ok,
        }

    for name, query in queries.items():
        compare(name, query, query)
    for name in REPINNED:
        query = queries[name]

        def repinned(con: duckdb.DuckDBPyConnection, query: suite.Query = query) -> object:
            lake_duckdb.refresh_views(con, location)
            return query(con)

        compare(f"{name}, first after re-pin", repinned, query)
    print_table(
        f"dashboard queries, {args.calls:,} calls (Delta lake vs compacted Parquet floor)",
        [
            "query",
            "lake p50 ms",
            "lake p95 ms",
            "floor p50 ms",
            "floor p95 ms",
            "p95 x floor",
            "p95<300 & <=1.5x",
        ],
        rows,
    )
    if not args.skip_search:
        results["search"] = _search(location, lake_con, end, args.repeats, args.fts_all)
    (args.out / "results.json").write_text(
        json.dumps({"calls": args.calls, "results": results}, indent=1, default=str)
    )


def _search(
    location: LakeLocation, lake_con: object, end: dt.datetime, repeats: int, fts_all: bool
) -> dict[str, object]:
    windows = suite.windows(end)
    out: dict[str, object] = {}
    rows = []
    index_con = {}
    for window in ("7d", "all") if fts_all else ("7d",):
        con = q.open_lake(location)
        docs, seconds = timed(
            lambda con=con, window=window: q.build_search_index(con, windows[window])
        )
        index_con[window] = con
        out[f"fts build {window}"] = {"docs": docs, "seconds": seconds}
        console.print(f"fts index over {window}: {docs:,} transcripts indexed in {seconds:.1f} s")
    baseline: dict[tuple[str, str], float] = {}
    for label, (strategy, text, window) in suite.search_strategies(end).items():
        if strategy == "fts index" and window not in index_con:
            continue
        con = index_con[window] if strategy == "fts index" else lake_con
        fn = suite.SEARCH_FUNCTIONS[strategy]
        hits = len(fn(con, text, windows[window], limit=20))
        timing = suite.measure(
            lambda fn=fn, con=con, text=text, window=window: fn(
                con, text, windows[window], limit=20
            ),
            repeats,
        )
        if strategy == "text scan":
            baseline[(text, window)] = timing.p95_ms
        ratio = timing.p95_ms / baseline[(text, window)]
        rows.append([label, hits, timing.p50_ms, timing.p95_ms, ratio])
        out[label] = {"hits": hits, **vars(timing), "p95_vs_text_scan": ratio}
    print_table(
        "full-text search strategies (top 20 hits)",
        ["strategy · query · window", "hits", "p50 ms", "p95 ms", "p95 x text scan"],
        rows,
    )
    return out


if __name__ == "__main__":
    main()
