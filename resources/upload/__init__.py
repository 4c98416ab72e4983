"""Push ingestion: an rdio-scanner-compatible call-upload service (FastAPI + uvicorn).

Recorders POST finished calls to ``/api/call-upload`` (rdio-scanner's fields) or
``/api/trunk-recorder-call-upload`` (``key``, ``audio``, ``meta`` = trunk-recorder's call
JSON, ``system``); each accepted call is stored in the lake's landing zone before the
reply, and the raw layer's sensor ingests it. Pure of Dagster.

Start it with ``scanlake serve-upload`` or ``uv run python -m resources.upload`` (settings
from ``SCANLAKE_UPLOAD_*``, see ``settings.py``, and the lake from ``SCANLAKE_LAKE_URI``).
On any address but loopback it needs TLS (``SCANLAKE_UPLOAD_TLS_CERT``/``_KEY``) or a
TLS-terminating reverse proxy (``SCANLAKE_UPLOAD_ALLOW_PLAINTEXT=1``): see README, Security.
Make a key with ``python -m resources.upload hash-key --systems countyfire``: the recorder
gets the key, ``SCANLAKE_UPLOAD_KEYS`` gets the printed entry. Then, unchanged from an
rdio-scanner set-up:

- trunk-recorder: ``"plugins": [{"name": "rdioscanner_uploader", "library":
  "librdioscanner_uploader.so", "server": "http://HOST:3000", "systems": [{"shortName":
  "countyfire", "systemId": 1, "apiKey": "KEY"}]}]``; calls are stored under the
  ``shortName``, like the same system's capture folders;
- SDRTrunk: a "Rdio Scanner" streaming entry with host ``http://HOST:3000/api/call-upload``,
  the key and a system id; calls are stored under the system label SDRTrunk sends;
- an uploadScript: ``curl -F audio=@CALL.m4a -F meta=@CALL.json -F key=KEY -F system=1
  http://HOST:3000/api/trunk-recorder-call-upload``.
"""

from resources.upload.app import create_app
from resources.upload.keys import hash_key, key_entry, new_key
from resources.upload.server import PlaintextRefused, serve
from resources.upload.settings import UploadSettings

__all__ = ["PlaintextRefused", "UploadSettings", "create_app", "hash_key", "key_entry", "new_key", "serve"]
