"""A stand-in for the Telegram Bot API: answers like Telegram and records every call."""

from __future__ import annotations

import contextlib
import io
import json
import math
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

from PIL import Image

from standins.faults import RandomFaults

ALLOWED_TAGS = {"b", "i", "u", "s", "code", "pre", "a"}
_TAG = re.compile(r"<\s*/?\s*([A-Za-z][A-Za-z0-9-]*)")
ME = {"id": 999, "is_bot": True, "first_name": "Samverkan", "username": "SamverkanBot"}


@dataclass(frozen=True)
class Upload:
    """A file sent in a multipart request: its name and its bytes."""

    filename: str
    data: bytes


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, Upload] = field(default_factory=dict)


# What the Bot API takes (https://core.telegram.org/bots/api#senddocument, #sendphoto).
DOCUMENT_LIMIT = 50_000_000  # bytes of a file uploaded with multipart/form-data
PHOTO_LIMIT = 10_000_000
MAX_CAPTION = 1024


@dataclass
class BotApiStandIn:
    calls: list[Call] = field(default_factory=list)
    flood_next: int = 0  # answer the next N sendMessage calls with 429 (retry after 1 s)
    break_next: int = 0  # answer the next N sendMessage calls with 502 Bad Gateway
    hang_next: int = 0  # answer the next N sendMessage calls only after ``hang_seconds``
    hang_seconds: float = 0.0
    held: list[Call] = field(default_factory=list)  # sendMessage calls that hung, as they began
    # The next sendMessage calls answered with these (status, body), in order, as Telegram would;
    # ``None`` answers that call as usual.
    refuse_next: list[tuple[int, dict[str, Any]] | None] = field(default_factory=list)
    kicked_from: set[str] = field(default_factory=set)  # chats the bot was removed from
    # People who never opened a private chat with the bot: it cannot write to them first.
    strangers: set[str] = field(default_factory=set)
    gone: set[str] = field(default_factory=set)  # chats Telegram no longer knows
    next_message_id: int = 5000
    # Telegram's flood limits on sendMessage, when switched on: 1 a second per chat, 20 a
    # minute per group, 30 a second in all; a call over one is answered 429 with the seconds
    # until it would pass, and counted in ``floods``; a call to a chat before the retry_after
    # it was given has passed is counted in ``early``.
    limits: bool = False
    floods: int = 0
    early: int = 0
    _sent: dict[str, list[float]] = field(default_factory=dict)
    _told: dict[str, float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    pending: list[dict[str, Any]] = field(default_factory=list)  # updates for getUpdates
    handed_out: list[int] = field(default_factory=list)  # update ids getUpdates answered with
    offsets: list[int] = field(default_factory=list)  # the offset of every getUpdates, in order
    # Called with a getUpdates call's offset as it arrives, before it confirms or answers anything.
    asking_for_updates: Callable[[int], None] | None = None
    # Called once getUpdates has answered with updates (the bytes written to the poller).
    after_handing_out: Callable[[], None] | None = None
    port: int = 0
    revoked: set[str] = field(default_factory=set)  # tokens Telegram answers 401 for
    webhook_url: str = ""  # as setWebhook left it
    document_limit: int = DOCUMENT_LIMIT
    photo_limit: int = PHOTO_LIMIT
    # Random faults, when switched on (:meth:`fail_at_random`); a hang lasts ``hang_seconds``.
    random_faults: RandomFaults | None = None

    def fail_at_random(
        self, methods: set[str], share: float, seed: int, hang_seconds: float
    ) -> RandomFaults:
        """From now on a ``share`` of the calls of ``methods`` fail: a 500, a 503, a 429
        asking to wait a second, or a hang of ``hang_seconds`` after which the call is done
        (:mod:`standins.faults`)."""
        self.hang_seconds = hang_seconds
        self.random_faults = RandomFaults(methods, share, seed)
        return self.random_faults

    @property
    def url(self) -> str:
        """The ``api_url`` (``TELEGRAM_API_URL``) that points a bot here."""
        return f"http://127.0.0.1:{self.port}/bot"

    def answer(
        self,
        method: str,
        params: dict[str, Any],
        files: dict[str, Upload] | None = None,
        token: str = "",
    ) -> tuple[int, dict[str, Any]]:
        if token in self.revoked:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        if method == "getUpdates":
            offset = int(params.get("offset") or 0)
            with self.lock:
                self.offsets.append(offset)
            if self.asking_for_updates is not None:
                self.asking_for_updates(offset)
            return 200, {"ok": True, "result": self._updates(params)}
        fault = self.random_faults.draw(method) if self.random_faults is not None else None
        if fault == "hang":
            time.sleep(self.hang_seconds)
        elif fault == "429":
            return 429, flood(1)
        elif fault is not None:
            status = int(fault)
            return status, {"ok": False, "error_code": status, "description": "Server error"}
        if method == "sendMessage":
            refused = self._refused(params)
            if refused is not None:
                return refused
        with self.lock:
            self.calls.append(Call(method, params, files or {}))
            if method in ("sendDocument", "sendPhoto"):
                return self._file(method, params, files or {})
            return self._answer(method, params)

    def _refused(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
        """How Telegram refuses a sendMessage this time, if it does."""
        with self.lock:
            hang = self.hang_next > 0
            if hang:
                self.hang_next -= 1
                self.held.append(Call("sendMessage", params))
        if hang:
            time.sleep(self.hang_seconds)
        with self.lock:
            refusal = self.refuse_next.pop(0) if self.refuse_next else None
            if refusal is not None:
                return refusal
            if self.flood_next > 0:
                self.flood_next -= 1
                return 429, flood(1)
            if self.break_next > 0:
                self.break_next -= 1
                return 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}
            chat = str(params.get("chat_id"))
            wait = self._over_limit(chat) if self.limits else 0.0
            if wait > 0:
                self.floods += 1
                seconds = max(1, math.ceil(wait))
                self._told[chat] = time.monotonic() + seconds
                return 429, flood(seconds)
            if chat in self.kicked_from:
                kicked = "Forbidden: bot was kicked from the supergroup chat"
                return 403, {"ok": False, "error_code": 403, "description": kicked}
            if chat in self.gone:
                gone = "Bad Request: chat not found"
                return 400, {"ok": False, "error_code": 400, "description": gone}
        return None

    def _over_limit(self, chat: str) -> float:
        """Seconds until a message to ``chat`` keeps every limit; 0: it is counted as sent."""
        now = time.monotonic()
        if now < self._told.get(chat, 0.0):
            self.early += 1
        windows = [(f"chat:{chat}", 1, 1.0), ("all", 30, 1.0)]
        if chat.startswith("-"):
            windows.append((f"group:{chat}", 20, 60.0))
        wait = 0.0
        for key, count, per in windows:
            sent = [at for at in self._sent.get(key, []) if at > now - per]
            self._sent[key] = sent
            if len(sent) >= count:
                wait = max(wait, sent[-count] + per - now)
        if wait == 0:
            for key, _, _ in windows:
                self._sent[key].append(now)
        return wait

    def _answer(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if method == "getMe":
            return 200, {"ok": True, "result": ME}
        if method in ("setWebhook", "deleteWebhook"):
            self.webhook_url = str(params.get("url") or "") if method == "setWebhook" else ""
        if method == "getWebhookInfo":
            info = {"url": self.webhook_url, "has_custom_certificate": False}
            return 200, {"ok": True, "result": info | {"pending_update_count": len(self.pending)}}
        if method in ("sendMessage", "editMessageText"):
            refusal = _refusal(params)
            if refusal:
                self.calls[-1].method += ":refused"
                return 400, {"ok": False, "error_code": 400, "description": refusal}
            return 200, {"ok": True, "result": self._message(params)}
        return 200, {"ok": True, "result": True}

    def _file(
        self, method: str, params: dict[str, Any], files: dict[str, Upload]
    ) -> tuple[int, dict[str, Any]]:
        """sendDocument and sendPhoto as Telegram answers them: an uploaded file over its limit
        is refused (a document with HTTP 413, a photo as unsaveable), a photo's width and
        height must not exceed 10,000 together nor one be over 20 times the other, and a
        caption is at most 1024 characters."""
        if str(params.get("chat_id")) in self.strangers:
            stranger = "Forbidden: bot can't initiate conversation with a user"
            return 403, {"ok": False, "error_code": 403, "description": stranger}
        field_name = "photo" if method == "sendPhoto" else "document"
        upload = files.get(field_name)
        if upload is None:
            return 400, _bad(f"Bad Request: there is no {field_name} in the request")
        if len(str(params.get("caption", ""))) > MAX_CAPTION:
            return 400, _bad("Bad Request: message caption is too long")
        if method == "sendDocument" and len(upload.data) > self.document_limit:
            too_large = {"ok": False, "error_code": 413, "description": "Request Entity Too Large"}
            return 413, too_large
        if method == "sendPhoto":
            refused = _photo_refusal(upload.data, self.photo_limit)
            if refused:
                return 400, _bad(refused)
        message = self._message(params)
        message.pop("text")
        if params.get("caption"):
            message["caption"] = str(params["caption"])
        stored = {
            "file_id": f"F{self.next_message_id}",
            "file_unique_id": f"U{self.next_message_id}",
            "file_size": len(upload.data),
        }
        if method == "sendPhoto":
            width, height = Image.open(io.BytesIO(upload.data)).size
            message["photo"] = [{**stored, "width": width, "height": height}]
        else:
            message["document"] = {**stored, "file_name": upload.filename}
        return 200, {"ok": True, "result": message}

    def _updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """The pending updates from ``offset`` on, as Telegram hands them out.

        An offset confirms (forgets) every update below it; the rest are handed out again until
        confirmed. With none pending it waits up to ``timeout`` seconds for one (a long poll).
        """
        offset = int(params.get("offset") or 0)
        end = time.monotonic() + float(params.get("timeout") or 0)
        while True:
            with self.lock:
                self.pending = [u for u in self.pending if u["update_id"] >= offset]
                if self.pending or time.monotonic() >= end:
                    self.handed_out += [u["update_id"] for u in self.pending]
                    return list(self.pending)
            time.sleep(0.02)

    def _message(self, params: dict[str, Any]) -> dict[str, Any]:
        self.next_message_id += 1
        chat_id = int(params.get("chat_id", 0))
        return {
            "message_id": self.next_message_id,
            "from": ME,
            # A private chat's id is the person's, a positive number; groups' are negative.
            "chat": (
                {"id": chat_id, "type": "private", "first_name": "Someone"}
                if chat_id > 0
                else {"id": chat_id, "type": "supergroup", "title": "Team"}
            ),
            "date": int(time.time()),
            "text": str(params.get("text", "")),
        }

    def called(self, method: str) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(
        self, check: Callable[[], Any], deadline: float = 15.0, every: float = 0.02
    ) -> Any:
        """Polls every ``every`` seconds until ``check()`` is truthy, and returns what it
        returned; fails after ``deadline`` seconds."""
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            result = check()
            if result:
                return result
            time.sleep(every)
        raise AssertionError(f"not seen in time; calls: {[c.method for c in self.calls]}")


def _bad(description: str) -> dict[str, Any]:
    return {"ok": False, "error_code": 400, "description": description}


def _photo_refusal(data: bytes, limit: int) -> str | None:
    if len(data) > limit:
        return "Bad Request: PHOTO_SAVE_FILE_INVALID"
    try:
        width, height = Image.open(io.BytesIO(data)).size
    except OSError:
        return "Bad Request: IMAGE_PROCESS_FAILED"
    if width + height > 10_000 or max(width, height) > 20 * min(width, height):
        return "Bad Request: PHOTO_INVALID_DIMENSIONS"
    return None


def flood(seconds: int) -> dict[str, Any]:
    """Telegram's answer to one request too many (with HTTP status 429)."""
    return {
        "ok": False,
        "error_code": 429,
        "description": f"Too Many Requests: retry after {seconds}",
        "parameters": {"retry_after": seconds},
    }


def _refusal(params: dict[str, Any]) -> str | None:
    text = str(params.get("text", ""))
    if len(text) > 4096:
        return "Bad Request: message is too long"
    markup = params.get("reply_markup") or {}
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if len(str(button.get("callback_data", "")).encode("utf-8")) > 64:
                return "Bad Request: BUTTON_DATA_INVALID"
    if params.get("parse_mode") == "HTML":
        for match in _TAG.finditer(text):
            if match.group(1).lower() not in ALLOWED_TAGS:
                offset = len(text[: match.start()].encode("utf-8"))
                return (
                    "Bad Request: can't parse entities: Unsupported start tag "
                    f'"{match.group(1)}" at byte offset {offset}'
                )
    return None


def _parse_body(content_type: str, body: bytes) -> tuple[dict[str, Any], dict[str, Upload]]:
    """The request's fields, and the files of a multipart request by field name."""
    if content_type.startswith("application/json"):
        parsed: dict[str, Any] = json.loads(body or b"{}")
        return parsed, {}
    if content_type.startswith("multipart/form-data"):
        header = f"Content-Type: {content_type}\r\n\r\n".encode()
        message = BytesParser(policy=HTTP).parsebytes(header + body)
        fields: dict[str, str] = {}
        files: dict[str, Upload] = {}
        for part in message.iter_parts():
            name = str(part.get_param("name", header="content-disposition"))
            payload = part.get_payload(decode=True)
            data = payload if isinstance(payload, bytes) else b""
            filename = part.get_filename()
            if filename is not None:
                files[name] = Upload(filename, data)
            else:
                fields[name] = data.decode("utf-8", "replace")
        return _decode_values(fields), files
    fields = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    return _decode_values(fields), {}


def _decode_values(fields: dict[str, str]) -> dict[str, Any]:
    """PTB sends non-string values JSON-encoded in form fields."""
    decoded: dict[str, Any] = {}
    for key, value in fields.items():
        try:
            decoded[key] = json.loads(value) if value[:1] in "{[" else value
        except ValueError:
            decoded[key] = value
    return decoded


def make_server(standin: BotApiStandIn) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        # Connections stay open between calls, as the real API keeps them (HTTP/1.1).
        protocol_version = "HTTP/1.1"
        # Headers and body are two writes: with Nagle's algorithm on, the second waits for
        # the caller's delayed ACK, 40 ms a call.
        disable_nagle_algorithm = True

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            token, method = self.path.rstrip("/").rsplit("/", 2)[-2:]
            params, files = _parse_body(self.headers.get("Content-Type", ""), body)
            status, payload = standin.answer(method, params, files, token.removeprefix("bot"))
            data = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return  # the caller is gone (a process killed while it waited)
            handed_out = method == "getUpdates" and payload.get("result")
            if handed_out and standin.after_handing_out is not None:
                standin.after_handing_out()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    return server


@contextlib.contextmanager
def serving_standin() -> Iterator[BotApiStandIn]:
    """A stand-in Bot API served on a free port in a thread of this process, until the block
    ends; its ``url`` is ready to hand to the bot."""
    standin = BotApiStandIn()
    server = make_server(standin)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    standin.port = int(server.server_address[1])
    try:
        yield standin
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
