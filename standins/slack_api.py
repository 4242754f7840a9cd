"""A stand-in for the Slack Web API: records every call and answers like Slack would."""

from __future__ import annotations

import itertools
import json
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from standins.faults import RandomFaults

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


@dataclass(frozen=True)
class Grant:
    """What Slack hands out for an OAuth code: one workspace's bot token."""

    team_id: str
    team_name: str
    bot_token: str
    bot_user_id: str = BOT_USER_ID
    bot_id: str = "B111"
    installer: str = "U0INSTALLER"


@dataclass
class Call:
    method: str
    headers: dict[str, str]
    body: dict[str, Any]


CUT = 0  # the status of a call whose connection is closed before any answer
HANG = -1  # the "status" of a call answered as usual, but only after ``FakeSlack.hang_seconds``
# chat.postMessage's limit, as Slack documents it: about one message a second per channel, per
# app and workspace (its token), short bursts allowed. The stand-in lets a channel have up to
# BURST at once and one more every second after.
PER_SECOND = 1.0
BURST = 3


@dataclass(frozen=True)
class Failure:
    """How Slack refuses one call: an HTTP status (429 with ``Retry-After``, 5xx), or with
    200 and ``{"ok": false, "error": ...}`` as it refuses most requests; or, with ``CUT``, no
    answer at all; or, with ``HANG``, the call done and answered late."""

    status: int
    error: str
    retry_after: int = 1


@dataclass
class FakeSlack:
    """Calls are recorded in order; ``fail_next`` makes the next calls of a method fail."""

    calls: list[Call] = field(default_factory=list)
    failures: dict[str, list[Failure | None]] = field(default_factory=dict)  # None: answered
    lock: threading.Lock = field(default_factory=threading.Lock)
    ts: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    socket_url: str = ""
    base_url: str = ""  # where this stand-in serves upload URLs and response URLs
    not_joined: set[str] = field(default_factory=set)  # channels the bot is not a member of
    gone: set[str] = field(default_factory=set)  # people no longer in any channel
    locales: dict[str, str] = field(default_factory=dict)  # user id → locale, as users.info tells
    uploads: dict[str, bytes] = field(default_factory=dict)  # file id → uploaded bytes
    declared: dict[str, int] = field(default_factory=dict)  # file id → the length announced
    completed: set[str] = field(default_factory=set)  # files whose upload was completed
    # The largest file the workspace takes, in bytes: Slack's own limit is 1 GB; an admin may
    # restrict uploads further ("file_upload_size_restricted").
    upload_limit: int = 1_000_000_000
    uploads_disabled: bool = False
    file_numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    responses: list[dict[str, Any]] = field(default_factory=list)  # POSTs to response URLs
    grants: dict[str, Grant] = field(default_factory=dict)  # OAuth code → what it gives
    tokens: dict[str, Grant] = field(default_factory=dict)  # bot tokens handed out
    revoked: set[str] = field(default_factory=set)  # tokens Slack no longer accepts
    hang_seconds: float = 0.0  # how late a HANG call is answered
    done: list[Call] = field(default_factory=list)  # the calls Slack did (answered ok), in order
    # Random faults, when switched on (:meth:`fail_at_random`): the calls of these methods
    # fail with this chance, drawn from a seeded generator; each fault counted by kind.
    random_faults: RandomFaults | None = None
    # chat.postMessage's rate limit, when switched on: a post past it is answered 429 with a
    # Retry-After of the whole seconds until it would pass, counted in ``floods`` and recorded
    # as a call of ``chat.postMessage:ratelimited``; a post to a channel before the Retry-After
    # it was given has passed is counted in ``early``.
    limits: bool = False
    floods: int = 0
    early: int = 0
    clock: Callable[[], float] = time.monotonic  # seconds, for the limits
    _buckets: dict[tuple[str, str], tuple[float, float]] = field(default_factory=dict)
    _told: dict[tuple[str, str], float] = field(default_factory=dict)

    def fail_next(
        self,
        method: str,
        status: int,
        times: int = 1,
        *,
        error: str | None = None,
        retry_after: int = 1,
        after: int = 0,
    ) -> None:
        """After ``after`` more calls of ``method`` answered as usual, the next ``times`` are
        refused with ``status`` (and, for a 429, ``Retry-After: retry_after``); ``error`` is
        Slack's reason, by default ``ratelimited`` for a 429 and ``fatal`` otherwise."""
        reason = error or ("ratelimited" if status == 429 else "fatal")
        with self.lock:
            failures = self.failures.setdefault(method, [])
            failures.extend([None] * after + [Failure(status, reason, retry_after)] * times)

    def hang_next(self, method: str, seconds: float, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` are done (a message posted) but answered only
        after ``seconds``: past the client's timeout, its caller cannot know they were."""
        self.hang_seconds = seconds
        self.fail_next(method, HANG, times)

    def fail_at_random(
        self, methods: set[str], share: float, seed: int, hang_seconds: float
    ) -> RandomFaults:
        """From now on a ``share`` of the calls of ``methods`` fail: a 500, a 503, a 429 with
        ``Retry-After: 1``, or a hang of ``hang_seconds`` (the call done, answered late), in
        equal parts, drawn from a generator seeded with ``seed``."""
        self.hang_seconds = hang_seconds
        self.random_faults = RandomFaults(methods, share, seed)
        return self.random_faults

    def cut_next(self, method: str, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` lose their connection before any answer."""
        self.fail_next(method, CUT, times)

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

    def grant(self, code: str, grant: Grant) -> None:
        """Makes ``code`` redeemable once at ``oauth.v2.access`` for ``grant``."""
        with self.lock:
            self.grants[code] = grant

    def answer(
        self, method: str, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        """The HTTP status, the JSON body and the extra headers Slack would answer with a call
        that came with ``headers``."""
        headers = headers or {}
        authorization = headers.get("Authorization") or headers.get("authorization") or ""
        with self.lock:
            pending = self.failures.get(method)
            failure = pending.pop(0) if pending else None
            if failure is None and self.random_faults is not None:
                failure = _failure(self.random_faults.draw(method))
            recorded = method
            if failure is None and self.limits and method == "chat.postMessage":
                failure = self._over_limit(authorization, str(body.get("channel", "")))
                recorded = method if failure is None else f"{method}:ratelimited"
            hang = failure is not None and failure.status == HANG
            if not hang:
                self.calls.append(Call(recorded, headers, body))
            if failure is not None and not hang:
                extra = {"Retry-After": str(failure.retry_after)} if failure.status == 429 else {}
                return failure.status, {"ok": False, "error": failure.error}, extra
        if hang:
            time.sleep(self.hang_seconds)
        with self.lock:
            if hang:
                self.calls.append(Call(method, headers, body))
            if authorization.removeprefix("Bearer ") in self.revoked:
                return 200, {"ok": False, "error": "token_revoked"}, {}  # as Slack: 200
            answer = self._success(method, body, authorization)
            if answer.get("ok"):
                self.done.append(Call(method, headers, body))
            return 200, answer, {}

    def _over_limit(self, authorization: str, channel: str) -> Failure | None:
        """The 429 for a post to ``channel`` with this token past the limit, else ``None``
        (and the post is counted)."""
        key, now = (authorization, channel), self.clock()
        if now < self._told.get(key, 0.0):
            self.early += 1
        tokens, at = self._buckets.get(key, (float(BURST), now))
        tokens = min(float(BURST), tokens + (now - at) * PER_SECOND)
        if tokens < 1.0:
            self._buckets[key] = (tokens, now)
            wait = max(1, math.ceil((1.0 - tokens) / PER_SECOND))
            self._told[key] = now + wait
            self.floods += 1
            return Failure(429, "ratelimited", wait)
        self._buckets[key] = (tokens - 1.0, now)
        return None

    def _success(self, method: str, body: dict[str, Any], authorization: str) -> dict[str, Any]:
        if method == "auth.test":
            return self._who(authorization.removeprefix("Bearer "))
        if method == "oauth.v2.access":
            return self._exchange(str(body.get("code", "")))
        if method == "apps.connections.open":
            return {"ok": True, "url": self.socket_url}
        if method == "users.info":
            user = str(body.get("user", ""))
            found: dict[str, Any] = {"id": user, "profile": {"display_name": f"Namn {user}"}}
            if (
                str(body.get("include_locale", "")).lower() in ("1", "true")
                and user in self.locales
            ):
                found["locale"] = self.locales[user]
            return {"ok": True, "user": found}
        if body.get("channel", body.get("channel_id")) in self.not_joined and method in (
            "chat.postMessage",
            "chat.postEphemeral",
            "files.completeUploadExternal",
        ):
            return {"ok": False, "error": "not_in_channel"}
        if method == "chat.postEphemeral" and body.get("user") in self.gone:
            return {"ok": False, "error": "user_not_in_channel"}
        if method == "files.getUploadURLExternal":
            return self._upload_url(body)
        if method == "files.completeUploadExternal":
            return self._complete(body)
        if method == "views.publish":
            return _check_view(body.get("view"), self.completed)
        if method == "conversations.open":
            # The direct message between the bot and one person: the same channel every time.
            users = str(body.get("users", ""))
            if not users:
                return {"ok": False, "error": "users_list_not_supplied"}
            if users in self.gone:
                return {"ok": False, "error": "user_not_found"}
            return {"ok": True, "channel": {"id": f"D{users}"}}
        if method == "chat.postMessage":
            ts = f"1700000000.{next(self.ts):06d}"
            return {"ok": True, "channel": body.get("channel"), "ts": ts}
        return {"ok": True}

    def _upload_url(self, body: dict[str, Any]) -> dict[str, Any]:
        """Slack's first step of an upload: a URL for the bytes, after checking the filename,
        the announced ``length`` (bytes) and the image's ``alt_txt`` against its limits."""
        length = str(body.get("length", ""))
        if not body.get("filename") or not length.isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        if int(length) == 0:
            return {"ok": False, "error": "missing_argument"}
        if len(str(body.get("alt_txt", ""))) > 1000:
            return {"ok": False, "error": "alt_txt_too_large"}
        if self.uploads_disabled:
            return {"ok": False, "error": "file_uploads_disabled"}
        if int(length) > self.upload_limit:
            return {"ok": False, "error": "file_upload_size_restricted"}
        file_id = f"F{next(self.file_numbers):06d}"
        self.declared[file_id] = int(length)
        url = f"{self.base_url}upload/v1/{file_id}"
        return {"ok": True, "upload_url": url, "file_id": file_id}

    def _complete(self, body: dict[str, Any]) -> dict[str, Any]:
        """Slack's last step: the files are shared once their bytes arrived in full."""
        files = json.loads(body.get("files") or "[]")
        for f in files:
            data = self.uploads.get(f["id"])
            if data is None or len(data) != self.declared.get(f["id"]):
                return {"ok": False, "error": "file_not_found"}
        done = [{"id": f["id"], "title": f.get("title", "")} for f in files]
        self.completed.update(f["id"] for f in files)
        return {"ok": True, "files": done}

    def _who(self, token: str) -> dict[str, Any]:
        grant = self.tokens.get(token)
        if grant is None:
            return AUTH
        return {
            **AUTH,
            "team": grant.team_name,
            "team_id": grant.team_id,
            "user_id": grant.bot_user_id,
            "bot_id": grant.bot_id,
        }

    def _exchange(self, code: str) -> dict[str, Any]:
        grant = self.grants.pop(code, None)  # a code is good for one exchange
        if grant is None:
            return {"ok": False, "error": "invalid_code"}
        self.tokens[grant.bot_token] = grant
        return {
            "ok": True,
            "access_token": grant.bot_token,
            "token_type": "bot",
            "scope": "commands,chat:write,reactions:write",
            "bot_user_id": grant.bot_user_id,
            "app_id": "A111",
            "team": {"id": grant.team_id, "name": grant.team_name},
            "enterprise": None,
            "authed_user": {"id": grant.installer},
            "is_enterprise_install": False,
        }


IMAGE_ALT_LIMIT = 2000  # characters of an image block's alt_text


def _check_view(view: Any, files: set[str]) -> dict[str, Any]:
    """``views.publish`` as Slack checks it: the view must be JSON of an object, and each
    image block must show one image, ``image_url`` or ``slack_file`` (its ``id`` or ``url``,
    not both), of a file the workspace knows, with an ``alt_text``; else ``invalid_blocks``
    with the JSON pointer of each fault, as Slack answers."""
    if isinstance(view, str):
        try:
            view = json.loads(view)
        except json.JSONDecodeError:
            return {"ok": False, "error": "invalid_arguments"}
    if not isinstance(view, dict):
        return {"ok": False, "error": "invalid_arguments"}
    errors = []
    for number, block in enumerate(view.get("blocks") or []):
        if block.get("type") != "image":
            continue
        where = f"[json-pointer:/view/blocks/{number}"
        alt = block.get("alt_text")
        if not isinstance(alt, str) or not alt or len(alt) > IMAGE_ALT_LIMIT:
            errors.append(f"must be 1..{IMAGE_ALT_LIMIT} characters {where}/alt_text]")
        source = block.get("slack_file")
        if ("image_url" in block) == (source is not None):
            errors.append(f"must provide exactly one of image_url, slack_file {where}]")
        elif source is not None:
            ids = [source.get("id"), source.get("url")]
            if sum(value is not None for value in ids) != 1:
                errors.append(f"must provide exactly one of id, url {where}/slack_file]")
            elif not _known(source, files):
                errors.append(f"invalid slack file {where}/slack_file]")
    if errors:
        return {
            "ok": False,
            "error": "invalid_blocks",
            "errors": errors,
            "response_metadata": {"messages": [f"[ERROR] {e}" for e in errors]},
        }
    return {"ok": True, "view": {"id": "V111", **view}}


def _known(source: dict[str, Any], files: set[str]) -> bool:
    """Whether a ``slack_file`` names a file that was uploaded in full (by id or URL)."""
    if source.get("id") is not None:
        return source["id"] in files
    return any(f"-{file_id}/" in str(source["url"]) for file_id in files)


def _failure(kind: str | None) -> Failure | None:
    """The failure of a random fault's kind (see :mod:`standins.faults`)."""
    if kind is None:
        return None
    if kind == "hang":
        return Failure(HANG, "")
    return Failure(int(kind), "ratelimited" if kind == "429" else "fatal")


def _handler(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        # Connections stay open between calls, as the real API keeps them (HTTP/1.1).
        protocol_version = "HTTP/1.1"
        # Headers and body are two writes: with Nagle's algorithm on, the second waits for
        # the caller's delayed ACK, 40 ms a call.
        disable_nagle_algorithm = True

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            data = self.rfile.read(length)
            if self.path.startswith(("/upload/", "/response/")):
                self._hook(data)
                return
            raw = data.decode()
            path, _, query = self.path.partition("?")
            body = {**{k: v[0] for k, v in parse_qs(query).items()}, **_decode(raw, self.headers)}
            status, answer, headers = fake.answer(path.strip("/"), body, dict(self.headers.items()))
            if status == CUT:
                self.close_connection = True
                return
            payload = json.dumps(answer).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                return  # the caller gave up waiting (a call that hung past its timeout)

        do_GET = do_POST

        def _hook(self, data: bytes) -> None:
            """An upload URL (the file's bytes) or a response URL (a JSON message): plain
            "OK" answers, as Slack gives them."""
            with fake.lock:
                if self.path.startswith("/upload/"):
                    fake.uploads[self.path.rsplit("/", 1)[-1]] = data
                    answer = f"OK - {len(data)}".encode()
                else:
                    fake.responses.append({"url": self.path, **json.loads(data or b"{}")})
                    answer = b"ok"
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

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
        self.fake.base_url = self.url

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
