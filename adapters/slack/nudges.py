"""Delivers the scheduler's nudges (check-ins, reminders) to Slack channels.

The outbox calls this from the scheduler's worker thread, so it uses the synchronous client.
It raises when Slack refuses, so the outbox releases the row and retries it later.
"""

from __future__ import annotations

from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from adapters.slack.render import escape


def slack_nudge_sender(token: str, api_url: str) -> Callable[[str, str], None]:
    """``send(channel_id, text)`` posting ``text`` (plain, escaped) to a Slack channel."""
    client = WebClient(
        token=token,
        base_url=api_url,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=3),
            RateLimitErrorRetryHandler(max_retry_count=5),
            ServerErrorRetryHandler(max_retry_count=3),
        ],
    )

    def send(channel_id: str, text: str) -> None:
        client.chat_postMessage(channel=channel_id, text=escape(text), unfurl_links=False)

    return send
