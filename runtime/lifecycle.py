"""What a process runs, and in which order it starts and stops it: the platforms' clients, the
inbox worker, the nudge clock, and what brings events in. Shared by the serving process and the
worker processes, which differ only in which of these they run."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass

from engine.platform import Sender
from engine.scheduler import start_scheduler
from runtime.bootstrap import App

log = logging.getLogger(__name__)


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
            scheduler = start_scheduler(app.stores, senders, app.bot.model, app.bot.calendar)
            stack.callback(scheduler.shutdown, wait=False)
        if duties.receive:
            for platform in app.platforms:
                await stack.enter_async_context(platform.receiving())
        names = ", ".join(platform.name for platform in app.platforms) or "no platform"
        log.info("running %s for %s", duties, names)
        yield


@contextlib.contextmanager
def clock_beside(app: App, senders: Mapping[str, Sender]) -> Iterator[None]:
    """The nudge clock on an event loop of its own, in a thread, while the block runs: for the
    terminal, whose main thread waits for what the person types."""
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    started = threading.Event()

    async def main() -> None:
        async with running(app, Duties(schedule=True), senders):
            started.set()
            await stop.wait()

    thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
    thread.start()
    started.wait(30)
    try:
        yield
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(10)
        loop.close()
