"""PTB's handlers: a kept update translated for the core, handled, and its replies sent.

Every handler knows the update it handles, so the core gets the update's own ``update_id`` as
the event id: an update handled once is never handled again, however often it is kept.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection
from dataclasses import replace

from telegram import Bot, BotCommand, CallbackQuery, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from adapters.telegram import translate
from adapters.telegram.render import ANSWER_PREFIX, is_token
from adapters.telegram.sender import TelegramSender, call
from bot.incoming import Incoming
from engine.platform import Progress, SendError, Surroundings, Target
from model_content import Language

log = logging.getLogger(__name__)

# A token nobody remembered (a message from before tokens were shared, or one pruned after no
# message carried it for long) does nothing. Both hints are seen by the person who pressed
# alone: in their language.
EXPIRED_HINT = {
    "sv": "Knappen har gått ut – skriv kommandot igen.",
    "en": "This button has expired; type the command instead.",
}
ANSWER_HINT = {
    "sv": "Svara på frågekortet: tryck Svara på det och skriv ditt svar.",
    "en": "Reply to the question card: tap Reply on it and write your answer.",
}


class Handlers:
    """The handlers of one PTB application; each hands the core an :class:`Incoming`."""

    def __init__(
        self, surroundings: Surroundings, sender: TelegramSender, final: Collection[int] = ()
    ) -> None:
        self.surroundings = surroundings
        self.core = surroundings.core
        self.sender = sender
        self.final = final  # the updates handed over for the last time

    def add_to(self, application: Application) -> None:  # type: ignore[type-arg]
        add = application.add_handler
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
        incoming = translate.from_message(message, text, str(update.update_id))
        person = message.from_user
        order = translate.private_start(text) if message.chat.type == "private" else None
        if incoming is not None and person is not None and order is not None:
            language = translate.person_language(person, self.core.language)
            incoming = replace(incoming, order=order, language=language)
        await self._handle(incoming)

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Replies to the bot's messages, mentions of the bot and anything in a private chat;
        other talk in a group reaches the core as not addressed to the bot, which counts it
        (`balans`) and answers nothing. Telegram hands a group's talk to a bot only when its
        privacy mode is off or it is an administrator there."""
        message = update.effective_message
        if message is None or message.text is None:
            return
        bot = context.bot
        event_id = str(update.update_id)
        replied = message.reply_to_message
        author = replied.from_user if replied is not None else None
        if author is not None and author.id == bot.id:
            await self._handle(translate.from_message(message, message.text.strip(), event_id))
        elif translate.mentions_bot(message, bot.username):
            text = translate.without_mention(message, bot.username)
            await self._handle(translate.from_message(message, text, event_id))
        elif message.chat.type == "private":
            await self._handle(translate.from_message(message, message.text.strip(), event_id))
        else:
            talk = translate.from_message(message, message.text.strip(), event_id)
            await self._handle(None if talk is None else replace(talk, addressed=False))

    async def on_edit(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.edited_message
        if message is None or message.text is None:
            return
        # Read as the first version was: a command without its slash, a mention without the
        # bot's name; a typed answer is then revised to what follows its question.
        text = translate.command_text(message.text)
        if translate.mentions_bot(message, context.bot.username):
            text = translate.without_mention(message, context.bot.username)
        event_id = str(update.update_id)
        await self._handle(translate.from_message(message, text, event_id, edited=True))

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
        command = None if asks_for_answer else await self._command_of(data)
        try:
            if command is not None:
                incoming = translate.from_callback(query, command, str(update.update_id))
                # The answer goes to the chat: no reaction, no reply to the card.
                await self._handle(incoming, answered=False)
        finally:
            hints = ANSWER_HINT if asks_for_answer else None if command else EXPIRED_HINT
            hint = None if hints is None else hints[await self._language_of(query)]
            await _answer(query, hint)

    async def _language_of(self, query: CallbackQuery) -> Language:
        """The language of the person who pressed: their app's, else the chat's."""
        fallback: Language = "sv"
        if query.message is not None:
            channel = translate.channel_of(query.message.chat.id)
            fallback = await asyncio.to_thread(self.surroundings.core.language_in, channel)
        return translate.person_language(query.from_user, fallback)

    async def _command_of(self, data: str) -> str | None:
        """The command behind a button's ``callback_data``: the data itself, or what the
        shared store keeps under its token (``None`` when nobody remembered it)."""
        if not is_token(data):
            return data
        return await asyncio.to_thread(self.surroundings.buttons.recall, data)

    async def _handle(self, incoming: Incoming | None, *, answered: bool = True) -> None:
        if incoming is None or not incoming.text:
            return
        if incoming.event_id is not None and int(incoming.event_id) in self.final:
            incoming = replace(incoming, final=True)
        answer = await asyncio.to_thread(self.core.answer, incoming)
        target = Target(
            incoming.channel,
            person=incoming.author.user_id,
            message_ref=incoming.message_ref if answered else None,
        )
        # Updates reach the handlers only from the inbox (see TelegramPlatform.handle).
        progress = Progress.of(self.core, incoming, answer, kept=True)
        await self.sender.answer(target, answer.replies, progress)


async def _answer(query: CallbackQuery, hint: str | None) -> None:
    """Stops the client's spinner. A query is answerable for a short while only: one handled
    late (after a restart) cannot be answered, which must not undo the handling."""
    try:
        await call(lambda: query.answer(text=hint))
    except SendError as error:
        log.info("callback query %s not answered: %s", query.id, error)


async def set_commands(bot: Bot) -> None:
    """The command menu in Swedish (also the default) and English."""
    swedish = [BotCommand(name, sv) for name, (sv, _) in translate.COMMANDS.items()]
    english = [BotCommand(name, en) for name, (_, en) in translate.COMMANDS.items()]
    await call(lambda: bot.set_my_commands(swedish))
    await call(lambda: bot.set_my_commands(swedish, language_code="sv"))
    await call(lambda: bot.set_my_commands(english, language_code="en"))
