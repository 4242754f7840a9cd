"""Serving the real ASGI app with uvicorn on a free loopback port, in a thread."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import uvicorn


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serving(asgi: Any) -> Iterator[int]:
    """Runs ``asgi`` (lifespan included) until the block ends; yields the port."""
    port = free_port()
    config = uvicorn.Config(asgi, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        end = time.monotonic() + 20
        while not server.started:
            assert time.monotonic() < end and thread.is_alive(), "server did not start"
            time.sleep(0.02)
        yield port
    finally:
        server.should_exit = True
        thread.join(20)
