"""The one HTTP server (ASGI): every platform's routes, ``/healthz`` and ``/metrics``."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator
from typing import Any

import uvicorn
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from runtime.bootstrap import App, build
from runtime.lifecycle import Duties, running
from runtime.settings import Settings
from runtime.worker import WorkerProcesses

log = logging.getLogger(__name__)


def platform_app(app: App, *, handle_here: bool = True, schedule: bool = False) -> Starlette:
    """The ASGI application with every platform's routes, health and metrics.

    What the platforms receive is kept in the inbox; ``handle_here`` runs the inbox worker in
    this process, else worker processes (``samverkan work``) handle it. ``schedule`` runs the
    nudge clock here too (when there are no worker processes to run it).
    """
    duties = Duties(receive=True, handle=handle_here, schedule=schedule)

    @contextlib.asynccontextmanager
    async def lifespan(_: Any) -> AsyncIterator[None]:
        async with running(app, duties):
            yield

    routes: list[BaseRoute] = [
        Route("/healthz", _healthz(app), methods=["GET"]),
        Route("/metrics", _metrics, methods=["GET"]),
    ]
    for platform in app.platforms:
        routes += platform.routes()
    return Starlette(routes=routes, lifespan=lifespan)


def _healthz(app: App) -> Any:
    def ask_the_database() -> None:
        with app.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    async def healthz(request: Request) -> Response:
        try:
            # In a thread: a slow database must not hold up the acknowledgements on the loop.
            await asyncio.to_thread(ask_the_database)
        except Exception:
            log.exception("health check failed")
            return JSONResponse({"ok": False, "database": "unreachable"}, status_code=503)
        return JSONResponse({"ok": True})

    return healthz


async def _metrics(request: Request) -> Response:
    lines = [
        "# HELP samverkan_up The server is running.",
        "# TYPE samverkan_up gauge",
        "samverkan_up 1",
    ]
    return PlainTextResponse("\n".join(lines) + "\n")


def _exit_quietly(signum: int, frame: object) -> None:
    raise SystemExit(0)


def serve(settings: Settings) -> int:
    """Run the HTTP server, with every configured platform and the scheduler, until stopped."""
    app = build(settings)
    if not app.platforms:
        log.warning("no platform configured: only /healthz and /metrics are served")
    workers = WorkerProcesses(settings.worker_processes)
    # uvicorn stops gracefully on SIGTERM, then raises the signal again; unwinding instead of
    # dying by it lets the worker processes be stopped and waited for below.
    signal.signal(signal.SIGTERM, _exit_quietly)
    try:
        workers.start()
        # With worker processes they handle and run the clock, away from the acknowledging path.
        alone = not settings.worker_processes
        asgi = platform_app(app, handle_here=alone, schedule=alone)
        # No access log: a line per webhook delivery costs more than acknowledging it.
        uvicorn.run(asgi, host="0.0.0.0", port=settings.port, log_level="info", access_log=False)
    finally:
        workers.stop()
        app.close()
    return 0
