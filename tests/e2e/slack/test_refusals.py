"""What ``/slack/events`` refuses, and how cheaply: too large before reading, unsigned before
parsing, unreadable with a 400 and one log line; and settings only the house hands to bolt."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from adapters.slack.platform import BODY_LIMIT
from runtime.bootstrap import build
from runtime.server import platform_app
from runtime.settings import Settings
from standins.serving import serving
from standins.slack_api import FakeSlack
from tests.e2e.raw_http import announce_body
from tests.e2e.slack.conftest import SECRET, SlackClient


def signed(body: bytes, content_type: str = "application/json") -> dict[str, str]:
    """Slack's signature over raw bytes, whatever their encoding."""
    ts = str(int(time.time()))
    base = b"v0:" + ts.encode() + b":" + body
    digest = hmac.new(SECRET.encode(), base, hashlib.sha256).hexdigest()
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
    }


def _port(slack: SlackClient) -> int:
    return int(str(slack.http.base_url).rsplit(":", 1)[1].rstrip("/"))


def test_a_body_announced_larger_than_slack_sends_is_refused_before_it_is_read(
    slack: SlackClient,
) -> None:
    status = announce_body(_port(slack), "/slack/events", 200 * 1024 * 1024, {})
    assert status == 413


def test_a_streamed_body_past_the_limit_is_refused(slack: SlackClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(BODY_LIMIT // 65536 + 2):
            yield b" " * 65536

    response = slack.http.post("/slack/events", content=chunks())
    assert response.status_code == 413


UNREADABLE = {
    "invalid JSON": (b'{"type": "event_callback",', "application/json"),
    "nested too deep": (b"[" * 100_000 + b"]" * 100_000, "application/json"),
    "UTF-16": (json.dumps({"type": "url_verification"}).encode("utf-16"), "application/json"),
    "not an object": (b"[1, 2, 3]", "application/json"),
    "an event without its workspace": (
        b'{"type": "event_callback", "event": {"type": "message", "channel": "C1", '
        b'"ts": "1.1", "user": "U1"}}',
        "application/json",
    ),
    "a command without its channel": (
        b"command=%2Fsamverkan&team_id=T1&user_id=U1&text=status",
        "application/x-www-form-urlencoded",
    ),
    "form with a broken payload": (b"payload=%7Bnope", "application/x-www-form-urlencoded"),
    "form with a deep payload": (
        b"payload=" + quote("[" * 100_000 + "]" * 100_000).encode(),
        "application/x-www-form-urlencoded",
    ),
}


@pytest.mark.parametrize("body, content_type", UNREADABLE.values(), ids=UNREADABLE.keys())
def test_unsigned_junk_is_refused_before_it_is_parsed(
    slack: SlackClient, body: bytes, content_type: str
) -> None:
    headers = {"Content-Type": content_type}
    response = slack.http.post("/slack/events", content=body, headers=headers)
    # Bytes that are not UTF-8 cannot be signed by Slack: refused as unreadable.
    assert response.status_code == (400 if UNREADABLE["UTF-16"][0] == body else 401)


@pytest.mark.parametrize("body, content_type", UNREADABLE.values(), ids=UNREADABLE.keys())
def test_a_signed_body_that_is_no_payload_is_a_bad_request_with_one_log_line(
    slack: SlackClient, caplog: pytest.LogCaptureFixture, body: bytes, content_type: str
) -> None:
    with caplog.at_level(logging.WARNING, logger="adapters"):
        response = slack.http.post(
            "/slack/events", content=body, headers=signed(body, content_type)
        )
    assert response.status_code == 400
    lines = [r for r in caplog.records if r.name.startswith("adapters")]
    assert len(lines) == 1
    assert lines[0].exc_info is None
    assert SECRET not in lines[0].getMessage()
    # The app goes on answering.
    assert slack.command("starta Läxhjälp").status_code == 200
    assert slack.slack.wait_for("chat.postMessage", 1)


def test_empty_oauth_variables_leave_the_single_workspace_bot_working(
    tmp_path: Path,
    slack_server: tuple[FakeSlack, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Lines a person leaves empty in an .env file; bolt would read them as "OAuth is on".
    monkeypatch.setenv("SLACK_CLIENT_ID", "")
    monkeypatch.setenv("SLACK_CLIENT_SECRET", "")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "another secret")
    fake, api_url = slack_server
    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/t.db",
        slack_bot_token="xoxb-test",
        slack_signing_secret=SECRET,
        slack_client_id=None,
        slack_client_secret=None,
        slack_api_url=api_url,
    )
    app = build(settings)
    try:
        with (
            serving(platform_app(app)) as port,
            httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as http,
        ):
            client = SlackClient(http, app, fake)
            assert client.command("starta Läxhjälp").status_code == 200
            posted = fake.wait_for("chat.postMessage", 1)
    finally:
        app.close()
    assert "Läxhjälp" in json.dumps(posted[0].body, ensure_ascii=False)
    # The environment is as it was.
    assert os.environ["SLACK_CLIENT_ID"] == ""
    assert os.environ["SLACK_SIGNING_SECRET"] == "another secret"
