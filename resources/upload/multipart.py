"""A bounded multipart/form-data reader: the body is parsed as it streams in and refused as
soon as it passes the size cap, so an oversized upload is never held whole in memory.

Parts are spooled: a request keeps at most ``memory_bytes`` of its parts in memory and
writes the rest to unnamed temporary files, so a slow or hostile client holds disk, not
RAM, until its key is checked. ``on_part`` sees each part as soon as it ends (the
service refuses a wrong ``key`` there, before the rest of the body is read), and
``read_form`` gives up on a body that stalls or takes too long.

The first ``Content-Type`` header counts: SDRTrunk sends a second one (``audio/mpeg``)
after the multipart one, and Go's ``Header.Get`` in rdio-scanner also reads the first.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterable, Callable, Mapping

from python_multipart.multipart import MultipartParseError, MultipartParser, parse_options_header

MAX_PARTS = 64
MEMORY_BYTES = 1 << 20


class BadBody(ValueError):
    """A body that is not a readable multipart form; the message is the reply text."""


class BodyTooLarge(ValueError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"Request too large: the cap is {limit} bytes")
        self.limit = limit


class BodyTimeout(ValueError):
    """The client stopped sending, or sent too slowly, before the body ended."""


class Part:
    """One form field. Its bytes are in memory or, past the request's memory budget, in an
    unnamed temporary file; ``data`` reads them whole (done only once the key is good)."""

    def __init__(
        self, name: str, filename: str | None, content_type: str | None, data: bytes | None = None
    ) -> None:
        self.name = name
        self.filename = filename
        self.content_type = content_type
        # max_size 0: the reader decides when a part rolls over to disk (``spill``)
        self._spool = tempfile.SpooledTemporaryFile(max_size=0)
        if data:
            self._spool.write(data)

    @property
    def size(self) -> int:
        return self._spool.tell() if not self._spool.closed else 0

    @property
    def on_disk(self) -> bool:
        return bool(self._spool._rolled)  # the one flag SpooledTemporaryFile keeps

    def write(self, chunk: bytes) -> None:
        self._spool.write(chunk)

    def spill(self) -> None:
        self._spool.rollover()

    def head(self, limit: int) -> bytes:
        """The first ``limit`` bytes, without reading the rest."""
        end = self._spool.tell()
        self._spool.seek(0)
        try:
            return self._spool.read(limit)
        finally:
            self._spool.seek(end)

    @property
    def data(self) -> bytes:
        return self.head(self.size)

    def text(self) -> str:
        # trunk-recorder has sent stray non-UTF-8 bytes in text fields; keep what is readable.
        return self.data.decode("utf-8", errors="replace").strip()

    def close(self) -> None:
        self._spool.close()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Part):
            return NotImplemented
        return (self.name, self.filename, self.content_type, self.data) == (
            other.name, other.filename, other.content_type, other.data,
        )  # fmt: skip

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Part({self.name!r}, {self.filename!r}, {self.content_type!r}, {self.size} bytes)"


def close_parts(parts: Mapping[str, Part]) -> None:
    for part in parts.values():
        part.close()


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
    as in rdio-scanner). ``on_part(part, parts_so_far)`` runs as each part ends; what it
    raises stops the reading. ``close`` frees the spooled parts of an abandoned body."""

    def __init__(
        self,
        boundary: bytes,
        max_bytes: int,
        memory_bytes: int = MEMORY_BYTES,
        on_part: Callable[[Part, Mapping[str, Part]], None] | None = None,
    ) -> None:
        self.max_bytes = max_bytes
        self.seen = 0
        self.parts: dict[str, Part] = {}
        self._memory_left = memory_bytes
        self._on_part = on_part
        self._count = 0
        self._ended = False
        self._headers: dict[str, str] = {}
        self._field = bytearray()
        self._value = bytearray()
        self._current: Part | None = None
        try:
            self._parser = MultipartParser(
                boundary,
                callbacks={
                    "on_part_begin": self._part_begin,
                    "on_header_field": lambda d, s, e: self._field.extend(d[s:e]),
                    "on_header_value": lambda d, s, e: self._value.extend(d[s:e]),
                    "on_header_end": self._header_end,
                    "on_part_data": self._part_data,
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

    def close(self) -> None:
        close_parts(self.parts)
        if self._current is not None:
            self._current.close()

    def _part_begin(self) -> None:
        self._count += 1
        if self._count > MAX_PARTS:
            raise BadBody(f"Invalid multipart body: more than {MAX_PARTS} parts")
        self._headers = {}
        self._current = Part("", None, None)

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        assert self._current is not None
        if not self._current.on_disk and self._current.size + end - start > self._memory_left:
            self._current.spill()
        self._current.write(data[start:end])

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
        part, self._current = self._current, None
        assert part is not None
        part.name = name.decode("utf-8", errors="replace")
        part.filename = filename.decode("utf-8", errors="replace") if filename is not None else None
        part.content_type = self._headers.get("content-type")
        if not part.on_disk:
            self._memory_left -= part.size
        replaced = self.parts.pop(part.name, None)
        if replaced is not None:
            replaced.close()
        if self._on_part is not None:
            self._on_part(part, self.parts)
        self.parts[part.name] = part

    def _end(self) -> None:
        self._ended = True


async def read_form(
    content_type: str | None,
    body: AsyncIterable[bytes],
    max_bytes: int,
    *,
    memory_bytes: int = MEMORY_BYTES,
    on_part: Callable[[Part, Mapping[str, Part]], None] | None = None,
    idle_timeout_s: float | None = None,
    timeout_s: float | None = None,
) -> dict[str, Part]:
    """Parts of a streamed multipart body; raises ``BadBody`` or ``BodyTooLarge`` (the
    latter as soon as the cap is passed, without reading the rest), ``BodyTimeout`` when
    no chunk comes for ``idle_timeout_s`` or the whole body takes over ``timeout_s``, and
    whatever ``on_part`` raises. On any error the spooled parts are freed."""
    reader = FormReader(boundary_of(content_type), max_bytes, memory_bytes, on_part)
    loop = asyncio.get_running_loop()
    deadline = None if timeout_s is None else loop.time() + timeout_s
    chunks = aiter(body)
    try:
        while True:
            wait = idle_timeout_s
            if deadline is not None:
                left = deadline - loop.time()
                wait = left if wait is None else min(wait, left)
            try:
                async with asyncio.timeout(wait):
                    chunk = await anext(chunks)
            except StopAsyncIteration:
                break
            except TimeoutError as exc:
                raise BodyTimeout("Request body too slow: the connection is closed") from exc
            if chunk:
                reader.feed(chunk)
        return reader.finish()
    except BaseException:
        reader.close()
        raise
