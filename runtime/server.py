"""The one HTTP server (ASGI): every platform's routes, ``/healthz`` and ``/metrics``."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from importlib import metadata
from platform import python_version
from typing import Any

import uvicorn
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import Metric
from prometheus_client.registry import Collector
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from engine import metrics as engine_metrics
from engine.metrics import FiguresCollector
from runtime.bootstrap import App, build
from runtime.exposition import MULTIPROCESS_DIR
from runtime.lifecycle import Duties, running
from runtime.settings import Settings
from runtime.worker import WorkerProcesses
from storage.figures import figures_reader

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
        Route("/metrics", _metrics(app), methods=["GET"]),
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


def _metrics(app: App) -> Any:
    figures = FiguresCollector(
        figures_reader(app.engine, lambda: datetime.now(UTC)), _version(), python_version()
    )

    async def metrics(request: Request) -> Response:
        # In a thread: the database's figures are read at each scrape.
        body = await asyncio.to_thread(scrape, figures)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    return metrics


def scrape(figures: Collector) -> bytes:
    """Every process's metrics (each worker process writes its own files in the multiprocess
    directory; without one, this process's) and the database's ``figures``, as text."""
    registry = CollectorRegistry()
    if os.environ.get(MULTIPROCESS_DIR):
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(_Forwarded(engine_metrics.REGISTRY))
    registry.register(figures)
    return generate_latest(registry)


class _Forwarded(Collector):
    """What another registry collects, as one collector of this one."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry

    def collect(self) -> Iterator[Metric]:
        yield from self.registry.collect()


def _version() -> str:
    try:
        return metadata.version("samverkansboten")
    except metadata.PackageNotFoundError:
        return "unknown"


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
        # A line per webhook delivery would cost more than acknowledging it.
        # No access log, and the process's own log configuration (runtime.logs) for uvicorn's.
        uvicorn.run(asgi, host="0.0.0.0", port=settings.port, access_log=False, log_config=None)
    finally:
        workers.stop()
        app.close()
    return 0
