"""The one HTTP server (ASGI): platform webhooks, ``/healthz`` and ``/metrics``."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

import uvicorn
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from runtime.bootstrap import App, build
from runtime.settings import Settings

log = logging.getLogger(__name__)

# Each configured platform contributes its routes and its start/stop hooks.
RouteFactory = Callable[[App], Sequence[BaseRoute]]


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


def serve(settings: Settings) -> int:
    """Run the HTTP server until interrupted."""
    app = build(settings)
    try:
        uvicorn.run(create_app(app), host="0.0.0.0", port=settings.port, log_level="info")
    finally:
        app.close()
    return 0
