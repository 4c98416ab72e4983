"""Hostile clients for the upload service: raw sockets that trickle headers or bodies, and
what happened to each (the status it got, what it had sent, when the server closed it)."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass

MiB = 1 << 20


def form(fields: Sequence[tuple[str, bytes]]) -> tuple[str, bytes]:
    """A multipart body with ``fields`` in that order; ``audio`` as a file part."""
    boundary = "-" * 24 + secrets.token_hex(8)
    out = bytearray()
    for name, value in fields:
        disposition = f'form-data; name="{name}"' + ('; filename="call.wav"' if name == "audio" else "")
        out += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + value + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return boundary, bytes(out)


def post_head(port: int, boundary: str, length: int, path: str = "/api/call-upload") -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: TrunkRecorder1.0\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {length}\r\n\r\n"
    ).encode()


@dataclass
class Outcome:
    status: int | None  # None: no reply before the client gave up
    sent: int  # body bytes written before the reply or the close
    closed_after_s: float | None  # None: still open when the client gave up
    reply: bytes


async def trickle(
    port: int,
    head: bytes,
    body: bytes,
    chunk: int,
    pause_s: float,
    give_up_s: float,
    source: str = "127.0.0.1",
) -> Outcome:
    """Send ``head`` at once, then ``body`` ``chunk`` bytes every ``pause_s``, until the
    server replies or closes, or ``give_up_s`` passes; then wait (within ``give_up_s``) for
    the server to close the connection."""
    started = time.monotonic()
    reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
    reply = asyncio.create_task(reader.read(65536))
    sent = 0
    try:
        writer.write(head)
        for start in range(0, len(body), chunk):
            if reply.done() or time.monotonic() - started > give_up_s:
                break
            writer.write(body[start : start + chunk])
            await writer.drain()
            sent += len(body[start : start + chunk])
            await asyncio.sleep(pause_s)
    except (ConnectionError, OSError):
        pass  # the server closed on us: what the reply and the close below tell
    data = b""
    closed = None
    try:
        more = await asyncio.wait_for(reply, max(0.1, started + give_up_s - time.monotonic()))
        while more:
            data += more
            more = await asyncio.wait_for(reader.read(65536), max(0.1, started + give_up_s - time.monotonic()))
        closed = time.monotonic() - started
    except ConnectionError:
        closed = time.monotonic() - started
    except TimeoutError:
        pass  # still open when the client gave up
    finally:
        reply.cancel()
        writer.close()
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.1 ") else None
    return Outcome(status, sent, closed, data)


async def slow_headers(port: int, pause_s: float, give_up_s: float) -> float | None:
    """Open a connection and trickle a request's headers a byte every ``pause_s``; the
    seconds until the server closed it (None: still open after ``give_up_s``)."""
    started = time.monotonic()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    line = b"POST /api/call-upload HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"a" * 4096
    try:
        for byte in line:
            if reader.at_eof() or time.monotonic() - started > give_up_s:
                break
            writer.write(bytes([byte]))
            await writer.drain()
            try:
                if await asyncio.wait_for(reader.read(1), pause_s) == b"":
                    return time.monotonic() - started
            except TimeoutError:
                pass
    except (ConnectionError, OSError):
        return time.monotonic() - started
    finally:
        writer.close()
    return None
