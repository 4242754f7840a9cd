"""The real app over HTTP (uvicorn) against a stand-in Bot API server."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from adapters.telegram.webhook import SECRET_HEADER
from engine.ports import KeptEvent
from runtime.bootstrap import build
from runtime.server import platform_app
from runtime.settings import Settings
from standins.serving import serving
from standins.telegram_api import BotApiStandIn, serving_standin
from storage import make_engine, make_session_factory
from storage.inbox import SqlInbox

CHAT_ID = -1001234567890
ANN = {"id": 111, "is_bot": False, "first_name": "Ann", "last_name": "Berg"}
SECRET = "s3cret"


@pytest.fixture(autouse=True)
def _retry_after_in_timedeltas(monkeypatch: pytest.MonkeyPatch) -> None:
    # PTB 22.8 warns in RetryAfter.__init__ (a 429) unless this opts in to timedelta values.
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


def button_press(update_id: int, data: str, text: str) -> dict[str, Any]:
    """The update Telegram sends when Ann presses the button with callback ``data`` under the
    bot's message ``text`` in the group."""
    query = {
        "id": f"q{update_id}",
        "from": ANN,
        "chat_instance": "-1",
        "data": data,
        "message": {
            "message_id": 7000,
            "from": {"id": 999, "is_bot": True, "first_name": "Samverkan"},
            "chat": {"id": CHAT_ID, "type": "supergroup", "title": "Team"},
            "date": 1767225600,
            "text": text,
        },
    }
    return {"update_id": update_id, "callback_query": query}


@pytest.fixture
def standin() -> Iterator[BotApiStandIn]:
    with serving_standin() as fake:
        yield fake


@dataclass
class Telegram:
    """Plays Telegram: posts updates to the webhook as Telegram does."""

    url: str
    client: httpx.Client
    engine: Engine  # the app's database, read by the test
    next_update: int = 900000
    next_message: int = 40

    def post(self, update: dict[str, Any], secret: str | None = SECRET) -> httpx.Response:
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        return self.client.post(self.url, json=update, headers=headers)

    def message(self, text: str, **extra: Any) -> dict[str, Any]:
        self.next_update += 1
        self.next_message += 1
        message: dict[str, Any] = {
            "message_id": self.next_message,
            "from": ANN,
            "chat": {"id": CHAT_ID, "title": "Team", "type": "supergroup"},
            "date": 1767225600,
            "text": text,
            **extra,
        }
        if text.startswith("/"):
            length = len(text.split(" ", 1)[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return {"update_id": self.next_update, "message": message}

    def say(self, text: str, **extra: Any) -> httpx.Response:
        response = self.post(self.message(text, **extra))
        assert response.status_code == 200, response.text
        self.settle()
        return response

    def settle(self, deadline: float = 30.0) -> None:
        """Waits until every update the webhook kept has been handled (the 200 comes first)."""
        end = time.monotonic() + deadline
        while SqlInbox(self.engine).pending():
            if time.monotonic() > end:
                raise AssertionError(f"updates still unhandled after {deadline} s")
            time.sleep(0.01)

    @property
    def sessions(self) -> sessionmaker[Session]:
        return make_session_factory(self.engine)

    def keep_elsewhere(self, update: dict[str, Any]) -> bool:
        """What the webhook of another process keeps (and, killed, never handles)."""
        event = KeptEvent("telegram", str(update["update_id"]), json.dumps(update))
        kept = SqlInbox(self.engine).keep_now([event], datetime.now(UTC))
        return (event.platform, event.event_id) in kept


@contextlib.contextmanager
def served(settings: Settings) -> Iterator[int]:
    """The real app (the composition root) serving ``settings``; yields its port."""
    app = build(settings)
    try:
        with serving(platform_app(app)) as port:
            yield port
    finally:
        app.close()


@pytest.fixture
def telegram(
    standin: BotApiStandIn,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> Iterator[Telegram]:
    database_url = f"sqlite:///{tmp_path}/t.db"
    settings = Settings(
        database_url=database_url,
        telegram_bot_token="123:ABC",
        telegram_webhook_url=getattr(request, "param", "https://example.org/telegram/webhook"),
        telegram_webhook_secret=SECRET,
        telegram_api_url=standin.url,
    )
    engine = make_engine(database_url)
    try:
        with served(settings) as port, httpx.Client(timeout=60) as client:
            yield Telegram(f"http://127.0.0.1:{port}/telegram/webhook", client, engine)
    finally:
        engine.dispose()
