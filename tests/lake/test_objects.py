import datetime as dt

import pytest

from lake.errors import ObjectNotFound
from lake.objects import ObjectStore, audio_key


def test_audio_keys_are_hierarchical_and_safe():
    key = audio_key("raw", "county fire", dt.date(2026, 11, 2), "cf-1/../x", "WAV")
    assert key == "audio/raw/system=county_fire/date=2026-11-02/cf-1_.._x.wav"
    assert ".." not in key.split("/")


def test_put_get_list_delete(lake):
    store = ObjectStore(lake)
    key = audio_key("raw", "sys", dt.date(2026, 11, 2), "c1", "wav")
    store.put(key, b"RIFF")
    assert store.get(key) == b"RIFF" and store.size(key) == 4
    assert list(store.list("audio/raw")) == [key]
    store.delete(key)
    assert not store.exists(key)
    with pytest.raises(ObjectNotFound):
        store.get(key)


def test_keys_cannot_escape_the_lake(lake):
    with pytest.raises(ValueError):
        ObjectStore(lake).put("../outside", b"x")
