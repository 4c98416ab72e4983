"""A bounded multipart/form-data reader: the body is parsed as it streams in and refused as
soon as it passes the size cap, so an oversized upload is never held whole in memory.

The first ``Content-Type`` header counts: SDRTrunk sends a second one (``audio/mpeg``)
after the multipart one, and Go's ``Header.Get`` in rdio-scanner also reads the first.
"""

from __future__ import annotations

from collections.abc import AsyncIterable
from dataclasses import dataclass

from python_multipart.multipart import MultipartParseError, MultipartParser, parse_options_header

MAX_PARTS = 64


class BadBody(ValueError):
    """A body that is not a readable multipart form; the message is the reply text."""


class BodyTooLarge(ValueError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"Request too large: the cap is {limit} bytes")
        self.limit = limit


@dataclass(frozen=True)
class Part:
    name: str
    filename: str | None
    content_type: str | None
    data: bytes

    def text(self) -> str:
        # trunk-recorder has sent stray non-UTF-8 bytes in text fields; keep what is readable.
        return self.data.decode("utf-8", errors="replace").strip()


def boundary_of(content_type: str | None) -> bytes:
    kind, params = parse_options_header(content_type)
    if not kind:
        raise BadBody("Invalid content-type")
    if not kind.startswith(b"multipart/"):
        raise BadBody("Not a multipart content")
    boundary = params.get(b"boundary")
    if not boundary:
        raise BadBody("Invalid content-type: multipart without a boundary")
    return boundary


class FormReader:
    """Feed it body chunks; ``finish`` gives the parts by name (the last of a name wins,
    as in rdio-scanner)."""

    def __init__(self, boundary: bytes, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.seen = 0
        self.parts: dict[str, Part] = {}
        self._count = 0
        self._ended = False
        self._headers: dict[str, str] = {}
        self._field = bytearray()
        self._value = bytearray()
        self._data = bytearray()
        try:
            self._parser = MultipartParser(
                boundary,
                callbacks={
                    "on_part_begin": self._part_begin,
                    "on_header_field": lambda d, s, e: self._field.extend(d[s:e]),
                    "on_header_value": lambda d, s, e: self._value.extend(d[s:e]),
                    "on_header_end": self._header_end,
                    "on_part_data": lambda d, s, e: self._data.extend(d[s:e]),
                    "on_part_end": self._part_end,
                    "on_end": self._end,
                },
            )
        except ValueError as exc:
            raise BadBody(f"Invalid content-type: {exc}") from exc

    def feed(self, chunk: bytes) -> None:
        self.seen += len(chunk)
        if self.seen > self.max_bytes:
            raise BodyTooLarge(self.max_bytes)
        try:
            self._parser.write(chunk)
        except MultipartParseError as exc:
            raise BadBody(f"Invalid multipart body: {exc}") from exc

    def finish(self) -> dict[str, Part]:
        try:
            self._parser.finalize()
        except MultipartParseError as exc:
            raise BadBody(f"Invalid multipart body: {exc}") from exc
        if not self._ended:
            raise BadBody("Invalid multipart body: it ends before its closing boundary")
        return self.parts

    def _part_begin(self) -> None:
        self._count += 1
        if self._count > MAX_PARTS:
            raise BadBody(f"Invalid multipart body: more than {MAX_PARTS} parts")
        self._headers = {}
        self._data = bytearray()

    def _header_end(self) -> None:
        name = self._field.decode("latin-1").strip().lower()
        self._headers[name] = self._value.decode("latin-1").strip()
        self._field = bytearray()
        self._value = bytearray()

    def _part_end(self) -> None:
        kind, params = parse_options_header(self._headers.get("content-disposition"))
        name = params.get(b"name")
        if kind != b"form-data" or not name:
            raise BadBody("Invalid multipart body: a part has no form-data name")
        filename = params.get(b"filename")
        self.parts[name.decode("utf-8", errors="replace")] = Part(
            name=name.decode("utf-8", errors="replace"),
            filename=filename.decode("utf-8", errors="replace") if filename is not None else None,
            content_type=self._headers.get("content-type"),
            data=bytes(self._data),
        )

    def _end(self) -> None:
        self._ended = True


async def read_form(content_type: str | None, body: AsyncIterable[bytes], max_bytes: int) -> dict[str, Part]:
    """Parts of a streamed multipart body; raises ``BadBody`` or ``BodyTooLarge`` (the
    latter as soon as the cap is passed, without reading the rest)."""
    reader = FormReader(boundary_of(content_type), max_bytes)
    async for chunk in body:
        if chunk:
            reader.feed(chunk)
    return reader.finish()
