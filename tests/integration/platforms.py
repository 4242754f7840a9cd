"""A stand-in for the two platforms' send methods, recording what they accept.

Slack's ``chat.postMessage`` (and ``chat.postEphemeral``) under ``/slack/`` and Telegram's
``sendMessage`` under ``/telegram/bot<token>/``, which also answers ``getMe`` and the other
calls a starting bot makes; the sender is told apart by its token (``xoxb-<name>``,
``1:<name>``).
"""

from __future__ import annotations

import json
import threading
import time as wallclock
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

HANG_AT_MOST = 80.0  # seconds a hanging request waits before it is answered after all


@dataclass
class Post:
    """A message as the platform received it, and the simulated time it arrived."""

    platform: str
    sender: str  # the process, told apart by its token
    channel: str
    text: str
    at: datetime


@dataclass
class Platforms:
    """Slack's ``chat.postMessage`` and Telegram's ``sendMessage``, recording what they accept.

    ``refuse`` queues answers (429 or 502) for the next posts of a platform; ``hang`` makes the
    named process's posts after its first ``n`` hang unanswered, as if the network stalled.
    A 429 asks to wait ``retry_after`` seconds (Slack's header, Telegram's parameter).
    """

    clock: Callable[[], datetime]
    posts: list[Post] = field(default_factory=list)
    refused: list[tuple[str, int]] = field(default_factory=list)
    refuse: dict[str, list[int]] = field(default_factory=dict)
    hang: dict[str, int] = field(default_factory=dict)
    retry_after: int = 1
    hanging: list[Post] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def receive(self, platform: str, sender: str, channel: str, text: str) -> int:
        post = Post(platform, sender, channel, text, self.clock())
        with self.lock:
            pending = self.refuse.get(platform)
            if pending:
                status = pending.pop(0)
                self.refused.append((platform, status))
                return status
            self.posts.append(post)  # received: from here on the platform shows it
            mine = sum(1 for p in self.posts if p.sender == sender)
            hangs = sender in self.hang and mine > self.hang[sender]
            if hangs:
                self.hanging.append(post)
        if hangs:
            self.release.wait(HANG_AT_MOST)
        return 200

    def accepted(self) -> list[Post]:
        with self.lock:
            return list(self.posts)


def serve_platforms(platforms: Platforms) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            if "json" in (self.headers.get("Content-Type") or ""):
                body = json.loads(raw or "{}")
            else:
                body = dict(parse_qsl(raw, keep_blank_values=True))
            if self.path.startswith("/slack/"):
                sender = (self.headers.get("Authorization") or "").removeprefix("Bearer xoxb-")
                status = platforms.receive("slack", sender, body["channel"], body["text"])
                self._answer(status, _slack_answer(status))
            elif self.path.endswith("/sendMessage"):  # /telegram/bot1:<name>/sendMessage
                sender = self.path.split("/")[2].removeprefix("bot1:")
                status = platforms.receive("telegram", sender, body["chat_id"], body["text"])
                self._answer(status, _telegram_answer(status, platforms.retry_after, body))
            else:  # getMe when the bot starts, and the like
                self._answer(200, {"ok": True, "result": _telegram_result(self.path)})

        def _answer(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                if status == 429:
                    self.send_header("Retry-After", str(platforms.retry_after))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass  # the process that asked was killed meanwhile

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    return server


def _telegram_result(path: str) -> Any:
    if path.endswith("/getMe"):
        return {
            "id": 1,
            "is_bot": True,
            "first_name": "Samverkansboten",
            "username": "samverkan_bot",
        }
    return True


def _slack_answer(status: int) -> dict[str, Any]:
    if status == 200:
        return {"ok": True, "channel": "C", "ts": f"{wallclock.time():.6f}"}
    return {"ok": False, "error": "ratelimited" if status == 429 else "internal_error"}


def _telegram_answer(status: int, retry_after: int, body: dict[str, Any]) -> dict[str, Any]:
    if status == 200:
        chat = {"id": int(body["chat_id"]), "type": "group", "title": "Team"}
        message = {"message_id": 1, "date": 0, "chat": chat, "text": body["text"]}
        return {"ok": True, "result": message}
    if status == 429:
        description = f"Too Many Requests: retry after {retry_after}"
        return {"ok": False, "error_code": 429, "description": description,
                "parameters": {"retry_after": retry_after}}  # fmt: skip
    return {"ok": False, "error_code": status, "description": "Bad Gateway"}
