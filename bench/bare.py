"""The bare apps the benchmark compares against, as uvicorn factories in their own process.

    python -m uvicorn --factory bench.bare:slack --port 8001      (BENCH_API_URL: Web API)
    python -m uvicorn --factory bench.bare:telegram --port 8002   (BENCH_API_URL: Bot API base)

A slack-bolt app that only acknowledges; a python-telegram-bot application that answers every
update with one message before its 200. Both behind the same Starlette and uvicorn as ours.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import AsyncIterator
from typing import Any

from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

SLACK_SECRET = "bench-signing-secret"
TG_TOKEN = "123:ABC"


def slack() -> Starlette:
    client = AsyncWebClient(token="xoxb-bench", base_url=os.environ["BENCH_API_URL"])
    bolt = AsyncApp(client=client, signing_secret=SLACK_SECRET)

    @bolt.event("message")
    async def on_message(ack: Any) -> None:
        await ack()

    @bolt.command("/samverkan")
    async def on_command(ack: Any) -> None:
        await ack()

    handler = AsyncSlackRequestHandler(bolt)

    async def endpoint(request: Request) -> Response:
        return await handler.handle(request)

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok")

    return Starlette(
        routes=[
            Route("/slack/events", endpoint, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ]
    )


def telegram() -> Starlette:
    builder = ApplicationBuilder().token(TG_TOKEN).base_url(os.environ["BENCH_API_URL"])
    application = builder.updater(None).build()

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, "ok")

    application.add_handler(MessageHandler(filters.ALL, echo))

    async def webhook(request: Request) -> Response:
        data = json.loads(await request.body())
        await application.process_update(Update.de_json(data, application.bot))
        return PlainTextResponse("ok")

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok")

    @contextlib.asynccontextmanager
    async def lifespan(_: Any) -> AsyncIterator[None]:
        await application.initialize()
        await application.start()
        try:
            yield
        finally:
            await application.stop()
            await application.shutdown()

    return Starlette(
        routes=[
            Route("/telegram/webhook", webhook, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
