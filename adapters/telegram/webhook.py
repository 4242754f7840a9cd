"""``POST /telegram/webhook`` and the start/stop of the Telegram adapter.

Unlike PTB's own webhook server, which answers 200 before processing, this route answers only
after the update was handled: a crash before the 200 makes Telegram re-send the update instead
of losing it. Each ``update_id`` is claimed in the shared database first, so a re-sent update,
on whichever process it lands, is handled once.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route
from telegram import Update
from telegram.ext import ContextTypes

from adapters.telegram.app import TelegramAdapter
from adapters.telegram.sender import with_retries
from adapters.telegram.translate import PLATFORM
from runtime.bootstrap import App
from storage import dedup

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram re-sends after 60 s without an answer; answer well before that.
PROCESS_TIMEOUT = 40.0
Lifespan = Callable[[Any], contextlib.AbstractAsyncContextManager[None]]


class WebhookEndpoint:
    """Verifies, deduplicates and processes one update per request."""

    def __init__(self, app: App, adapter: TelegramAdapter) -> None:
        secret = app.settings.telegram_webhook_secret
        self.secret = secret.get_secret_value() if secret else None
        self.app = app
        self.adapter = adapter
        self.failed: set[int] = set()
        adapter.application.add_error_handler(self._remember_failure)

    async def _remember_failure(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("telegram update failed", exc_info=context.error)
        if isinstance(update, Update):
            self.failed.add(update.update_id)

    async def handle(self, request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not self.secret or not hmac.compare_digest(given.encode(), self.secret.encode()):
            return PlainTextResponse("forbidden", status_code=403)
        try:
            data = json.loads(await request.body())
            update_id = int(data["update_id"])
        except (ValueError, KeyError, TypeError):
            return PlainTextResponse("bad request", status_code=400)
        if not await asyncio.to_thread(self._claim, update_id):
            return PlainTextResponse("ok (already handled)")
        if await self._process(data, update_id):
            return PlainTextResponse("ok")
        await asyncio.to_thread(self._release, update_id)
        return PlainTextResponse("failed; please re-send", status_code=500)

    async def _process(self, data: dict[str, Any], update_id: int) -> bool:
        application = self.adapter.application
        try:
            update = Update.de_json(data, application.bot)
            await asyncio.wait_for(application.process_update(update), PROCESS_TIMEOUT)
        except Exception:
            log.exception("telegram update %s could not be processed", update_id)
            return False
        if update_id in self.failed:
            self.failed.discard(update_id)
            return False
        return True

    def _claim(self, update_id: int) -> bool:
        now = datetime.now(UTC)
        return dedup.claim_event(self.app.sessions, PLATFORM, str(update_id), now)

    def _release(self, update_id: int) -> None:
        # A failed update must be handled when Telegram re-sends it, so its claim is given up.
        dedup.release_event(self.app.sessions, PLATFORM, str(update_id))


def telegram_routes(app: App) -> tuple[list[BaseRoute], Lifespan]:
    """The webhook route and a lifespan that starts and stops the adapter.

    Without ``TELEGRAM_WEBHOOK_URL`` the lifespan long-polls instead, and the route stays
    unused (it refuses everything when no secret is configured).
    """
    polling = not app.settings.telegram_webhook_url
    adapter = TelegramAdapter(app, polling=polling)
    endpoint = WebhookEndpoint(app, adapter)
    routes: list[BaseRoute] = [Route("/telegram/webhook", endpoint.handle, methods=["POST"])]

    @contextlib.asynccontextmanager
    async def lifespan(_: Any) -> AsyncIterator[None]:
        await start(adapter, app, polling)
        try:
            yield
        finally:
            await stop(adapter, polling)

    return routes, lifespan


async def start(adapter: TelegramAdapter, app: App, polling: bool) -> None:
    application = adapter.application
    await application.initialize()
    await application.start()
    await adapter.set_commands()
    settings = app.settings
    if polling:
        assert application.updater is not None
        await with_retries(lambda: application.bot.delete_webhook())
        await application.updater.start_polling()
        return
    secret = settings.telegram_webhook_secret.get_secret_value()  # type: ignore[union-attr]
    url = settings.telegram_webhook_url or ""
    await with_retries(lambda: application.bot.set_webhook(url, secret_token=secret))


async def stop(adapter: TelegramAdapter, polling: bool) -> None:
    application = adapter.application
    if polling and application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()
