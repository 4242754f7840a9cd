"""The Telegram platform: a bot token's webhook or long polling, its PTB application, and the
one way to send to its chats."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field

from starlette.routing import BaseRoute, Route
from telegram import Bot, Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes

from adapters.telegram.handlers import Handlers, set_commands
from adapters.telegram.polling import poll
from adapters.telegram.render import Renderer
from adapters.telegram.sender import TelegramSender, call
from adapters.telegram.translate import ALLOWED_UPDATES, PLATFORM
from adapters.telegram.webhook import WebhookEndpoint
from bot.replies import Reply
from engine.platform import SendError, Surroundings, Target
from engine.ports import KeptEvent

# One update's handling is cut off after this and tried again later (well within the inbox
# lease, after which another worker could take the same update).
PROCESS_TIMEOUT = 40.0
_CHAT_KINDS = ("message", "edited_message", "channel_post", "edited_channel_post")


@dataclass(frozen=True)
class TelegramSettings:
    """One bot: its token, the Bot API's address, and the webhook, if Telegram is to push
    updates (else the serving process long-polls)."""

    bot_token: str = field(repr=False)
    api_url: str = "https://api.telegram.org/bot"
    webhook_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)


class TelegramPlatform:
    """:class:`engine.platform.Platform` for Telegram (see the factory)."""

    name = PLATFORM

    def __init__(self, settings: TelegramSettings, surroundings: Surroundings) -> None:
        self.settings = settings
        self.surroundings = surroundings
        # No Updater: updates reach the handlers only from the inbox (see ``handle``).
        builder = ApplicationBuilder().token(settings.bot_token).base_url(settings.api_url)
        self.application: Application = builder.updater(None).build()  # type: ignore[type-arg]
        self.renderer = Renderer(username=self._username)
        self.sender = TelegramSender(self.application.bot, surroundings, self.renderer)
        # The ids of updates handed over for the last time (KeptEvent.final), being handled.
        self._final: set[int] = set()
        Handlers(surroundings, self.sender, self._final).add_to(self.application)
        self.application.add_error_handler(self._remember_failure)
        # The error of each update being handled whose handler raised, by update_id.
        self._failures: dict[int, BaseException] = {}

    def routes(self) -> Sequence[BaseRoute]:
        endpoint = WebhookEndpoint(self.settings.webhook_secret, self.surroundings.keep)
        return [Route("/telegram/webhook", endpoint.handle, methods=["POST"])]

    @contextlib.asynccontextmanager
    async def receiving(self) -> AsyncIterator[None]:
        """Sets the command menu, then the webhook, or long-polls into the inbox until left.

        A client of its own: the serving process may receive without handling."""
        settings = self.settings
        async with Bot(settings.bot_token, base_url=settings.api_url) as bot:
            await set_commands(bot)
            if settings.webhook_url:
                url, secret = settings.webhook_url, settings.webhook_secret
                await call(
                    lambda: bot.set_webhook(
                        url, secret_token=secret, allowed_updates=ALLOWED_UPDATES
                    )
                )
                yield
                return
            await call(lambda: bot.delete_webhook())
            polling = asyncio.create_task(poll(bot, self.surroundings.keep))
            try:
                yield
            finally:
                polling.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await polling

    @contextlib.asynccontextmanager
    async def handling(self) -> AsyncIterator[None]:
        """The PTB application, initialised (getMe: the bot's username) and started."""
        application = self.application
        await application.initialize()
        try:
            await application.start()
            yield
        finally:
            if application.running:
                await application.stop()
            await application.shutdown()

    def chat_of(self, event: KeptEvent) -> str:
        update = json.loads(event.payload)
        for kind in _CHAT_KINDS:
            if kind in update:
                return str(update[kind]["chat"]["id"])
        query = update.get("callback_query") or {}
        return str((query.get("message") or {}).get("chat", {}).get("id", ""))

    async def handle(self, event: KeptEvent) -> None:
        """Feeds the kept update to PTB's handlers; raises when one of them failed.

        A :class:`SendError` is raised as it is, so that the inbox sees what kind it is (after
        a :class:`~engine.platform.RetryLaterError` it waits as long as Telegram asked);
        anything else is raised as a :class:`RuntimeError` caused by the handler's error."""
        update = Update.de_json(json.loads(event.payload), self.application.bot)
        if event.final:
            self._final.add(update.update_id)
        try:
            await asyncio.wait_for(self.application.process_update(update), PROCESS_TIMEOUT)
        finally:
            failure = self._failures.pop(update.update_id, None)
            self._final.discard(update.update_id)
        if isinstance(failure, SendError):
            raise failure
        if failure is not None:
            raise RuntimeError(f"telegram update {update.update_id} failed") from failure

    async def send(self, target: Target, replies: Sequence[Reply]) -> None:
        await self.sender.send(target, replies)

    async def _remember_failure(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        # PTB hands a handler's exception to the error handlers instead of raising it.
        if isinstance(update, Update) and context.error is not None:
            self._failures[update.update_id] = context.error

    def _username(self) -> str | None:
        """The bot's username once getMe has answered (in ``handling``), else ``None``."""
        try:
            username: str = self.application.bot.username
        except RuntimeError:  # not initialised yet
            return None
        return username


def telegram_platform(settings: TelegramSettings, surroundings: Surroundings) -> TelegramPlatform:
    """The Telegram platform of one bot token, handing what it receives to ``surroundings``."""
    return TelegramPlatform(settings, surroundings)
