"""The stand-in Slack Web API and Telegram Bot API, each in a process of its own.

The platforms' APIs are far away from a deployed bot. Served from the load generator's process
instead, every reply the worker sends would take that interpreter from the requests being
measured; in a process of their own they only share the machine, as the servers do.

The benchmark asks the process over a pipe how many calls of a method it has seen and what the
last one carried.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import threading
import time
from multiprocessing.connection import Connection
from typing import Any

from standins.slack_api import FakeSlackServer
from standins.telegram_api import BotApiStandIn, make_server


def _slack(conn: Connection, limits: bool = False) -> None:
    server = FakeSlackServer()
    server.fake.limits = limits
    with server as fake:
        conn.send(server.url)

        def calls(method: str | None) -> list[dict[str, Any]]:
            with fake.lock:
                return [c.body for c in fake.calls if method in (None, c.method)]

        def refusals() -> tuple[int, int]:
            with fake.lock:
                return fake.floods, fake.early

        _answer(conn, calls, lambda: None, refusals)


def _telegram(conn: Connection, limits: bool = False) -> None:
    standin = BotApiStandIn(limits=limits)
    server = make_server(standin)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        conn.send(f"http://127.0.0.1:{server.server_address[1]}/bot")

        def calls(method: str | None) -> list[dict[str, Any]]:
            with standin.lock:
                return [c.params for c in standin.calls if method in (None, c.method)]

        def refusals() -> tuple[int, int]:
            with standin.lock:
                return standin.floods, standin.early

        _answer(conn, calls, lambda: standin.next_message_id, refusals)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def _answer(conn: Connection, calls: Any, next_message_id: Any, refusals: Any) -> None:
    """Answers the parent's questions until it says stop (or is gone)."""
    while True:
        try:
            question, method = conn.recv()
        except EOFError:
            return
        if question == "stop":
            return
        found = calls(method)
        if question == "count":
            conn.send(len(found))
        elif question == "last":
            conn.send(found[-1] if found else None)
        elif question == "next_message_id":
            conn.send(next_message_id())
        elif question == "refusals":
            conn.send(refusals())
        elif question == "chats":
            conn.send(len({str(c.get("chat_id") or c.get("channel")) for c in found}))


class StandIn:
    """A stand-in API in a child process; ``url`` is where it serves once entered."""

    def __init__(self, kind: str, *, limits: bool = False) -> None:
        """``limits``: the stand-in answers 429 past the platform's rate limits."""
        target = {"slack": _slack, "telegram": _telegram}[kind]
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=target, args=(child, limits), daemon=True)
        self._lock = threading.Lock()  # asked from the event loop and from worker threads
        self.url = ""

    def __enter__(self) -> StandIn:
        self._process.start()
        if not self._conn.poll(30):
            raise RuntimeError("the stand-in API did not start")
        self.url = self._conn.recv()
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(OSError):
            self._conn.send(("stop", None))
        self._process.join(10)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(5)

    def _ask(self, question: str, method: str | None = None) -> Any:
        with self._lock:
            self._conn.send((question, method))
            return self._conn.recv()

    def count(self, method: str | None = None) -> int:
        """How many calls it has answered (of ``method``, if given)."""
        return int(self._ask("count", method))

    def last(self, method: str) -> dict[str, Any] | None:
        """The parameters of the last call of ``method``."""
        found: dict[str, Any] | None = self._ask("last", method)
        return found

    def floods(self) -> int:
        """How many calls the stand-in refused with 429 for its limits."""
        return int(self._ask("refusals")[0])

    def early(self) -> int:
        """How many calls came to a chat (channel) before the 429's wait it was given ended."""
        return int(self._ask("refusals")[1])

    def chats(self, method: str) -> int:
        """How many distinct chats (channels) calls of ``method`` went to."""
        return int(self._ask("chats", method))

    def next_message_id(self) -> int:
        """The Telegram stand-in's next message id."""
        return int(self._ask("next_message_id"))

    def wait_for(self, method: str, count: int, timeout: float = 15.0) -> None:
        """Until ``method`` was called ``count`` times; fails after ``timeout`` seconds."""
        end = time.monotonic() + timeout
        while self.count(method) < count:
            if time.monotonic() > end:
                raise TimeoutError(f"{method} was not called {count} times")
            time.sleep(0.05)
