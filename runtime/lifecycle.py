"""What a process runs, and in which order it starts and stops it: the platforms' clients, the
inbox worker, the nudge clock, and what brings events in. Shared by the serving process and the
worker processes, which differ only in which of these they run."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import AsyncIterator, Coroutine, Iterator, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from engine.platform import Sender
from engine.retention import months
from engine.scheduler import Timing, start_scheduler
from runtime.bootstrap import App

log = logging.getLogger(__name__)

STOP_SECONDS = 30.0  # to start or stop the terminal's clock; the jobs get 10 of them to end


@dataclass(frozen=True)
class Duties:
    """``receive``: what brings events in besides the routes (webhook set-up, long polling,
    Socket Mode: the serving process); ``handle``: the inbox worker; ``schedule``: the nudge
    clock and delivery."""

    receive: bool = False
    handle: bool = False
    schedule: bool = False


@contextlib.asynccontextmanager
async def running(
    app: App, duties: Duties, senders: Mapping[str, Sender] | None = None
) -> AsyncIterator[None]:
    """Start what ``duties`` ask for on the running event loop; stop it in reverse order on
    the way out (receiving ends first, so nothing new arrives while the rest winds down).
    The clock sends through the platforms, or through ``senders`` when given."""
    async with contextlib.AsyncExitStack() as stack:
        stack.push_async_callback(app.stores.inbox.close)
        # The terminal's clock sends through ``senders`` alone: no platform is started there.
        if duties.handle or (duties.schedule and senders is None):
            for platform in app.platforms:
                await stack.enter_async_context(platform.handling())
        if duties.handle:
            for platform in app.platforms:
                app.worker.register(platform)
            await app.worker.start()
            stack.push_async_callback(app.worker.stop)
        if duties.schedule:
            senders = senders or {platform.name: platform for platform in app.platforms}
            scheduler = start_scheduler(
                app.stores, senders, app.bot.model, app.bot.calendar, timing=timing_of(app)
            )
            stack.push_async_callback(scheduler.stop)
        if duties.receive:
            for platform in app.platforms:
                await stack.enter_async_context(platform.receiving())
        names = ", ".join(platform.name for platform in app.platforms) or "no platform"
        log.info("running %s for %s", duties, names)
        yield


def timing_of(app: App) -> Timing:
    """The jobs' timing, with the retention the settings give."""
    settings = app.settings
    return Timing(
        keep_idle=months(settings.retention_months),
        retention_grace=timedelta(days=settings.retention_grace_days),
    )


@contextlib.contextmanager
def clock_beside(app: App, senders: Mapping[str, Sender]) -> Iterator[None]:
    """The nudge clock on an event loop of its own, in a thread, while the block runs: for the
    terminal, whose main thread waits for what the person types. A failure to start or to stop
    is raised here."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="nudge-clock", daemon=True)
    thread.start()
    stack = contextlib.AsyncExitStack()

    def on_loop(work: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(work, loop).result(STOP_SECONDS)

    try:
        on_loop(stack.enter_async_context(running(app, Duties(schedule=True), senders)))
        yield
    finally:
        try:
            on_loop(stack.aclose())
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(STOP_SECONDS)
            loop.close()
