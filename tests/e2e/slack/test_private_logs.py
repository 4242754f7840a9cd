"""No personal data in the log of a Slack conversation over HTTP at LOG_LEVEL=INFO: names,
the collaboration's title, organisations and answers appear nowhere, also when a request is
refused and when a message is edited and deleted."""

from __future__ import annotations

import io

from runtime.logs import configure
from tests.e2e.private import ANSWER, EDITED, LINES, assert_private
from tests.e2e.slack.conftest import SlackClient


def test_a_conversation_logs_no_name_and_no_text(slack: SlackClient, stream: io.StringIO) -> None:
    configure("text", "INFO", stream=stream)
    for line in LINES:
        _answered(slack, line)
    said = {"type": "app_mention", "user": "W222", "ts": "1700000600.000001"}
    slack.event(said | {"text": f"<@UBOT> svara 2: {ANSWER}"})
    edited = {"type": "message", "user": "W222", "ts": "1700000600.000001"}
    edited["text"] = f"<@UBOT> svara 2: {EDITED}"
    changed = {"type": "message", "subtype": "message_changed", "ts": "1700000600.000009"}
    slack.event(changed | {"message": edited})
    deleted = {"type": "message", "subtype": "message_deleted", "ts": "1700000600.000010"}
    slack.event(deleted | {"deleted_ts": edited["ts"], "previous_message": edited})
    # Refused requests are logged too: a body that is no payload, and one not signed.
    assert slack.post(f'{{"text": "{ANSWER}"', "application/json").status_code == 400
    _answered(slack, "status")
    log = stream.getvalue()
    assert "Slack request refused" in log  # the log was written to, at INFO
    assert_private(log, "Namn W222", "name-W222")


def _answered(slack: SlackClient, line: str) -> None:
    """Sends ``line`` as a command and waits until the bot has answered it."""
    before = len(slack.slack.calls)
    assert slack.command(line, user="W222").status_code == 200
    slack.slack.wait_until(lambda: len(slack.slack.calls) > before, "chat.postMessage")
