import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lake.errors import ObjectNotFound
from lake.objects import MAX_SEGMENT, ObjectStore, _safe, audio_key, decode_segment


def test_audio_keys_are_hierarchical_and_safe():
    key = audio_key("raw", "county fire", dt.date(2026, 11, 2), "cf-1/../x", "WAV")
    assert key == "audio/raw/system=county%20fire/date=2026-11-02/cf-1%2F..%2Fx.wav"
    assert ".." not in key.split("/")
    # plain names keep the keys they always had
    assert audio_key("raw", "county", dt.date(2026, 11, 2), "county-1-2", "wav") == (
        "audio/raw/system=county/date=2026-11-02/county-1-2.wav"
    )


@pytest.mark.parametrize(("a", "b"), [("a/b", "a_b"), ("../../etc", "etc"), ("a b", "a_b"), (".x", "x")])
def test_different_system_names_never_share_a_key(a, b):
    # What was seen 7: a/b and a_b, ../../etc and etc mapped to one storage key
    day = dt.date(2026, 11, 2)
    assert audio_key("raw", a, day, "c1", "wav") != audio_key("raw", b, day, "c1", "wav")


names = st.text(min_size=1, max_size=400)


@settings(max_examples=400, deadline=None)
@given(names, names)
def test_key_segments_are_injective_bounded_and_stay_in_their_folder(a, b):
    sa, sb = _safe(a), _safe(b)
    assert (sa == sb) == (a == b)
    for name, seg in ((a, sa), (b, sb)):
        assert 0 < len(seg) <= MAX_SEGMENT and "/" not in seg and seg not in (".", "..")
        assert seg.isascii() and not seg.startswith(".")
        if "~" not in seg:
            assert decode_segment(seg) == name


def test_long_and_odd_names_make_storable_keys(lake):
    store = ObjectStore(lake)
    for system in ["x" * 1000, "../../etc", "\ud800", "é" * 200, "%2F"]:
        key = audio_key("raw", system, dt.date(2026, 11, 2), f"{system}-1-2", "wav")
        store.put(key, b"RIFF")
        assert store.get(key) == b"RIFF"


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
