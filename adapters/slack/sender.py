"""Posts the core's replies to Slack through the Web API.

A slash command may come from a channel the bot has not joined; Slack then refuses
``chat.postMessage`` with ``not_in_channel``. Such replies go through the command's
``response_url`` instead, with a short hint to invite the bot.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.render import SlackMessage, ours, paginate, render, text_blocks
from bot.domain import ChannelRef
from bot.replies import FileReply, Message, QuestionCard, Reaction, Reply
from bot.service import Samverkansbot
from bot.texts import text

log = logging.getLogger(__name__)

# What chat.postMessage answers in a channel the bot is not a member of (a private channel
# it was never invited to is "channel_not_found").
NOT_JOINED = frozenset({"not_in_channel", "channel_not_found"})

Respond = Callable[..., Awaitable[Any]]


@dataclass(frozen=True)
class Origin:
    """Where a reply goes: the channel, who asked, and the message or thread it answers.

    ``respond`` posts to a slash command's ``response_url`` (bolt's ``respond``), the way to
    answer in a channel the bot is not in.
    """

    channel: ChannelRef
    user_id: str
    message_ts: str | None = None
    thread_ts: str | None = None
    respond: Respond | None = None


class SlackSender:
    """Sends replies; a card's ``ts`` is reported to the core so that thread replies answer it."""

    def __init__(self, client: AsyncWebClient, bot: Samverkansbot) -> None:
        self.client = client
        self.bot = bot

    async def send(self, origin: Origin, replies: list[Reply]) -> None:
        """Post ``replies`` in order; the rest go through ``response_url`` once Slack says the
        bot is not in the channel."""
        pending = list(replies)
        while pending:
            reply = pending.pop(0)
            try:
                await self._send_one(origin, reply)
            except SlackApiError as error:
                if error.response.get("error") in NOT_JOINED and origin.respond is not None:
                    await self._respond_all(origin, [reply, *pending])
                    return
                log.error("Slack refused a reply in %s: %s", origin.channel.key, error.response)

    async def _send_one(self, origin: Origin, reply: Reply) -> None:
        if isinstance(reply, Reaction):
            await self._react(origin, reply.emoji)
            return
        messages = render(reply)
        if isinstance(reply, Message) and reply.private:
            for message in messages:
                await self._ephemeral(origin, message)
            return
        # A card always starts its own thread, so that replies to it can be told apart.
        thread = None if isinstance(reply, QuestionCard) else origin.thread_ts
        refs = [await self._post(origin, message, thread) for message in messages]
        if isinstance(reply, QuestionCard) and refs:
            await asyncio.to_thread(
                self.bot.card_posted, origin.channel, refs[0], reply.question_id
            )
        if isinstance(reply, FileReply):
            await self._upload(origin, reply, thread)

    async def _post(self, origin: Origin, message: SlackMessage, thread: str | None) -> str:
        response = await self.client.chat_postMessage(
            channel=origin.channel.channel,
            text=message.text,
            blocks=message.blocks,
            thread_ts=thread,
            unfurl_links=False,
        )
        return str(response["ts"])

    async def _upload(self, origin: Origin, file: FileReply, thread: str | None) -> None:
        """The file itself, in the channel (files.getUploadURLExternal → upload → complete)."""
        await self.client.files_upload_v2(
            channel=origin.channel.channel,
            content=file.content.encode(),
            filename=file.filename,
            title=file.filename,
            thread_ts=thread,
        )

    async def _ephemeral(self, origin: Origin, message: SlackMessage) -> None:
        await self.client.chat_postEphemeral(
            channel=origin.channel.channel,
            user=origin.user_id,
            text=message.text,
            blocks=message.blocks,
            thread_ts=origin.thread_ts,
        )

    async def _react(self, origin: Origin, emoji: str) -> None:
        if origin.message_ts is None:
            return
        try:
            await self.client.reactions_add(
                channel=origin.channel.channel, timestamp=origin.message_ts, name=emoji
            )
        except SlackApiError as error:
            if error.response.get("error") != "already_reacted":
                raise

    async def _respond_all(self, origin: Origin, replies: list[Reply]) -> None:
        """``replies`` through the command's response_url, then the hint to invite the bot.

        Public replies are posted in the channel, private ones to the person only; a file
        cannot be uploaded where the bot is not, so only its caption is shown.
        """
        assert origin.respond is not None
        for reply in replies:
            kind = "ephemeral" if isinstance(reply, Message) and reply.private else "in_channel"
            for message in render(reply):
                await self._respond(origin.respond, message, kind)
        language = await asyncio.to_thread(self.bot.language_in, origin.channel)
        [hint] = paginate(text_blocks([ours(text("invite_hint", language))]))
        await self._respond(origin.respond, hint, "ephemeral")

    async def _respond(self, respond: Respond, message: SlackMessage, kind: str) -> None:
        response = await respond(text=message.text, blocks=message.blocks, response_type=kind)
        if getattr(response, "status_code", 200) != 200:
            log.error("response_url refused a reply: %s", getattr(response, "body", ""))
