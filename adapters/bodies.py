"""A webhook's body, read only as far as a platform's payloads can reach.

Starlette reads a body whole when asked for it. Here a declared ``Content-Length`` over the
limit is refused before a byte is read, and a body sent without one is counted as it streams
in, so that an unsigned request of any size costs at most ``limit`` bytes of memory.
"""

from __future__ import annotations

from starlette.requests import Request


class BodyTooLarge(Exception):
    """The body is, or says it is, longer than the route accepts."""


class MalformedBody(Exception):
    """The request's framing cannot be read (a ``Content-Length`` that is not a number)."""


async def body_within(request: Request, limit: int) -> bytes:
    """The request's body, if it is at most ``limit`` bytes.

    Raises :class:`BodyTooLarge` as soon as the header or the stream says more, and
    :class:`MalformedBody` for a ``Content-Length`` that is not a number.
    """
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise MalformedBody(f"Content-Length {declared[:20]!r}")
        if int(declared) > limit:
            raise BodyTooLarge(f"declared {declared} bytes, more than {limit}")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(f"more than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
