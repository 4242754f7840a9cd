"""A stand-in for the Slack Web API: records every call and answers like Slack would."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

BOT_USER_ID = "UBOT"
AUTH = {
    "ok": True,
    "url": "https://test.slack.com/",
    "team": "Test",
    "user": "samverkan",
    "team_id": "T111",
    "user_id": BOT_USER_ID,
    "bot_id": "B111",
    "is_enterprise_install": False,
}


@dataclass
class Call:
    method: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class FakeSlack:
    """Calls are recorded in order; ``fail_next`` makes the next calls of a method fail."""

    calls: list[Call] = field(default_factory=list)
    failures: dict[str, list[int]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    ts: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    socket_url: str = ""

    def fail_next(self, method: str, status: int, times: int = 1) -> None:
        with self.lock:
            self.failures.setdefault(method, []).extend([status] * times)

    def calls_to(self, method: str) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        """The calls of ``method`` once there are at least ``count``; fails after ``timeout``."""
        self.wait_until(lambda: len(self.calls_to(method)) >= count, method, timeout)
        return self.calls_to(method)

    def wait_until(self, ready: Callable[[], bool], what: str, timeout: float = 10.0) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if ready():
                return self.calls_to(what)
            time.sleep(0.02)
        raise AssertionError(f"timed out waiting for {what}; calls: {self.calls}")

    def answer(self, method: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self.lock:
            pending = self.failures.get(method)
            status = pending.pop(0) if pending else 200
            self.calls.append(Call(method, {}, body))
            if status != 200:
                return status, {"ok": False, "error": "ratelimited" if status == 429 else "fatal"}
            if method == "auth.test":
                return 200, AUTH
            if method == "apps.connections.open":
                return 200, {"ok": True, "url": self.socket_url}
            if method == "users.info":
                user = body.get("user", "")
                return 200, {
                    "ok": True,
                    "user": {"id": user, "profile": {"display_name": f"Namn {user}"}},
                }
            if method == "chat.postMessage":
                ts = f"1700000000.{next(self.ts):06d}"
                return 200, {"ok": True, "channel": body.get("channel"), "ts": ts}
            return 200, {"ok": True}


def _handler(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode()
            path, _, query = self.path.partition("?")
            body = {**{k: v[0] for k, v in parse_qs(query).items()}, **_decode(raw, self.headers)}
            status, answer = fake.answer(path.strip("/"), body)
            fake.calls[-1].headers = dict(self.headers.items())
            payload = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            if status == 429:
                self.send_header("Retry-After", "1")
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def _decode(raw: str, headers: Any) -> dict[str, Any]:
    if "json" in (headers.get("Content-Type") or ""):
        return dict(json.loads(raw or "{}"))
    return {k: v[0] for k, v in parse_qs(raw).items()}


class FakeSlackServer:
    def __init__(self) -> None:
        self.fake = FakeSlack()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.fake))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def __enter__(self) -> FakeSlack:
        self.thread.start()
        return self.fake

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)
