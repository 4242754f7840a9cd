"""Posts the core's replies to Slack through the Web API."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.render import SlackMessage, render
from bot.domain import ChannelRef
from bot.replies import Message, QuestionCard, Reaction, Reply
from bot.service import Samverkansbot

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Origin:
    """Where a reply goes: the channel, who asked, and the message or thread it answers."""

    channel: ChannelRef
    user_id: str
    message_ts: str | None = None
    thread_ts: str | None = None


class SlackSender:
    """Sends replies; a card's ``ts`` is reported to the core so that thread replies answer it."""

    def __init__(self, client: AsyncWebClient, bot: Samverkansbot) -> None:
        self.client = client
        self.bot = bot

    async def send(self, origin: Origin, replies: list[Reply]) -> None:
        for reply in replies:
            try:
                await self._send_one(origin, reply)
            except SlackApiError as error:
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

    async def _post(self, origin: Origin, message: SlackMessage, thread: str | None) -> str:
        response = await self.client.chat_postMessage(
            channel=origin.channel.channel,
            text=message.text,
            blocks=message.blocks,
            thread_ts=thread,
            unfurl_links=False,
        )
        return str(response["ts"])

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
