"""Speech recognition: WhisperX (faster-whisper on CTranslate2) with its VAD and optional
wav2vec2 alignment, loaded once per process.

``models`` loads, ``engine`` decodes batches of 30 s windows, ``packing`` lays calls out in
them, ``vocabulary`` builds the domain prompts; none imports dagster. ``resource`` is the
Dagster face (``transcriber``).
"""

import os

# huggingface_hub reads this once, when whisperx first imports it: every model we load by
# default ships in a package, so nothing may try the network unless the environment says
# so explicitly (HF_HUB_OFFLINE=0).
os.environ.setdefault("HF_HUB_OFFLINE", "1")
