"""The logs: one JSON object a line with what a line is about, plain text by default, and
never a secret's value or a library's line that could carry one."""

from __future__ import annotations

import asyncio
import io
import json
import logging

import pytest

from engine import log_context
from runtime.logs import configure


def test_a_json_line_says_what_it_is_about(stream: io.StringIO) -> None:
    configure("json", "INFO", stream=stream)

    async def handle() -> None:
        log_context.about(platform="telegram", event_id="7001", collaboration_id="c-42")
        logging.getLogger("engine.inbox_worker").warning("event failed (attempt %d)", 2)

    asyncio.run(handle())
    logging.getLogger("runtime.worker").info("worker started")
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["level"] == "WARNING" and first["logger"] == "engine.inbox_worker"
    assert first["message"] == "event failed (attempt 2)"
    assert (first["platform"], first["event_id"], first["collaboration_id"]) == (
        "telegram",
        "7001",
        "c-42",
    )
    assert first["timestamp"][:2] == "20"
    # Set in the task that handled the event: the next line, elsewhere, is about nothing.
    assert "event_id" not in second and second["message"] == "worker started"


def test_secrets_are_hidden_and_httpx_says_only_its_warnings(stream: io.StringIO) -> None:
    configure("text", "DEBUG", secrets=["123:ABCsecret", ""], stream=stream)
    logging.getLogger("telegram.ext").error("The token `123:ABCsecret` was rejected")
    logging.getLogger("httpx").info(
        "HTTP Request: POST https://api.telegram.org/bot123:ABCsecret/getMe"
    )
    logging.getLogger("slack_bolt.RequestVerification").info("Invalid signature (body: hej)")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    assert "ERROR telegram.ext The token `***` was rejected" in lines[0]
    assert "ABCsecret" not in stream.getvalue()


def _fail_twice(name: str = "Agnes", place: str = "Storgatan 12") -> None:
    """Fails with an error whose text names ``place``, raised from one naming ``name`` (the
    traceback's source lines name neither)."""
    try:
        raise KeyError(name)
    except KeyError as error:
        raise ValueError(f"Failing row contains ({place})") from error


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_an_error_is_logged_with_its_traceback_and_without_its_text(
    stream: io.StringIO, log_format: str
) -> None:
    configure(log_format, "INFO", stream=stream)
    try:
        _fail_twice()
    except ValueError:
        logging.getLogger("bot.service").exception("failed to handle a message")
    log = stream.getvalue()
    assert "failed to handle a message" in log and "_fail_twice" in log
    assert "builtins.KeyError" in log and "builtins.ValueError" in log
    assert "Agnes" not in log and "Storgatan" not in log


def test_at_debug_an_error_is_logged_with_its_text(stream: io.StringIO) -> None:
    configure("text", "DEBUG", stream=stream)
    try:
        _fail_twice()
    except ValueError:
        logging.getLogger("bot.service").exception("failed to handle a message")
    assert "Failing row contains (Storgatan 12)" in stream.getvalue()
