"""The real app over real HTTP (uvicorn) against a stand-in Slack Web API; and the Slack
platform alone, built by its factory around the core on in-memory stores."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import pytest

from adapters.slack import SlackSettings, slack_platform
from bot.service import Samverkansbot
from engine.platform import Platform, Surroundings
from engine.ports import KeptEvent
from runtime.bootstrap import App, build
from runtime.server import platform_app
from runtime.settings import Settings
from standins.serving import serving
from standins.slack_api import FakeSlack, FakeSlackServer
from tests.chat import make_bot
from tests.fakes import FakeButtonStore, FakeClock, FakeUnitOfWork

SECRET = "secret"


def trigger_id() -> str:
    """A fresh trigger id, as Slack gives every command and interaction its own."""
    return f"{secrets.randbelow(10**10)}.111.{secrets.token_hex(8)}"


def block_actions(button: dict[str, Any], message_ts: str) -> dict[str, Any]:
    """The interaction payload Slack sends when W111 presses ``button`` in channel C111."""
    return {
        "type": "block_actions",
        "user": {"id": "W111", "username": "anna", "name": "anna", "team_id": "T111"},
        "api_app_id": "A111",
        "token": "verification_token",
        "container": {"type": "message", "message_ts": message_ts, "channel_id": "C111"},
        "trigger_id": trigger_id(),
        "team": {"id": "T111", "domain": "workspace-domain"},
        "channel": {"id": "C111", "name": "test-channel"},
        "actions": [{**button, "block_id": "b", "action_ts": "1596530385.194939"}],
    }


def sign(body: str, timestamp: int | None = None, secret: str = SECRET) -> dict[str, str]:
    """Headers exactly as Slack signs a request: HMAC-SHA256 over ``v0:{ts}:{body}``."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


@dataclass
class SlackClient:
    """Sends signed requests to the app as Slack would."""

    http: httpx.Client
    app: App
    slack: FakeSlack
    events: int = 0

    def post(self, body: str, content_type: str, **headers: str) -> httpx.Response:
        signed = {"Content-Type": content_type, **sign(body), **headers}
        return self.http.post("/slack/events", content=body, headers=signed)

    def command(self, text: str, user: str = "W111", channel: str = "C111") -> httpx.Response:
        form = {
            "token": "verification_token",
            "team_id": "T111",
            "team_domain": "test-domain",
            "channel_id": channel,
            "channel_name": "random",
            "user_id": user,
            "user_name": f"name-{user}",
            "command": "/samverkan",
            "text": text,
            "response_url": "https://hooks.slack.com/commands/T111/111/xxxxx",
            "trigger_id": trigger_id(),
        }
        return self.post(urlencode(form), "application/x-www-form-urlencoded")

    def event(self, event: dict[str, Any], event_id: str | None = None, **headers: str) -> Any:
        self.events += 1
        envelope = {
            "token": "verification_token",
            "team_id": "T111",
            "api_app_id": "A111",
            "event": {"team": "T111", "channel": "C111", **event},
            "type": "event_callback",
            "event_id": event_id or f"Ev{self.events:06d}",
            "event_time": int(time.time()),
            "authed_users": ["UBOT"],
        }
        return self.post(json.dumps(envelope), "application/json", **headers)

    def interaction(self, payload: dict[str, Any]) -> httpx.Response:
        body = f"payload={quote(json.dumps(payload))}"
        return self.post(body, "application/x-www-form-urlencoded")


@pytest.fixture
def slack_server() -> Iterator[tuple[FakeSlack, str]]:
    server = FakeSlackServer()
    with server as fake:
        yield fake, server.url


@pytest.fixture
def slack(tmp_path: Path, slack_server: tuple[FakeSlack, str]) -> Iterator[SlackClient]:
    with served_slack(tmp_path, slack_server) as client:
        yield client


@contextlib.contextmanager
def served_slack(
    tmp_path: Path, slack_server: tuple[FakeSlack, str], **settings: Any
) -> Iterator[SlackClient]:
    """The real app for one workspace on a SQLite file of ``tmp_path``, served over HTTP
    against the stand-in; ``settings`` added to or replacing the usual ones."""
    fake, api_url = slack_server
    usual: dict[str, Any] = {
        "database_url": f"sqlite:///{tmp_path}/t.db",
        "slack_bot_token": "xoxb-test",
        "slack_signing_secret": SECRET,
        "slack_api_url": api_url,
    }
    app = build(Settings(**(usual | settings)))
    try:
        with (
            serving(platform_app(app)) as port,
            httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as http,
        ):
            yield SlackClient(http, app, fake)
    finally:
        app.close()


@dataclass
class Alone:
    """The Slack platform made by its factory, around the core on in-memory stores; what it
    keeps is collected in ``kept`` (nothing handles it until a test calls ``handle``)."""

    platform: Platform
    surroundings: Surroundings
    bot: Samverkansbot
    uow: FakeUnitOfWork
    slack: FakeSlack
    kept: list[KeptEvent]


@pytest.fixture
def alone(slack_server: tuple[FakeSlack, str]) -> Alone:
    fake, api_url = slack_server
    kept: list[KeptEvent] = []

    async def keep(event: KeptEvent) -> bool:
        new = all(k.event_id != event.event_id for k in kept)
        kept.append(event)
        return new

    uow = FakeUnitOfWork()
    bot = make_bot(uow, FakeClock())
    settings = SlackSettings(bot_token="xoxb-test", signing_secret=SECRET, api_url=api_url)
    surroundings = Surroundings(bot, keep, FakeButtonStore())
    return Alone(slack_platform(settings, surroundings), surroundings, bot, uow, fake, kept)
