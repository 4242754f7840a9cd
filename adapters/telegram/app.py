"""The python-telegram-bot Application: handlers that translate, call the core and reply."""

from __future__ import annotations

import asyncio
import logging
from contextvars import ContextVar
from dataclasses import replace

from telegram import BotCommand, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from adapters.telegram import translate
from adapters.telegram.render import ANSWER_PREFIX, Renderer
from adapters.telegram.sender import TelegramSender, with_retries
from bot.incoming import Incoming
from runtime.bootstrap import App

log = logging.getLogger(__name__)

RETRIES_AFTER_FLOOD = 3
# The update_id of the update being handled from the inbox, recorded by the core with its changes.
CURRENT_UPDATE: ContextVar[str | None] = ContextVar("telegram_update", default=None)
# A token made by another process (or before a restart) cannot be resolved here.
EXPIRED_HINT = (
    "Knappen har gått ut – skriv kommandot igen. · This button expired; type the command."
)
ANSWER_HINT = "Svara på frågekortet med Svara/Reply. · Reply to the question card."


class TelegramAdapter:
    """Owns the PTB application for one bot token and the handlers it dispatches to."""

    def __init__(self, app: App, *, polling: bool = False) -> None:
        settings = app.settings
        assert settings.telegram_bot_token is not None, "TELEGRAM_BOT_TOKEN is not set"
        builder = (
            ApplicationBuilder()
            .token(settings.telegram_bot_token.get_secret_value())
            .base_url(settings.telegram_api_url)
            .rate_limiter(AIORateLimiter(max_retries=RETRIES_AFTER_FLOOD))
        )
        if not polling:
            builder = builder.updater(None)  # the webhook route feeds updates itself
        self.core = app.bot
        self.renderer = Renderer(username=self._username)
        self.application: Application = builder.build()  # type: ignore[type-arg]
        self.sender = TelegramSender(self.application.bot, self.core, self.renderer)
        self._add_handlers()

    def _add_handlers(self) -> None:
        add = self.application.add_handler
        only_new = filters.UpdateType.MESSAGE
        names = [*translate.COMMANDS, *translate.HIDDEN_COMMANDS]
        add(CommandHandler(names, self.on_command, filters=only_new))
        add(CallbackQueryHandler(self.on_callback))
        add(MessageHandler(filters.UpdateType.EDITED_MESSAGE & filters.TEXT, self.on_edit))
        add(MessageHandler(only_new & filters.TEXT & ~filters.COMMAND, self.on_text))
        add(MessageHandler(filters.StatusUpdate.MIGRATE, self.on_migrate))

    async def on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or message.text is None:
            return
        text = translate.command_text(message.text)
        if message.chat.type == "private" and message.from_user is not None:
            text = translate.private_start(text, message.from_user, self.core.language)
        await self._handle(translate.from_message(message, text))

    def _username(self) -> str | None:
        """The bot's username once getMe has answered (at start), else ``None``."""
        try:
            username: str = self.application.bot.username
        except RuntimeError:  # not initialised yet
            return None
        return username

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Replies to the bot's messages, mentions of the bot and anything in a private chat."""
        message = update.effective_message
        if message is None or message.text is None:
            return
        bot = self.application.bot
        replied = message.reply_to_message
        author = replied.from_user if replied is not None else None
        if author is not None and author.id == bot.id:
            await self._handle(translate.from_message(message, message.text.strip()))
        elif translate.mentions_bot(message, bot.username):
            text = translate.without_mention(message, bot.username)
            await self._handle(translate.from_message(message, text))
        elif message.chat.type == "private":
            await self._handle(translate.from_message(message, message.text.strip()))

    async def on_edit(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.edited_message
        if message is None or message.text is None:
            return
        await self._handle(translate.from_message(message, message.text.strip(), edited=True))

    async def on_migrate(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A group became a supergroup with a new chat id: the collaboration moves along.

        Telegram says so twice (``migrate_to_chat_id`` in the old chat, ``migrate_from_chat_id``
        in the new); whichever arrives first moves it, the other finds nothing left to move.
        """
        message = update.effective_message
        if message is None:
            return
        if message.migrate_to_chat_id:
            old, new = message.chat.id, message.migrate_to_chat_id
        elif message.migrate_from_chat_id:
            old, new = message.migrate_from_chat_id, message.chat.id
        else:
            return
        moved = await asyncio.to_thread(
            self.core.move_channel, translate.channel_of(old), translate.channel_of(new)
        )
        log.info("telegram chat %s became %s; collaboration moved: %s", old, new, moved)

    async def on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button press; always answered, or the person's client keeps spinning."""
        query = update.callback_query
        if query is None:
            return
        data = query.data or ""
        asks_for_answer = data.startswith(ANSWER_PREFIX)
        command = None if asks_for_answer else self.renderer.tokens.command_for(data)
        try:
            if command is not None:
                await self._handle(translate.from_callback(query, command), reply_to=None)
        finally:
            hint = ANSWER_HINT if asks_for_answer else None if command else EXPIRED_HINT
            await with_retries(lambda: query.answer(text=hint))

    async def _handle(self, incoming: Incoming | None, reply_to: int | None = -1) -> None:
        if incoming is None or not incoming.text:
            return
        incoming = replace(incoming, event_id=CURRENT_UPDATE.get())
        replies = await asyncio.to_thread(self.core.handle, incoming)
        if reply_to == -1:
            reply_to = int(incoming.message_ref) if incoming.message_ref else None
        await self.sender.send(incoming.channel, replies, reply_to)

    async def set_commands(self) -> None:
        """The command menu in Swedish (also the default) and English."""
        bot = self.application.bot
        swedish = [BotCommand(name, sv) for name, (sv, _) in translate.COMMANDS.items()]
        english = [BotCommand(name, en) for name, (_, en) in translate.COMMANDS.items()]
        await with_retries(lambda: bot.set_my_commands(swedish))
        await with_retries(lambda: bot.set_my_commands(swedish, language_code="sv"))
        await with_retries(lambda: bot.set_my_commands(english, language_code="en"))
