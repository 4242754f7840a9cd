"""What ``/telegram/webhook`` refuses once the secret matches: a body larger than Telegram
sends, before it is read; and anything that is not an update, with a 400 and one log line."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from adapters.telegram.webhook import BODY_LIMIT, SECRET_HEADER
from standins.telegram_api import BotApiStandIn
from tests.e2e.raw_http import announce_body
from tests.e2e.telegram.conftest import SECRET, Telegram


def _port(telegram: Telegram) -> int:
    return int(telegram.url.split(":")[2].split("/")[0])


def test_a_body_announced_larger_than_telegram_sends_is_refused_before_it_is_read(
    telegram: Telegram,
) -> None:
    status = announce_body(_port(telegram), "/telegram/webhook", 10**9, {SECRET_HEADER: SECRET})
    assert status == 413


def test_a_streamed_body_past_the_limit_is_refused(telegram: Telegram) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(BODY_LIMIT // 65536 + 2):
            yield b" " * 65536

    headers = {SECRET_HEADER: SECRET}
    response = telegram.client.post(telegram.url, content=chunks(), headers=headers)
    assert response.status_code == 413


NOT_UPDATES = {
    "update_id too large for a float": b'{"update_id": 1e400}',
    "update_id a fraction": b'{"update_id": 1.5}',
    "update_id a string": b'{"update_id": "7"}',
    "update_id true": b'{"update_id": true}',
    "update_id negative": b'{"update_id": -1}',
    "update_id past 64 bits": b'{"update_id": 99999999999999999999999}',
    "no update_id": b'{"message": {}}',
    "a message that is a number": b'{"update_id": 5, "message": 5}',
    "a message without its date": b'{"update_id": 5, "message": {"message_id": 1, "chat": 1}}',
    "a button press without its chat instance": b'{"update_id": 5, "callback_query": {"id": "x"}}',
    "not an object": b"[1, 2]",
    "nested too deep": b"[" * 100_000 + b"]" * 100_000,
    "UTF-16": json.dumps({"update_id": 5}).encode("utf-16"),
    "not UTF-8": b'{"update_id": 5, "x": "\xff"}',
    "empty": b"",
}


@pytest.mark.parametrize("body", NOT_UPDATES.values(), ids=NOT_UPDATES.keys())
def test_a_body_that_is_no_update_is_a_bad_request_with_one_log_line(
    telegram: Telegram,
    standin: BotApiStandIn,
    caplog: pytest.LogCaptureFixture,
    body: bytes,
) -> None:
    headers = {SECRET_HEADER: SECRET, "Content-Type": "application/json"}
    with caplog.at_level(logging.WARNING, logger="adapters"):
        response = telegram.client.post(telegram.url, content=body, headers=headers)
    assert response.status_code == 400
    lines = [r for r in caplog.records if r.name.startswith("adapters")]
    assert len(lines) == 1
    assert lines[0].exc_info is None
    # The webhook goes on taking updates.
    assert telegram.post(telegram.message("/start Fritid för alla")).status_code == 200
    assert standin.wait_for(lambda: standin.called("sendMessage"))
