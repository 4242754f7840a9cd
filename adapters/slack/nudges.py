"""Delivers the scheduler's nudges (check-ins, reminders) to Slack channels.

The outbox calls this from the scheduler's worker thread, so it uses the synchronous client.
It raises when Slack refuses, so the outbox releases the row and retries it later; when the
channel cannot be reached at all it raises :class:`SlackUndeliverableError`, and the outbox
gives the row up.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from adapters.slack.render import SlackMessage, ours, paginate, text_blocks
from bot.domain import ChannelRef

LONGEST_SLEEP = 5.0  # seconds of a 429's Retry-After waited here; longer, the outbox waits
# Slack's answers that no retry changes: the channel is gone, the bot was removed from it, or
# the workspace no longer has the app.
UNREACHABLE = frozenset(
    {
        "channel_not_found",
        "is_archived",
        "not_in_channel",
        "account_inactive",
        "token_revoked",
        "team_access_not_granted",
    }
)


class SlackUndeliverableError(LookupError):
    """The nudge's channel cannot be reached; the outbox gives the row up."""

    undeliverable = True


class SlackRateLimitedError(RuntimeError):
    """Slack still answered 429 after the client's retries; the outbox waits ``retry_after``
    seconds (Slack's ``Retry-After``) before it tries the nudge again."""

    def __init__(self, headers: Mapping[str, Any]) -> None:
        self.retry_after = _retry_after(headers)
        super().__init__(f"Slack rate limit: retry after {self.retry_after:g} s")


class _ShortRateLimitRetryHandler(RateLimitErrorRetryHandler):
    """Retries a 429 in place only when Slack asks for a short wait: the outbox waits out a
    longer one without holding the nudge's claim."""

    def _can_retry(self, *, response: Any = None, **kwargs: Any) -> bool:
        if not super()._can_retry(response=response, **kwargs):
            return False
        return _retry_after(response.headers) <= LONGEST_SLEEP


def _retry_after(headers: Mapping[str, Any]) -> float:
    values = {key.lower(): value for key, value in headers.items()}
    value = values.get("retry-after", "1")
    raw = value[0] if isinstance(value, list) else value
    return float(raw) if str(raw).isdigit() else 1.0


def slack_nudge_sender(token: str, api_url: str) -> Callable[..., None]:
    """``send(channel_id, text)`` posting ``text`` (plain text, one line a paragraph) to a
    Slack channel."""
    client = WebClient(
        token=token,
        base_url=api_url,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=3),
            _ShortRateLimitRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=3),
        ],
    )

    def send(channel_id: str, text: str, quiet_for: Sequence[str] = ()) -> None:
        """``quiet_for``: the user ids who alone see it (ephemeral); else the whole channel."""
        # Rich text shows every character as written (a name's *stars* stay stars); the
        # notification text is escaped, so nothing in it can ping.
        blocks = text_blocks(ours(line) for line in text.splitlines() if line.strip())
        try:
            for page in paginate(blocks):
                if not quiet_for:
                    client.chat_postMessage(
                        channel=channel_id, text=page.text, blocks=page.blocks, unfurl_links=False
                    )
                for user in quiet_for:
                    _post_ephemeral(client, channel_id, user, page)
        except SlackApiError as error:
            if error.response.status_code == 429:
                raise SlackRateLimitedError(error.response.headers) from error
            reason = error.response.get("error")
            if reason in UNREACHABLE:
                raise SlackUndeliverableError(f"Slack channel {channel_id}: {reason}") from error
            raise

    return send


def _post_ephemeral(client: WebClient, channel_id: str, user: str, page: SlackMessage) -> None:
    try:
        client.chat_postEphemeral(channel=channel_id, user=user, text=page.text, blocks=page.blocks)
    except SlackApiError as error:
        if error.response.get("error") not in ("user_not_in_channel", "user_not_found"):
            raise
        # Someone who left the channel is no longer among those to tell.


def slack_installed_nudge_sender(
    bot_token: Callable[[str], str | None], api_url: str
) -> Callable[..., None]:
    """``send(channel, text, quiet_for=())`` posting with the bot token of ``channel``'s
    workspace.

    ``bot_token(team_id)`` finds the token (``None`` when the workspace has not installed the
    app, or uninstalled it: then ``send`` raises :class:`SlackUndeliverableError`).
    """
    senders: dict[str, Callable[..., None]] = {}

    def send(channel: ChannelRef, text: str, quiet_for: Sequence[str] = ()) -> None:
        token = bot_token(channel.workspace)
        if token is None:
            workspace = channel.workspace
            raise SlackUndeliverableError(f"Slack workspace {workspace} has no installation")
        if token not in senders:
            senders[token] = slack_nudge_sender(token, api_url)
        senders[token](channel.channel, text, quiet_for)

    return send
