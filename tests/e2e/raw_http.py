"""Requests no well-behaved client sends, written on a socket: a body announced and never sent."""

from __future__ import annotations

import socket


def announce_body(port: int, path: str, length: int, headers: dict[str, str]) -> int:
    """Sends a request line and headers that announce a ``length``-byte body, then only the
    first kilobyte of it, and returns the status the server answers with.

    A server that reads the whole body before answering never answers: the socket's timeout
    then fails the test.
    """
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {length}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    head = ("\r\n".join(lines) + "\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(head + b"{" * 1024)
        answer = connection.recv(4096)
    return int(answer.split(b" ", 2)[1])
