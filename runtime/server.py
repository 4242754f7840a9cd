"""The one HTTP server (ASGI): platform webhooks, ``/healthz`` and ``/metrics``."""

from __future__ import annotations

import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any

import uvicorn
from sqlalchemy import Engine, text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from bot.domain import ChannelRef
from runtime.bootstrap import App, build
from runtime.inbox import InboxWorker
from runtime.scheduler import Sender, start_scheduler
from runtime.settings import Settings
from runtime.worker import WorkerProcesses
from storage.outbox import OutboxItem

log = logging.getLogger(__name__)

# A platform's start/stop hook around the server's life.
Lifespan = Callable[[Any], AbstractAsyncContextManager[None]]


def create_app(app: App, extra_routes: Sequence[BaseRoute] = (), **starlette: Any) -> Starlette:
    """The ASGI application serving ``app``: health and metrics plus the platforms' routes."""

    async def healthz(request: Request) -> Response:
        try:
            with app.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:
            log.exception("health check failed")
            return JSONResponse({"ok": False, "database": "unreachable"}, status_code=503)
        return JSONResponse({"ok": True})

    async def metrics(request: Request) -> Response:
        lines = [
            "# HELP samverkan_up The server is running.",
            "# TYPE samverkan_up gauge",
            "samverkan_up 1",
        ]
        return PlainTextResponse("\n".join(lines) + "\n")

    routes: list[BaseRoute] = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
        *extra_routes,
    ]
    return Starlette(routes=routes, **starlette)


def platform_app(app: App, *, handle_here: bool = True) -> Starlette:
    """The ASGI application with every configured platform's routes and start/stop hooks.

    Webhook events are kept in the inbox; ``handle_here`` runs the inbox worker in this
    process, else worker processes (``samverkan work``) handle them.
    """
    routes: list[BaseRoute] = []
    worker = InboxWorker(app.sessions)
    lifespans: list[Lifespan] = [_working(worker)] if handle_here else []
    settings = app.settings
    if settings.slack_over_http:
        from adapters.slack.app import slack_routes

        routes += slack_routes(app, worker)
    if settings.slack_app_token:
        lifespans.append(_socket_mode(app))
    if settings.telegram_enabled:
        from adapters.telegram.webhook import telegram_routes

        telegram, lifespan = telegram_routes(app, worker)
        routes += telegram
        lifespans.append(lifespan)
    return create_app(app, routes, lifespan=_together(lifespans))


def _working(worker: InboxWorker) -> Lifespan:
    """Handles what the webhooks keep, from start-up (the platforms' own lifespans, entered
    after this one, are left first on the way out, while the worker still runs)."""

    @contextlib.asynccontextmanager
    async def lifespan(_: Any) -> AsyncIterator[None]:
        await worker.start()
        try:
            yield
        finally:
            await worker.stop()

    return lifespan


def _socket_mode(app: App) -> Lifespan:
    @contextlib.asynccontextmanager
    async def lifespan(_: Any) -> AsyncIterator[None]:
        from adapters.slack.socket_mode import start_socket_mode

        handler = await start_socket_mode(app)
        try:
            yield
        finally:
            await handler.close_async()

    return lifespan


def _together(lifespans: list[Lifespan]) -> Lifespan:
    """One lifespan that enters every platform's, and leaves them in reverse order."""

    @contextlib.asynccontextmanager
    async def lifespan(asgi: Any) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            for each in lifespans:
                await stack.enter_async_context(each(asgi))
            yield

    return lifespan


def nudge_sender(settings: Settings, engine: Engine | None = None) -> Sender:
    """Delivers an outbox row to the platform of its channel; raises if it cannot.

    With Slack OAuth (client id and secret set) a Slack row goes out with the bot token its
    workspace installed, found in ``engine``'s database.
    """
    senders: dict[str, Callable[[ChannelRef, str, Sequence[str]], None]] = {}
    if engine is not None and settings.slack_client_id and settings.slack_client_secret:
        from adapters.slack.nudges import slack_installed_nudge_sender
        from adapters.slack.oauth import installed_bot_token

        bot_token = installed_bot_token(engine, settings.slack_client_id)
        senders["slack"] = slack_installed_nudge_sender(bot_token, settings.slack_api_url)
    elif settings.slack_bot_token:
        from adapters.slack.nudges import slack_nudge_sender

        token = settings.slack_bot_token.get_secret_value()
        senders["slack"] = _by_channel_id(slack_nudge_sender(token, settings.slack_api_url))
    if settings.telegram_bot_token:
        from adapters.telegram.nudges import telegram_nudge_sender

        token = settings.telegram_bot_token.get_secret_value()
        senders["telegram"] = _by_channel_id(
            telegram_nudge_sender(token, settings.telegram_api_url)
        )

    def send(item: OutboxItem, text: str) -> None:
        platform = item.channel.platform
        if platform not in senders:
            raise LookupError(f"no sender configured for {platform}")
        # The note to the coordinators is for them alone where the platform allows it.
        quiet_for = item.params.get("coordinators", "").split()
        senders[platform](item.channel, text, quiet_for if item.kind == "coordinator_note" else [])

    return send


def _by_channel_id(
    send: Callable[[str, str, Sequence[str]], None],
) -> Callable[[ChannelRef, str, Sequence[str]], None]:
    """A sender of one bot token: only the channel's id matters."""
    return lambda channel, text, quiet_for: send(channel.channel, text, quiet_for)


def _exit_quietly(signum: int, frame: object) -> None:
    raise SystemExit(0)


def serve(settings: Settings) -> int:
    """Run the HTTP server, with every configured platform and the scheduler, until stopped."""
    app = build(settings)
    if not settings.any_platform:
        log.warning("no platform configured: only /healthz and /metrics are served")
    # With worker processes the scheduler runs in them, away from the acknowledging path.
    scheduler = None
    if not settings.worker_processes:
        scheduler = start_scheduler(app, nudge_sender(settings, app.engine))
    workers = WorkerProcesses(settings.worker_processes)
    # uvicorn stops gracefully on SIGTERM, then raises the signal again; unwinding instead of
    # dying by it lets the worker processes be stopped and waited for below.
    signal.signal(signal.SIGTERM, _exit_quietly)
    try:
        workers.start()
        asgi = platform_app(app, handle_here=not settings.worker_processes)
        # No access log: a line per webhook delivery costs more than acknowledging it.
        uvicorn.run(asgi, host="0.0.0.0", port=settings.port, log_level="info", access_log=False)
    finally:
        workers.stop()
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        app.close()
    return 0
