"""The database failing under a Telegram update: tried again, and the person told only when
the bot gives up."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

import httpx
import pytest

from runtime.bootstrap import build
from runtime.server import platform_app
from runtime.settings import Settings
from standins.serving import serving
from standins.telegram_api import BotApiStandIn
from storage import make_engine
from tests.e2e.database_faults import CONNECTION_CUT, claims, cut_next
from tests.e2e.telegram.conftest import SECRET, Telegram


@pytest.mark.postgres
@pytest.mark.parametrize("cuts, tries", [(1, 2), (100, 3)])
def test_a_lost_connection_is_tried_again_and_told_only_when_the_bot_gives_up(
    postgres_databases: Callable[[], str], standin: BotApiStandIn, cuts: int, tries: int
) -> None:
    url = postgres_databases()
    settings = Settings(
        database_url=url,
        telegram_bot_token="123:ABC",
        telegram_webhook_url="https://example.org/telegram/webhook",
        telegram_webhook_secret=SECRET,
        telegram_api_url=standin.url,
    )
    app = build(settings)
    app.worker.max_attempts, app.worker.backoff = 3, timedelta(milliseconds=200)
    database = make_engine(url)
    with database.begin() as connection:
        connection.exec_driver_sql(CONNECTION_CUT)
    cut_next(database, cuts)
    try:
        with serving(platform_app(app)) as port, httpx.Client(timeout=30) as client:
            telegram = Telegram(f"http://127.0.0.1:{port}/telegram/webhook", client, database)
            telegram.say("/start Läxhjälp")
            sent = [json.dumps(c.params, ensure_ascii=False) for c in standin.called("sendMessage")]
    finally:
        app.close()
    told = [text for text in sent if "inget sparades" in text]
    assert claims(database) == tries
    if cuts < tries:  # the second try went through: nothing to tell
        assert told == [] and any("Läxhjälp" in text for text in sent)
    else:  # given up: told once, in answer to the message
        assert len(told) == 1 and sent == told
    database.dispose()
