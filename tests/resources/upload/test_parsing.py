"""The pure pieces: the streaming multipart reader, rdio-scanner's fields, audio probing."""

from __future__ import annotations

import datetime as dt

import pytest

from resources.calls import Unit
from resources.upload.audio import BadAudio, UnsupportedAudio, probe, sniff
from resources.upload.multipart import BodyTooLarge, FormReader, Part
from resources.upload.rdio import IncompleteCall, InvalidField, parse_call_upload
from tests.resources.upload.support import TrunkRecorderCall, encoded, libcurl_mime, wav_bytes


def _parts(**fields: str | bytes) -> dict[str, Part]:
    return {
        name: Part(name, None, None, value if isinstance(value, bytes) else value.encode())
        for name, value in fields.items()
    }


def test_form_reader_gives_the_same_parts_however_the_body_is_cut() -> None:
    call = TrunkRecorderCall(audio=wav_bytes(0.5), api_key="k" * 20)
    headers, body = libcurl_mime(call)
    boundary = headers["Content-Type"].split("boundary=")[1].encode()
    results = []
    for size in (1, 7, 4096, len(body)):
        reader = FormReader(boundary, max_bytes=len(body))
        for i in range(0, len(body), size):
            reader.feed(body[i : i + size])
        results.append(reader.finish())

    assert all(r == results[0] for r in results)
    parts = results[0]
    assert parts["audio"] == Part("audio", call.audio_name, "application/octet-stream", call.audio)
    assert [(n, parts[n].text()) for n, _ in call.fields()] == call.fields()


def test_form_reader_stops_at_the_cap() -> None:
    reader = FormReader(b"xyz", max_bytes=100)
    reader.feed(b"--xyz\r\n" + b"a" * 50)
    with pytest.raises(BodyTooLarge):
        reader.feed(b"a" * 60)


def test_rdio_fields_read_as_rdio_scanner_reads_them() -> None:
    upload = parse_call_upload(
        _parts(
            key="k", system="11", dateTime="2022-11-29T18:05:38.000Z", talkgroup="54241", frequency="774031250.0",
            talkgroupLabel="TDB A1", talkgroupGroup="-", talkgroupTag="Fire dispatch", source="4424000", sources="[]",
            patches="[54241, 54242]", audio=wav_bytes(0.2),
        )
    )  # fmt: skip
    meta = upload.meta(0.2)
    assert meta.system == "11"  # no systemLabel: the rdio-scanner system id
    assert meta.start_time == dt.datetime(2022, 11, 29, 18, 5, 38, tzinfo=dt.UTC)
    assert (meta.freq_hz, meta.talkgroup_tag, meta.talkgroup_group, meta.talkgroup_group_tag) == (
        774_031_250, "TDB A1", None, "Fire dispatch",
    )  # fmt: skip
    assert meta.units == (Unit(4_424_000),)


def test_a_stray_non_utf8_byte_does_not_reject_a_call() -> None:
    # old trunk-recorder builds assigned the talkgroup number to talkgroupGroup's std::string
    upload = parse_call_upload(_parts(talkgroupGroup=b"\xd2", talkgroup="1234", systemLabel="x", dateTime="1700000000"))
    assert upload.details["talkgroup_group"] == "\ufffd"


def test_missing_fields_report_as_rdio_scanner_does() -> None:
    with pytest.raises(IncompleteCall, match="no talkgroup"):
        parse_call_upload(_parts(key="k", system="5", test="1")).check_complete()
    with pytest.raises(IncompleteCall, match="no audio"):
        parse_call_upload(_parts(talkgroup="1", system="5", dateTime="1700000000", audio=b"RIFF")).check_complete()


@pytest.mark.parametrize(
    ("fields", "name"),
    [
        ({"dateTime": "1e400"}, "dateTime"),
        ({"dateTime": "-5"}, "dateTime"),
        ({"system": "1.5"}, "system"),
        ({"sources": '[{"src": "1001"}]'}, "sources"),
        ({"sources": "[1001]"}, "sources"),
    ],
)
def test_unreadable_values_name_their_field(fields: dict[str, str], name: str) -> None:
    with pytest.raises(InvalidField) as err:
        parse_call_upload(_parts(**fields))
    assert err.value.name == name


@pytest.mark.parametrize(("ext", "seconds"), [("m4a", 2.0), ("mp3", 3.0), ("flac", 1.5)])
def test_probe_reads_format_and_duration(ext: str, seconds: float) -> None:
    probed = probe(encoded(seconds, ext), None, timeout_s=20)
    assert probed.ext == ext
    assert probed.duration_s == pytest.approx(seconds, abs=0.06)


def test_probe_reads_wav_headers() -> None:
    probed = probe(wav_bytes(4.25, rate=16000), "audio/wav", timeout_s=5)
    assert (probed.ext, probed.duration_s) == ("wav", pytest.approx(4.25))


def test_probe_refuses_what_it_cannot_read() -> None:
    assert sniff(b"\x00" * 100) is None
    with pytest.raises(UnsupportedAudio):
        probe(b"\x00" * 100, "audio/aac", timeout_s=5)
    with pytest.raises(BadAudio):
        probe(b"RIFF\x00\x00\x00\x00WAVEjunkjunkjunk" + bytes(100), None, timeout_s=5)
    with pytest.raises(BadAudio):
        probe(b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(3000), None, timeout_s=5)
    with pytest.raises(BadAudio, match="no samples"):
        probe(wav_bytes(0.0), None, timeout_s=5)
