"""The database failing under a Slack request: the event is tried again, not refused."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import Engine, func, select, text

from runtime.bootstrap import build
from runtime.server import platform_app
from runtime.settings import Settings
from standins.serving import serving
from standins.slack_api import FakeSlack
from storage import make_engine
from storage.tables import CollaborationRow
from tests.e2e.slack.conftest import SECRET, SlackClient

# A trigger that ends its own connection, as a database restart or a failover does, the
# first ``cuts`` times an event is claimed. A sequence counts them: unlike a row, it is not
# rolled back with the transaction the cut ends.
CONNECTION_CUT = """
CREATE TABLE fault (cuts integer NOT NULL);
INSERT INTO fault VALUES (0);
CREATE SEQUENCE fault_claims;
CREATE FUNCTION cut_connection() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF nextval('fault_claims') <= (SELECT cuts FROM fault) THEN
        PERFORM pg_terminate_backend(pg_backend_pid());
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER cut_connection BEFORE INSERT ON processed_event
    FOR EACH ROW EXECUTE FUNCTION cut_connection();
"""


@dataclass
class Faulty:
    client: SlackClient
    database: Engine

    def cut_next(self, times: int) -> None:
        with self.database.begin() as connection:
            connection.execute(text("UPDATE fault SET cuts = :n"), {"n": times})
            connection.execute(text("SELECT setval('fault_claims', 1, false)"))

    def claims(self) -> int:
        """How many times an event was claimed since :meth:`cut_next`."""
        with self.database.connect() as connection:
            return int(connection.execute(text("SELECT last_value FROM fault_claims")).scalar_one())

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
