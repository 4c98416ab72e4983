"""``scanlake export-training``: audio and corrected text as a fine-tuning dataset."""

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from orchestration.cli.common import app, console


def _day(text: str | None, option: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise typer.BadParameter(f"{text!r} is not a YYYY-MM-DD date", param_hint=option) from exc


@app.command("export-training")
def export_training(
    out: Annotated[Path, typer.Argument(help="A new folder for the dataset.")],
    since: Annotated[str | None, typer.Option(help="First call date, YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Last call date, YYYY-MM-DD.")] = None,
    system: Annotated[
        list[str] | None, typer.Option(help="Only calls of this system (repeatable).")
    ] = None,
    min_version: Annotated[
        int, typer.Option(min=1, help="Only calls whose newest correction is at least this version.")
    ] = 1,
) -> None:
    """Write pairs of call audio (16 kHz WAV) and editors' corrected text as a Hugging Face
    audiofolder dataset (train/metadata.csv with file_name and transcription), the newest
    correction of each call, for fine-tuning a model on this county's radio."""
    from lake import LakeLocation
    from lake.training import ExportExists, ExportFilter
    from lake.training import export_training as export

    chosen = ExportFilter(
        since=_day(since, "--since"),
        until=_day(until, "--until"),
        systems=frozenset(system or ()),
        min_version=min_version,
    )
    try:
        done = export(LakeLocation.from_env(), out, chosen)
    except ExportExists as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    skipped = ", ".join(f"{why} {n}" for why, n in sorted(done.skipped.items())) or "none"
    console.print(
        f"wrote {done.pairs} pair(s), {done.audio_s:.1f} s of audio, to {done.metadata}; "
        f"skipped: {skipped}"
    )
