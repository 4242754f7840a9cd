"""Whatever reaches a webhook, it answers 2xx or 4xx, never a failure of its own (a 500)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text

from adapters.telegram.webhook import SECRET_HEADER
from runtime.bootstrap import build
from runtime.server import platform_app
from runtime.settings import Settings
from standins.serving import serving
from standins.slack_api import FakeSlackServer
from standins.telegram_api import serving_standin
from tests.e2e.slack.test_refusals import signed

SECRET = "secret"

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)
# Shapes near the real ones: the keys Slack and Telegram use, holding anything.
slack_like = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["event_callback", "url_verification", "block_actions"])
        | json_values,
        "event": json_values
        | st.fixed_dictionaries(
            {"type": st.just("message")},
            optional={"text": json_values, "user": json_values, "channel": json_values},
        ),
        "event_id": json_values,
        "team_id": json_values,
        "challenge": json_values,
        "trigger_id": json_values,
        "command": json_values,
        "text": json_values,
        "user": json_values,
        "actions": json_values,
    },
)
telegram_like = st.fixed_dictionaries(
    {"update_id": st.integers(min_value=-5, max_value=2**64)},
    optional={
        "message": json_values,
        "edited_message": json_values,
        "callback_query": json_values,
        "my_chat_member": json_values,
    },
)
bodies = st.binary(max_size=300) | json_values.map(lambda v: json.dumps(v).encode())


@dataclass
class Served:
    client: httpx.Client
    engine: Engine


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """Slack and Telegram served by one app, which handles what it keeps, on stand-ins."""
    tmp: Path = tmp_path_factory.mktemp("webhooks")
    slack_server = FakeSlackServer()
    with serving_standin() as telegram, slack_server:
        settings = Settings(
            database_url=f"sqlite:///{tmp}/t.db",
            slack_bot_token="xoxb-test",
            slack_signing_secret=SECRET,
            slack_api_url=slack_server.url,
            telegram_bot_token="123:ABC",
            telegram_webhook_url="https://example.org/telegram/webhook",
            telegram_webhook_secret=SECRET,
            telegram_api_url=telegram.url,
        )
        app = build(settings)
        try:
            with (
                serving(platform_app(app)) as port,
                httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client,
            ):
                yield Served(client, app.engine)
        finally:
            app.close()


def _slack(client: httpx.Client, body: bytes, content_type: str) -> int:
    response = client.post("/slack/events", content=body, headers=signed(body, content_type))
    return response.status_code


# The same examples on every run (derandomize): a property that fails does so on the commit
# that broke it, not at random in a later one. Run with --hypothesis-seed to explore anew.
PROPERTY = settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@PROPERTY
@given(body=bodies | slack_like.map(lambda v: json.dumps(v).encode()))
def test_slack_answers_any_signed_json_body_without_failing(served: Served, body: bytes) -> None:
    assert _slack(served.client, body, "application/json") in (200, 400)


@PROPERTY
@given(payload=bodies | slack_like.map(lambda v: json.dumps(v).encode()))
def test_slack_answers_any_signed_form_payload_without_failing(
    served: Served, payload: bytes
) -> None:
    body = str(httpx.QueryParams({"payload": payload.decode("utf-8", "replace")})).encode()
    assert _slack(served.client, body, "application/x-www-form-urlencoded") in (200, 400)


@PROPERTY
@given(body=bodies | telegram_like.map(lambda v: json.dumps(v).encode()))
def test_telegram_answers_any_body_without_failing(served: Served, body: bytes) -> None:
    headers = {SECRET_HEADER: SECRET, "Content-Type": "application/json"}
    response = served.client.post("/telegram/webhook", content=body, headers=headers)
    assert response.status_code in (200, 400)


def test_what_the_webhooks_kept_is_handled_without_failing(served: Served) -> None:
    """Run after the properties above: every event they kept is handled at its first
    attempt (none given back after an exception)."""

    def settled() -> list[tuple[Any, ...]]:
        with served.engine.connect() as connection:
            rows = connection.execute(text("SELECT platform, attempts, outcome FROM inbox")).all()
        return [tuple(row) for row in rows]

    deadline = time.monotonic() + 60
    while any(outcome is None for _, _, outcome in settled()):
        assert time.monotonic() < deadline, "kept events not handled in time"
        time.sleep(0.2)
    rows = settled()
    assert rows, "the properties kept no event at all"
    assert all(outcome == "handled" and attempts == 1 for _, attempts, outcome in rows), rows
