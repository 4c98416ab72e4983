"""A synthetic lake at scale: calls with transcripts, words, entities and locations.

Generated a day at a time with numpy and polars, and written with deltalake a block of days
per commit: one file per table and day, clustered as ``lake_maintenance`` leaves it. Texts
follow a radio template ("Engine 12 respond to a structure fire at 1220 Oak Street, copy
...") so search terms have realistic selectivity: a unit type is in ~1/8 of calls, an
incident type in ~1/20, a street name in ~1/400.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import polars as pl
import pyarrow as pa
from deltalake import write_deltalake

from lake import delta, objects
from lake.location import LakeLocation
from lake.maintenance import WRITER, Z_ORDER, optimize_table
from lake.tables import (
    AUDIO_QUARANTINE,
    ENTITIES,
    LOCATIONS,
    NORMALIZED_AUDIO,
    RAW_CALLS,
    RAW_QUARANTINE,
    TRANSCRIPT_WORDS,
    TRANSCRIPTS,
    TableSpec,
    conform,
)
from resources.calls import call_uid

SYSTEMS = ("metro", "county")
AGENCIES = ("Fire", "EMS", "Police", "Public Works")
UNIT_TYPES = ("Engine", "Medic", "Ladder", "Unit", "Car", "Battalion", "Rescue", "Squad")
INCIDENTS = (
    ("structure fire", "structure_fire"), ("vehicle fire", "vehicle_fire"),
    ("brush fire", "brush_fire"), ("fire alarm", "alarm"), ("MVA", "mva"),
    ("traffic stop", "traffic_stop"), ("domestic", "domestic"), ("burglary", "burglary"),
    ("fall victim", "medical"), ("chest pain", "medical"), ("difficulty breathing", "medical"),
    ("unconscious person", "medical"), ("overdose", "overdose"), ("shots fired", "shots_fired"),
    ("suspicious vehicle", "suspicious"), ("theft", "theft"), ("gas leak", "hazmat"),
    ("water rescue", "rescue"), ("lift assist", "medical"), ("welfare check", "welfare"),
)
SUFFIXES = ("Street", "Avenue", "Road", "Drive", "Lane", "Court", "Boulevard", "Way")
FILLER = (
    "copy", "en", "route", "on", "scene", "clear", "10-4", "dispatch", "negative", "affirmative",
    "staging", "command", "stand", "by", "responding", "units", "advise", "the", "and", "one",
    "two", "three", "four", "five", "north", "south", "east", "west", "side", "patient",
    "caller", "states", "reported", "second", "engine", "medic", "times", "received",
)
STREETS = tuple(
    f"{a}{b}" for a in ("Oak", "Maple", "Pine", "Elm", "Cedar", "Birch", "Walnut", "Cherry",
                         "Willow", "Aspen", "Spruce", "Hickory", "Laurel", "Magnolia", "Poplar",
                         "Sycamore", "Chestnut", "Juniper", "Huckle", "Alder")
    for b in ("", "wood", "field", "ridge", "brook", "crest", "dale", "view", "hill", "ton",
              "ford", "wick", "berry", "glen", "haven", "moor", "side", "mont", "land", "port")
)
CENTER = (40.015, -105.27)
TABLES_WRITTEN = (
    RAW_CALLS, NORMALIZED_AUDIO, TRANSCRIPTS, TRANSCRIPT_WORDS, ENTITIES, LOCATIONS,
    RAW_QUARANTINE, AUDIO_QUARANTINE,
)
MODEL, BACKFILL_MODEL = "tiny.en", "base.en"


def talkgroups(n: int = 60) -> pl.DataFrame:
    agency = [AGENCIES[i % len(AGENCIES)] for i in range(n)]
    return pl.DataFrame(
        {
            "tg": list(range(n)),
            "talkgroup": [1000 * (1 + i % 4) + i for i in range(n)],
            "talkgroup_tag": [f"{a[:4]} {'Disp' if i < 8 else 'Tac'} {i}" for i, a in enumerate(agency)],
            "talkgroup_group": agency,
        }
    )


def _pick(rng: np.random.Generator, items: tuple[str, ...], n: int) -> pl.Series:
    return pl.Series(np.asarray(items, dtype=object)[rng.integers(0, len(items), n)], dtype=pl.String)


def day_frames(day: dt.date, calls: int, seed: int) -> dict[str, pl.DataFrame]:
    """Every table's rows for one day of ``calls`` calls."""
    rng = np.random.default_rng(seed)
    tgs = talkgroups()
    # distinct (talkgroup, second) slots, so call_uid is unique like the real one
    slots = np.sort(rng.choice(86_400 * len(tgs), calls, replace=False))
    second, tg = slots // len(tgs), slots % len(tgs)
    start = dt.datetime.combine(day, dt.time(), dt.UTC).timestamp() + second
    duration = np.round(rng.gamma(2.5, 2.0, calls) + 0.8, 2)
    incident = rng.integers(0, len(INCIDENTS), calls)
    has_incident = rng.random(calls) < 0.7
    has_address = rng.random(calls) < 0.6
    silent = rng.random(calls) < 0.03
    street = rng.integers(0, len(STREETS), calls)
    number = rng.integers(1, 40, calls) * 100 + rng.integers(0, 99, calls)
    n_fill = rng.integers(2, 9, calls)
    fill = [" ".join(FILLER[j] for j in rng.integers(0, len(FILLER), k)) for k in n_fill]
    calls_df = pl.DataFrame(
        {
            "tg": tg, "start_s": start, "duration_s": duration,
            "system": np.asarray(SYSTEMS, dtype=object)[tg % 2],
            "unit_type": _pick(rng, UNIT_TYPES, calls), "unit_no": rng.integers(1, 99, calls),
            "incident": np.asarray([i[0] for i in INCIDENTS], dtype=object)[incident],
            "incident_norm": np.asarray([i[1] for i in INCIDENTS], dtype=object)[incident],
            "has_incident": has_incident, "has_address": has_address, "silent": silent,
            "street": np.asarray(STREETS, dtype=object)[street],
            "suffix": _pick(rng, SUFFIXES, calls), "number": number, "fill": fill,
            "street_idx": street, "radio_unit": rng.integers(1000, 1800, calls),
            "emergency": rng.random(calls) < 0.01, "confidence": rng.beta(8, 2, calls),
            "backfilled": rng.random(calls) < 0.1, "n_units": rng.integers(1, 3, calls),
        }
    ).join(tgs, on="tg")
    calls_df = calls_df.with_columns(pl.Series("call_uid", _call_uids(calls_df), dtype=pl.String))
    calls_df = calls_df.with_columns(
        pl.from_epoch((pl.col("start_s") * 1_000_000).cast(pl.Int64), time_unit="us")
        .dt.replace_time_zone("UTC").alias("start_time"),
        pl.lit(day).alias("call_date"),
        (pl.col("unit_type") + " " + pl.col("unit_no").cast(pl.String)).alias("unit"),
        (pl.col("number").cast(pl.String) + " " + pl.col("street") + " " + pl.col("suffix")).alias("address"),
    ).with_columns(
        pl.when(pl.col("silent")).then(pl.lit(""))
        .otherwise(pl.concat_str(
            pl.col("unit"), pl.lit(" respond to"),
            pl.when(pl.col("has_incident")).then(pl.lit(" a ") + pl.col("incident")).otherwise(pl.lit("")),
            pl.when(pl.col("has_address")).then(pl.lit(" at ") + pl.col("address")).otherwise(pl.lit("")),
            pl.lit(" "), pl.col("fill"),
        )).alias("text"),
    )
    return _tables(calls_df, rng)


def _call_uids(c: pl.DataFrame) -> list[str]:
    """The ids ingestion would give these calls (``resources.calls.call_uid``)."""
    return [
        call_uid(system, talkgroup, dt.datetime.fromtimestamp(start_s, dt.UTC))
        for system, talkgroup, start_s in zip(c["system"], c["talkgroup"], c["start_s"], strict=True)
    ]


def _audio_keys(c: pl.DataFrame, stage: str, ext: str) -> pl.Series:
    """The calls' audio keys, in the one format of ``lake.objects``."""
    keys = [
        objects.audio_key(stage, system, day, uid, ext)
        for system, day, uid in zip(c["system"], c["call_date"], c["call_uid"], strict=True)
    ]
    return pl.Series(keys, dtype=pl.String)


def _tables(c: pl.DataFrame, rng: np.random.Generator) -> dict[str, pl.DataFrame]:
    day = c["call_date"][0]
    audio_key = pl.lit(_audio_keys(c, objects.NORMALIZED_AUDIO, "flac"))
    raw = c.select(
        "call_uid", "call_date", pl.col("start_time").dt.hour().cast(pl.Int8).alias("call_hour"),
        "system", "talkgroup", "talkgroup_tag", pl.col("talkgroup_tag").alias("talkgroup_description"),
        "talkgroup_group", pl.col("talkgroup_group").alias("talkgroup_group_tag"), "start_time",
        (pl.col("start_time") + pl.duration(milliseconds=(pl.col("duration_s") * 1000).cast(pl.Int64))).alias("stop_time"),
        "duration_s", pl.lit(851_012_500, pl.Int64).alias("freq_hz"), "emergency",
        pl.lit(False).alias("encrypted"), pl.lit("m4a").alias("audio_type"),
        pl.lit(_audio_keys(c, objects.RAW_AUDIO, "m4a")).alias("audio_key"),
        (pl.col("duration_s") * 4000).cast(pl.Int64).alias("audio_bytes"),
        pl.concat_list(
            pl.struct(pl.col("radio_unit").alias("unit_id"), pl.col("unit").alias("tag"),
                      pl.lit(0.0).alias("pos_s"), pl.col("emergency")),
            pl.struct((pl.col("radio_unit") + 1000).alias("unit_id"), pl.lit("Dispatch").alias("tag"),
                      pl.lit(0.5).alias("pos_s"), pl.lit(False).alias("emergency")),
        ).list.head(pl.col("n_units")).alias("units"),
        pl.lit("trunk-recorder").alias("source"), pl.col("call_uid").alias("source_ref"),
        (pl.col("start_time") + pl.duration(seconds=3)).alias("ingested_at"),
    )
    normalized = c.select(
        "call_uid", "call_date", pl.lit(1, pl.Int32).alias("processing_version"),
        audio_key.alias("audio_key"), (pl.col("duration_s") * 3000).cast(pl.Int64).alias("audio_bytes"),
        "duration_s", pl.lit(16000, pl.Int32).alias("sample_rate_hz"),
        pl.lit(-21.0).alias("rms_dbfs"), pl.lit(-6.0).alias("peak_dbfs"), pl.lit(0.0).alias("clipping_ratio"),
        (pl.col("confidence") * 30).alias("snr_db"), pl.lit(0.2).alias("silence_ratio"),
        pl.lit(0.7).alias("speech_ratio"), pl.lit(-23.0).alias("loudness_lufs"),
        pl.when(pl.col("confidence") > 0.7).then(pl.lit("clean")).otherwise(pl.lit("noisy")).alias("tier"),
        pl.lit(40.0).alias("processing_ms"),
        (pl.col("start_time") + pl.duration(seconds=5)).alias("processed_at"),
    )
    first = c.with_columns(pl.lit(MODEL).alias("model_id"), pl.duration(seconds=8).alias("lag"))
    again = c.filter(pl.col("backfilled")).with_columns(
        pl.lit(BACKFILL_MODEL).alias("model_id"), pl.duration(days=1).alias("lag"),
        (pl.col("confidence") * 1.05).clip(0, 1).alias("confidence"),
    )
    both = pl.concat([first, again])
    transcripts = both.select(
        "call_uid", "call_date", "model_id", pl.lit("2024.1").alias("model_version"), "text",
        pl.lit("en").alias("language"), (pl.col("confidence").log() / 2).alias("avg_logprob"),
        pl.when(pl.col("silent")).then(0.9).otherwise(0.02).alias("no_speech_prob"),
        pl.lit(1.4).alias("compression_ratio"), "confidence",
        pl.when(pl.col("silent")).then(pl.lit(["no_speech"])).otherwise(pl.lit([], pl.List(pl.String))).alias("flags"),
        pl.lit(300.0).alias("processing_ms"), (pl.col("start_time") + pl.col("lag")).alias("transcribed_at"),
    )
    words = (
        both.filter(~pl.col("silent"))
        .select("call_uid", "call_date", "model_id", "confidence", pl.col("text").str.split(" ").alias("word"))
        .explode("word")
        .with_columns(pl.int_range(pl.len()).over("call_uid", "model_id").cast(pl.Int32).alias("word_index"))
        .with_columns(
            (0.4 + 0.35 * pl.col("word_index")).alias("start_s"),
            (0.68 + 0.35 * pl.col("word_index")).alias("end_s"),
            pl.col("confidence").alias("probability"),
        )
        .drop("confidence")
    )
    entities = _entities(c)
    locations = entities.filter(pl.col("label") == "ADDRESS").join(
        c.select("call_uid", "street_idx", "number"), on="call_uid"
    ).select(
        "entity_id", "call_uid", "call_date", pl.col("normalized").alias("query"),
        (CENTER[0] + (pl.col("street_idx") // 20 - 10) * 0.004 + pl.col("number") * 1e-6).alias("lat"),
        (CENTER[1] + (pl.col("street_idx") % 20 - 10) * 0.005).alias("lon"),
        pl.lit("rooftop").alias("precision"), pl.lit("gazetteer").alias("backend"),
        pl.lit(0.9).alias("score"), pl.lit("Boulder").alias("jurisdiction"),
        pl.lit(dt.datetime.combine(day, dt.time(23, 59), dt.UTC)).alias("geocoded_at"),
    )
    # a few deliveries that failed ingestion, and calls whose audio failed normalization
    bad_raw = c.filter(pl.Series(rng.random(c.height) < 0.003)).select(
        pl.col("system").alias("source"), (pl.col("call_uid") + ".json").alias("source_ref"),
        pl.lit(None, pl.String).alias("call_uid"), pl.lit("malformed_json").alias("reason"),
        pl.lit("Expecting ',' delimiter").alias("detail"), pl.col("start_time").alias("quarantined_at"),
    )
    bad_audio = c.filter(pl.Series(rng.random(c.height) < 0.01)).select(
        "call_uid", "call_date", pl.lit(1, pl.Int32).alias("processing_version"),
        pl.lit("probe").alias("stage"), pl.lit("silent").alias("reason"),
        pl.lit("peak -70 dBFS").alias("detail"),
        (pl.col("start_time") + pl.duration(seconds=5)).alias("quarantined_at"),
    )
    return {
        RAW_CALLS.name: raw, NORMALIZED_AUDIO.name: normalized, TRANSCRIPTS.name: transcripts,
        TRANSCRIPT_WORDS.name: words, ENTITIES.name: entities, LOCATIONS.name: locations,
        RAW_QUARANTINE.name: bad_raw, AUDIO_QUARANTINE.name: bad_audio,
    }


def _entities(c: pl.DataFrame) -> pl.DataFrame:
    spoken = c.filter(~pl.col("silent"))
    parts = [
        spoken.select("call_uid", "call_date", pl.lit("UNIT").alias("label"), pl.col("unit").alias("text"),
                      pl.col("unit").str.to_uppercase().alias("normalized"), pl.lit(0).alias("start_char")),
        spoken.filter("has_incident").select(
            "call_uid", "call_date", pl.lit("INCIDENT_TYPE").alias("label"), pl.col("incident").alias("text"),
            pl.col("incident_norm").alias("normalized"), pl.lit(30).alias("start_char")),
        spoken.filter("has_address").select(
            "call_uid", "call_date", pl.lit("ADDRESS").alias("label"), pl.col("address").alias("text"),
            pl.col("address").str.to_uppercase().alias("normalized"), pl.lit(50).alias("start_char")),
    ]
    return pl.concat(parts).with_columns(
        (pl.col("call_uid") + ":" + pl.col("label")).alias("entity_id"), pl.lit(MODEL).alias("model_id"),
        pl.col("start_char").cast(pl.Int32), (pl.col("start_char") + pl.col("text").str.len_chars()).cast(pl.Int32).alias("end_char"),
        pl.lit(1.0).alias("start_s"), pl.lit(2.0).alias("end_s"), pl.lit(0.9).alias("confidence"),
    )


def build(
    location: LakeLocation,
    calls: int,
    end_day: dt.date,
    calls_per_day: int = 30_000,
    days_per_commit: int = 10,
    seed: int = 7,
    progress: Callable[[int], None] | None = None,
) -> list[dt.date]:
    """Write ``calls`` calls ending on ``end_day``; returns the days written."""
    n_days = max(1, -(-calls // calls_per_day))
    days = [end_day - dt.timedelta(days=n_days - 1 - i) for i in range(n_days)]
    per_day = [calls // n_days + (1 if i < calls % n_days else 0) for i in range(n_days)]
    done = 0
    for block in range(0, n_days, days_per_commit):
        frames: dict[str, list[pl.DataFrame]] = {}
        for i in range(block, min(block + days_per_commit, n_days)):
            for name, frame in day_frames(days[i], per_day[i], seed * 100_003 + i).items():
                frames.setdefault(name, []).append(frame)
            done += per_day[i]
        for spec in TABLES_WRITTEN:
            _append(location, spec, pl.concat(frames[spec.name], how="vertical_relaxed").to_arrow())
        if progress:
            progress(done)
    for spec in TABLES_WRITTEN:
        if spec.partition_by:
            # as lake_maintenance leaves a table: its log read from one checkpoint
            delta.open_table(location, spec).create_checkpoint()
        else:
            optimize_table(location, spec, retention_hours=0)  # compacted whole, checkpointed
    return days


def _append(location: LakeLocation, spec: TableSpec, data: pa.Table) -> None:
    # Laid out as lake_maintenance leaves a finished day: each day's rows clustered on the
    # table's Z-order columns, row groups of ROW_GROUP_ROWS.
    clustered = ("call_date", *Z_ORDER.get(spec.name, ())) if spec.partition_by else ("quarantined_at",)
    order = [(c, "ascending") for c in clustered]
    write_deltalake(
        delta.table_uri(location, spec),
        conform(data, spec).sort_by(order),
        mode="append",
        partition_by=list(spec.partition_by) or None,
        storage_options=dict(location.storage_options),
        writer_properties=WRITER,
    )
