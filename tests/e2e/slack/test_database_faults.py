"""The database failing under a Slack request: the event is tried again, not refused."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import Engine, func, select

from runtime.bootstrap import build
from runtime.server import platform_app
from runtime.settings import Settings
from standins.serving import serving
from standins.slack_api import FakeSlack
from storage import make_engine
from storage.tables import CollaborationRow
from tests.e2e.database_faults import CONNECTION_CUT, claims, cut_next
from tests.e2e.slack.conftest import SECRET, SlackClient


@dataclass
class Faulty:
    client: SlackClient
    database: Engine

    def cut_next(self, times: int) -> None:
        cut_next(self.database, times)

    def claims(self) -> int:
        return claims(self.database)

    def collaborations(self) -> int:
        with self.database.connect() as connection:
            return int(
                connection.execute(select(func.count()).select_from(CollaborationRow)).scalar_one()
            )


@pytest.fixture
def faulty(
    postgres_databases: Callable[[], str], slack_server: tuple[FakeSlack, str]
) -> Iterator[Faulty]:
    fake, api_url = slack_server
    url = postgres_databases()
    settings = Settings(
        database_url=url,
        slack_bot_token="xoxb-test",
        slack_signing_secret=SECRET,
        slack_api_url=api_url,
    )
    app = build(settings)
    database = make_engine(url)
    with database.begin() as connection:
        connection.exec_driver_sql(CONNECTION_CUT)
    try:
        with (
            serving(platform_app(app)) as port,
            httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as http,
        ):
            yield Faulty(SlackClient(http, app, fake), database)
    finally:
        app.close()
        database.dispose()


@pytest.mark.postgres
def test_a_connection_lost_while_handling_is_tried_again_and_nothing_is_refused(
    faulty: Faulty,
) -> None:
    faulty.cut_next(1)
    assert faulty.client.command("starta Läxhjälp").status_code == 200

    posted = faulty.client.slack.wait_for("chat.postMessage", 1, timeout=30)
    texts = json.dumps([call.body for call in posted], ensure_ascii=False)
    assert "Läxhjälp" in texts
    assert "inget sparades" not in texts
    assert faulty.collaborations() == 1
    assert faulty.claims() == 2  # cut once, then handled
    ephemeral = faulty.client.slack.calls_to("chat.postEphemeral")
    assert not any("inget sparades" in json.dumps(c.body, ensure_ascii=False) for c in ephemeral)


@pytest.mark.postgres
def test_when_the_database_stays_away_the_person_is_told_once_the_bot_gives_up(
    faulty: Faulty,
) -> None:
    worker = faulty.client.app.worker
    worker.max_attempts, worker.backoff = 3, timedelta(milliseconds=200)
    faulty.cut_next(100)  # every claim of the event loses its connection
    assert faulty.client.command("starta Läxhjälp").status_code == 200

    [told] = faulty.client.slack.wait_for("chat.postEphemeral", 1, timeout=30)
    assert "inget sparades" in json.dumps(told.body, ensure_ascii=False)
    assert told.body["user"] == "W111"  # for the person who wrote, alone
    assert faulty.claims() == 3  # tried three times, told only after the last
    assert faulty.collaborations() == 0
    assert not faulty.client.slack.calls_to("chat.postMessage")
