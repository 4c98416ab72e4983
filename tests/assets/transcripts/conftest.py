import pytest

from resources.asr.engine import DecodeOptions, WhisperEngine
from resources.asr.models import ModelSpec


@pytest.fixture(scope="session")
def engine() -> WhisperEngine:
    """The shipped tiny.en on the CPU; models.load caches it for the whole process."""
    return WhisperEngine.load(ModelSpec(model="tiny.en"), DecodeOptions())
