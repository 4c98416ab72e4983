"""API keys (hashed, per-system) and the per-key token bucket."""

from __future__ import annotations

import hashlib

import pytest

from resources.upload.__main__ import main
from resources.upload.keys import ApiKey, InvalidKeyConfig, KeyRing, key_entry, new_key, parse_keys
from resources.upload.ratelimit import RateLimiter
from resources.upload.settings import UploadSettings


def test_key_entries_hold_only_the_digest_and_round_trip() -> None:
    key = new_key()
    entry = key_entry(key, ["metro", "countyfire", "metro"])

    assert key not in entry
    assert entry == f"{hashlib.sha256(key.encode()).hexdigest()}:countyfire,metro"
    [parsed] = parse_keys(entry)
    assert parsed == ApiKey(hashlib.sha256(key.encode()).hexdigest(), frozenset({"countyfire", "metro"}))
    assert KeyRing([parsed]).lookup(key) == parsed
    assert KeyRing([parsed]).lookup(key + "x") is None
    assert KeyRing([parsed]).lookup("") is None


def test_a_key_for_all_systems_and_one_for_some() -> None:
    everywhere, metro = parse_keys(f"{key_entry('a' * 20)};\n {key_entry('b' * 20, ['metro'])}\n")
    assert everywhere.allows("anything") and everywhere.systems is None
    assert metro.allows("metro") and not metro.allows("countyfire")


@pytest.mark.parametrize(
    "text",
    ["nothex:metro", "a" * 64, f"{'a' * 64}:", f"{'a' * 63}:*", f"{'a' * 64}: , "],
)
def test_unusable_key_config_is_refused_at_startup(text: str) -> None:
    with pytest.raises(InvalidKeyConfig):
        parse_keys(text)
    with pytest.raises(ValueError):
        UploadSettings.from_env({"SCANLAKE_UPLOAD_KEYS": text})


def test_short_keys_and_odd_system_names_are_refused() -> None:
    with pytest.raises(InvalidKeyConfig, match="at least 16"):
        key_entry("short")
    with pytest.raises(InvalidKeyConfig, match="unusable system name"):
        key_entry("a" * 20, ["metro:fire"])


def test_settings_from_env() -> None:
    entry = key_entry("k" * 32, ["metro"])
    settings = UploadSettings.from_env(
        {"SCANLAKE_UPLOAD_KEYS": entry, "SCANLAKE_UPLOAD_PORT": "8123", "SCANLAKE_UPLOAD_MAX_AUDIO_S": "120"},
        lake_uri="/tmp/lake-x",
    )
    assert (settings.port, settings.max_audio_s, settings.host) == (8123, 120.0, "127.0.0.1")
    assert settings.keys[0].systems == frozenset({"metro"})
    assert settings.lake.uri == "/tmp/lake-x"
    assert UploadSettings.from_env({}).keys == ()


def test_token_bucket_allows_a_burst_then_the_rate() -> None:
    limits = RateLimiter(rate_per_s=2.0, burst=3)
    assert [limits.take("k", now=100.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limits.take("k", now=100.0) == pytest.approx(0.5)
    assert limits.take("other", now=100.0) == 0.0  # buckets are per key
    assert limits.take("k", now=100.5) == 0.0
    assert limits.take("k", now=100.6) == pytest.approx(0.4)
    assert [limits.take("k", now=200.0) for _ in range(4)][-1] > 0  # refills to the burst, no more


def test_hash_key_command_prints_an_entry_that_admits_the_key(capsys: pytest.CaptureFixture[str]) -> None:
    main(["hash-key", "--systems", "metro,countyfire"])
    out = capsys.readouterr().out.splitlines()
    key = out[0].removeprefix("key (give it to the recorder): ")
    [parsed] = parse_keys(out[1].removeprefix("SCANLAKE_UPLOAD_KEYS entry: "))
    assert KeyRing([parsed]).lookup(key) == parsed
    assert parsed.systems == frozenset({"metro", "countyfire"})
