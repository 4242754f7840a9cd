"""Stand-ins of the Slack Web API and the Telegram Bot API, served in this process, for the
tests that start the real `samverkan` command against them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from standins.slack_api import FakeSlack, FakeSlackServer
from standins.telegram_api import BotApiStandIn, serving_standin


@pytest.fixture
def telegram_api() -> Iterator[BotApiStandIn]:
    with serving_standin() as fake:
        yield fake


@pytest.fixture
def slack_api() -> Iterator[tuple[FakeSlack, str]]:
    server = FakeSlackServer()
    with server as fake:
        yield fake, server.url
