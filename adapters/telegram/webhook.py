"""``POST /telegram/webhook`` and the start/stop of the Telegram adapter.

Unlike PTB's own webhook server, which answers 200 before the update is stored anywhere, this
route stores the update in the shared database (the inbox) first and only then answers: an
update Telegram saw acknowledged survives a crash. The inbox's key is the ``update_id``, so a
re-sent update, on whichever process it lands, is kept once; the inbox worker then feeds it to
PTB's ``Application``, and the core records the ``update_id`` with its changes, so an update
taken again after a crash never applies twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from collections.abc import AsyncIterator, Callable
from contextvars import ContextVar
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route
from telegram import Update
from telegram.ext import ContextTypes

from adapters.telegram.app import CURRENT_UPDATE, TelegramAdapter
from adapters.telegram.sender import with_retries
from adapters.telegram.translate import PLATFORM
from runtime.bootstrap import App
from runtime.inbox import Dispatcher, InboxWorker

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# One update's handling is cut off after this and tried again later (well within the inbox
# lease, after which another worker could take the same update).
PROCESS_TIMEOUT = 40.0
Lifespan = Callable[[Any], contextlib.AbstractAsyncContextManager[None]]

# Set by PTB's error handler when a handler of the update being processed raised.
_FAILED: ContextVar[list[BaseException] | None] = ContextVar("telegram_failed", default=None)


class WebhookEndpoint:
    """Verifies the secret and keeps each update in the inbox before answering."""

    def __init__(self, app: App, worker: InboxWorker) -> None:
        secret = app.settings.telegram_webhook_secret
        self.secret = secret.get_secret_value() if secret else None
        self.worker = worker

    async def handle(self, request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not self.secret or not hmac.compare_digest(given.encode(), self.secret.encode()):
            return PlainTextResponse("forbidden", status_code=403)
        raw = await request.body()
        try:
            update_id = int(json.loads(raw)["update_id"])
        except (ValueError, KeyError, TypeError):
            return PlainTextResponse("bad request", status_code=400)
        payload = raw.decode("utf-8")
        if not await self.worker.store(PLATFORM, str(update_id), payload):
            return PlainTextResponse("ok (already received)")
        return PlainTextResponse("ok")


def update_dispatcher(adapter: TelegramAdapter) -> Dispatcher:
    """Feeds a stored update to PTB; raises when a handler failed, so it is tried again."""
    application = adapter.application

    async def remember_failure(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        failures = _FAILED.get()
        if failures is not None and context.error is not None:
            failures.append(context.error)

    application.add_error_handler(remember_failure)

    async def handle(payload: str) -> None:
        update = Update.de_json(json.loads(payload), application.bot)
        failures: list[BaseException] = []
        _FAILED.set(failures)
        CURRENT_UPDATE.set(str(update.update_id))
        await asyncio.wait_for(application.process_update(update), PROCESS_TIMEOUT)
        if failures:
            raise RuntimeError(f"update {update.update_id} failed") from failures[0]

    def chat(payload: str) -> str:
        update = json.loads(payload)
        for kind in ("message", "edited_message", "channel_post", "edited_channel_post"):
            if kind in update:
                return str(update[kind]["chat"]["id"])
        query = update.get("callback_query") or {}
        return str((query.get("message") or {}).get("chat", {}).get("id", ""))

    return Dispatcher(handle=handle, chat=chat)


def telegram_routes(app: App, worker: InboxWorker) -> tuple[list[BaseRoute], Lifespan]:
    """The webhook route and a lifespan that starts and stops the adapter; ``worker`` handles
    what the route stores.

    Without ``TELEGRAM_WEBHOOK_URL`` the lifespan long-polls instead, and the route stays
    unused (it refuses everything when no secret is configured).
    """
    polling = not app.settings.telegram_webhook_url
    adapter = TelegramAdapter(app, polling=polling)
    endpoint = WebhookEndpoint(app, worker)
    worker.register(PLATFORM, update_dispatcher(adapter))
    routes: list[BaseRoute] = [Route("/telegram/webhook", endpoint.handle, methods=["POST"])]

    @contextlib.asynccontextmanager
    async def lifespan(_: Any) -> AsyncIterator[None]:
        await start(adapter, app, polling)
        try:
            yield
        finally:
            await stop(adapter, polling)

    return routes, lifespan


def telegram_handling(app: App) -> tuple[Dispatcher, Lifespan]:
    """For a worker process: handles kept updates with an application of its own, which the
    lifespan starts (no webhook to set, no polling: the serving process does that)."""
    adapter = TelegramAdapter(app, polling=False)

    @contextlib.asynccontextmanager
    async def lifespan(_: Any) -> AsyncIterator[None]:
        await adapter.application.initialize()
        await adapter.application.start()
        try:
            yield
        finally:
            await stop(adapter, polling=False)

    return update_dispatcher(adapter), lifespan


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
