"""Admin commands: upload keys, and takedowns (redaction)."""

from typing import Annotated

import typer

from orchestration.cli.common import app, console


@app.command("upload-key")
def upload_key(
    key: Annotated[
        str | None, typer.Argument(help="An existing key to hash; a new one is made if omitted.")
    ] = None,
    systems: Annotated[
        str, typer.Option(help="Comma-separated systems the key may upload for; * for all.")
    ] = "*",
) -> None:
    """Make an upload API key and the SCANLAKE_UPLOAD_KEYS entry (its hash) for the server."""
    from resources.upload.keys import key_entry, new_key

    key = key or new_key()
    allowed = (
        None if systems.strip() == "*" else [s.strip() for s in systems.split(",") if s.strip()]
    )
    console.print(f"key (give to the recorder): {key}")
    console.print(f"SCANLAKE_UPLOAD_KEYS entry (give to the server): {key_entry(key, allowed)}")


@app.command()
def redact(
    call_uid: Annotated[str, typer.Argument(help="The call to take out of the lake.")],
    reason: Annotated[str | None, typer.Option(help="Why (kept in the redactions audit table).")] = None,
    by: Annotated[str | None, typer.Option(help="Who asked (default: the OS user).")] = None,
) -> None:
    """Remove a call's audio and text from every table and object, VACUUM the bytes away,
    and record who, when, why and what in the redactions table."""
    import getpass

    from lake import LakeLocation
    from lake.redaction import NothingToRedact
    from lake.redaction import redact as redact_call

    try:
        done = redact_call(LakeLocation.from_env(), call_uid, f"cli:{by or getpass.getuser()}", reason)
    except NothingToRedact as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    rows = ", ".join(f"{t} {n}" for t, n in done.rows_removed.items())
    console.print(f"redacted {call_uid}: rows {rows}; {len(done.objects_removed)} object(s); "
                  f"{done.files_vacuumed} file(s) vacuumed; audit {done.redaction_id}")
