import hashlib

import pytest

from resources.asr.models import ModelSpec, ModelUnavailable, identity, load, model_source
from resources.asr.resource import TranscriberResource
from resources.asr.tiers import (
    BASE_MODEL_SHA256,
    BASE_MODEL_SIZE,
    TierUnavailable,
    assemble_base,
    sha256_file,
    tier_path,
)


def _parts(tmp_path):
    """Two small parts with the side files the real part1 carries."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "model.bin.part1").write_bytes(b"A" * 1000)
    (src / "model.bin.part2").write_bytes(b"B" * 777)
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        (src / name).write_text(name)
    digest = hashlib.sha256(b"A" * 1000 + b"B" * 777).hexdigest()
    return (src / "model.bin.part1", src / "model.bin.part2"), digest


def test_parts_are_joined_once_in_order_with_the_side_files(tmp_path):
    parts, digest = _parts(tmp_path)
    target = assemble_base(tmp_path / "cache", parts, digest)
    assert (target / "model.bin").read_bytes() == b"A" * 1000 + b"B" * 777
    assert (target / "tokenizer.json").read_text() == "tokenizer.json"
    mtime = (target / "model.bin").stat().st_mtime_ns
    assert assemble_base(tmp_path / "cache", parts, digest) == target
    assert (target / "model.bin").stat().st_mtime_ns == mtime  # verified, not rewritten
    assert not [p for p in target.iterdir() if p.name.startswith(".")]  # no temp left


def test_a_corrupt_cache_is_detected_and_rebuilt(tmp_path):
    parts, digest = _parts(tmp_path)
    target = assemble_base(tmp_path / "cache", parts, digest)
    with (target / "model.bin").open("r+b") as fh:
        fh.seek(500)
        fh.write(b"X")
    assert sha256_file(target / "model.bin") != digest
    assemble_base(tmp_path / "cache", parts, digest)
    assert sha256_file(target / "model.bin") == digest
    (target / "model.bin").write_bytes(b"A" * 1000)  # a join cut short
    assemble_base(tmp_path / "cache", parts, digest)
    assert sha256_file(target / "model.bin") == digest


def test_parts_that_do_not_match_the_pinned_digest_are_refused(tmp_path):
    parts, _ = _parts(tmp_path)
    with pytest.raises(TierUnavailable, match="expected"):
        assemble_base(tmp_path / "cache", parts, "0" * 64)
    assert not list((tmp_path / "cache").rglob("model.bin*"))
    assert not list((tmp_path / "cache").rglob(".model.bin*"))


def test_the_packaged_base_joins_to_the_pinned_digest(tmp_path):
    target = tier_path("base", tmp_path)
    assert (target / "model.bin").stat().st_size == BASE_MODEL_SIZE
    assert sha256_file(target / "model.bin") == BASE_MODEL_SHA256
    assert {"config.json", "tokenizer.json", "vocabulary.txt"} <= {p.name for p in target.iterdir()}


def test_tier_names_and_other_names():
    assert model_source(ModelSpec(model="tiny.en")) == str(tier_path("tiny.en"))
    assert model_source(ModelSpec(model="org/some-whisper")) == "org/some-whisper"
    assert identity(ModelSpec(model="")).model_id == identity(ModelSpec()).model_id == "base"
    base = TranscriberResource(model="base", model_cache_dir="/nonexistent-not-joined")
    assert base.model_id == "base"  # named without joining anything
    assert BASE_MODEL_SHA256[:16] in base.identity.model_version


def test_a_hub_model_offline_fails_with_a_clear_error():
    with pytest.raises(ModelUnavailable, match="not a packaged tier: tiny.en, base") as err:
        load(ModelSpec(model="small.en", offline=True))
    assert "small.en" in str(err.value)


def test_the_base_tier_loads_and_hears_speech(tmp_path):
    from resources.asr.engine import WhisperEngine
    from tests.assets.transcripts.speech import KEY_WORDS, SENTENCES, speak, words_of

    engine = WhisperEngine.load(ModelSpec(model="base", cache_dir=str(tmp_path)))
    [decoded] = engine.decode([speak(SENTENCES["engine"])], [4.0])
    assert len(words_of(decoded.text) & KEY_WORDS["engine"]) >= 4, decoded.text
