"""Sends the core's replies to a Telegram chat, retrying what Telegram may have dropped.

Flood limits (429 ``retry_after``) are honoured by PTB's ``AIORateLimiter``; this module retries
transient transport failures (time-outs, connection errors, 5xx) a few times with back-off.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram import Bot, InputFile, ReactionTypeEmoji, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, InvalidToken, NetworkError

from adapters.telegram.render import Outgoing, Renderer, escape
from bot.domain import ChannelRef
from bot.replies import FileReply, QuestionCard, Reaction, Reply
from bot.service import Samverkansbot

log = logging.getLogger(__name__)

T = TypeVar("T")
ATTEMPTS = 4
FIRST_DELAY = 0.5
# Telegram accepts only a fixed set of reaction emoji; a thumbs-up is always among them.
REACTION = "👍"
MAX_CAPTION = 1024
# Errors a repeat cannot fix: the request itself is wrong, or the bot may not write here.
_FINAL = (BadRequest, Forbidden, InvalidToken, ChatMigrated)


async def with_retries(call: Callable[[], Awaitable[T]], attempts: int = ATTEMPTS) -> T:
    """``call()``'s result, retried on transient network errors; re-raises the last one."""
    delay = FIRST_DELAY
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except _FINAL:
            raise
        except NetworkError as error:
            if attempt == attempts:
                raise
            log.warning("telegram call failed (%s), attempt %d; retrying", error, attempt)
            await asyncio.sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")


class TelegramSender:
    """Posts replies in one chat; remembers posted question cards with the core."""

    def __init__(self, bot: Bot, core: Samverkansbot, renderer: Renderer) -> None:
        self.bot = bot
        self.core = core
        self.renderer = renderer

    async def send(self, channel: ChannelRef, replies: list[Reply], reply_to: int | None) -> None:
        """Every reply in order; ``reply_to`` is the message a reaction or private reply is for."""
        for reply in replies:
            await self._send_one(channel, reply, reply_to)

    async def _send_one(self, channel: ChannelRef, reply: Reply, reply_to: int | None) -> None:
        chat_id = int(channel.channel)
        match reply:
            case Reaction():
                if reply_to is not None:
                    await self.react(chat_id, reply_to)
            case FileReply():
                await self._document(chat_id, reply)
            case QuestionCard():
                for message_id in await self._texts(chat_id, self.renderer.render(reply), None):
                    await asyncio.to_thread(
                        self.core.card_posted, channel, str(message_id), reply.question_id
                    )
            case _:
                # Telegram has no messages only one person sees: a private reply answers the
                # person's own message so that it is clear whom it is for.
                target = reply_to if getattr(reply, "private", False) else None
                await self._texts(chat_id, self.renderer.render(reply), target)

    async def react(self, chat_id: int, message_id: int) -> None:
        reaction = [ReactionTypeEmoji(REACTION)]
        await with_retries(lambda: self.bot.set_message_reaction(chat_id, message_id, reaction))

    async def _texts(
        self, chat_id: int, messages: list[Outgoing], reply_to: int | None
    ) -> list[int]:
        sent: list[int] = []
        for outgoing in messages:
            message = await with_retries(
                lambda outgoing=outgoing: self.bot.send_message(  # type: ignore[misc]
                    chat_id,
                    outgoing.text,
                    parse_mode=ParseMode.HTML,
                    reply_markup=outgoing.keyboard,
                    reply_parameters=_reply(reply_to),
                )
            )
            sent.append(message.message_id)
        return sent

    async def _document(self, chat_id: int, reply: FileReply) -> None:
        caption = escape(reply.caption)
        document = InputFile(reply.content.encode("utf-8"), filename=reply.filename)
        await with_retries(
            lambda: self.bot.send_document(
                chat_id,
                document,
                caption=caption if len(caption) <= MAX_CAPTION else None,
                parse_mode=ParseMode.HTML,
            )
        )


def _reply(message_id: int | None) -> ReplyParameters | None:
    if message_id is None:
        return None
    return ReplyParameters(message_id, allow_sending_without_reply=True)
