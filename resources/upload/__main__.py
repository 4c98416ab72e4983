"""``python -m resources.upload``: run the call-upload service from the environment's
settings; ``python -m resources.upload hash-key [KEY] [--systems a,b]``: print the
``SCANLAKE_UPLOAD_KEYS`` entry for a key (a new random key when none is given)."""

from __future__ import annotations

import argparse
import logging

from resources.upload.keys import key_entry, new_key
from resources.upload.server import PlaintextRefused, serve
from resources.upload.settings import UploadSettings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m resources.upload")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("serve", help="run the service (the default)")
    hashing = commands.add_parser("hash-key", help="print the SCANLAKE_UPLOAD_KEYS entry for a key")
    hashing.add_argument("key", nargs="?", help="the key recorders will send (default: a new random one)")
    hashing.add_argument("--systems", default="", help="comma-separated systems the key may upload (default: all)")
    args = parser.parse_args(argv)
    if args.command == "hash-key":
        key = args.key or new_key()
        if not args.key:
            print(f"key (give it to the recorder): {key}")
        print(f"SCANLAKE_UPLOAD_KEYS entry: {key_entry(key, args.systems.split(','))}")
        return
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        serve(UploadSettings.from_env())
    except PlaintextRefused as exc:
        raise SystemExit(f"error: {exc}") from exc


if __name__ == "__main__":
    main()
