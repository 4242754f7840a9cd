"""The inbox worker: handles stored platform events after the platform got its 200.

Webhooks only verify, :func:`storage.inbox.store` and answer; this worker, an asyncio task in
each serving process, claims stored events and hands each to its platform's dispatcher. Events
of one chat are handled one after the other, in the order received; different chats run side
by side, at most ``concurrency`` at a time. The core does its database work in worker threads,
so the event loop stays free to acknowledge new requests while others are handled.

A dispatcher that raises gets its event back with a growing back-off, up to ``max_attempts``;
a process that dies mid-way leaves its claims to run out (``lease``) and be taken again.

Acknowledging comes first. A platform that waits too long for its 200 sends the event again
(Slack after 3 seconds), which only adds to the load. So while events arrive faster than a
worker handles them (``burst_rate`` a second, counted over all processes), each worker takes
one event at a time, one every ``burst_pace`` seconds, and leaves the CPU to the acknowledging
side; what is kept meanwhile waits in the inbox and is handled at full speed once the burst
is over.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import time
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from bot.ports import Clock
from runtime.clock import SystemClock
from storage import inbox
from storage.inbox import InboxItem

log = logging.getLogger(__name__)

_BATCH = 100  # events kept in one transaction at most
# Events a second, over all processes, above which handling holds back: about what one worker
# handles in a second. Below it events are handled as they come.
BURST_RATE = 50
BURST_PACE = 0.25  # seconds between events a worker takes during a burst
_BURST_CHECK = 0.25  # seconds a count of arrivals is trusted


@dataclass(frozen=True)
class Dispatcher:
    """How one platform's stored events are handled: ``handle`` raises to have one retried;
    ``chat`` names the conversation an event belongs to, for ordering."""

    handle: Callable[[str], Awaitable[None]]
    chat: Callable[[str], str]


class InboxWorker:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        clock: Clock | None = None,
        concurrency: int = 4,
        lease: timedelta = timedelta(minutes=2),
        poll_seconds: float = 1.0,
        max_attempts: int = 6,
        backoff: timedelta = timedelta(seconds=5),
        burst_rate: int | None = BURST_RATE,
        burst_pace: float = BURST_PACE,
    ) -> None:
        self.sessions = sessions
        self.clock = clock or SystemClock()
        self.concurrency = concurrency
        self.lease = lease
        self.poll_seconds = poll_seconds
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.burst_rate = burst_rate
        self.burst_pace = burst_pace
        self._behind = True  # the last claim found more waiting than it could take (or none yet)
        self._burst = False
        self._burst_counted = float("-inf")
        self.worker_id = f"{socket.gethostname()}-{uuid.uuid4().hex[:12]}"
        self.dispatchers: dict[str, Dispatcher] = {}
        self._running: set[asyncio.Task[None]] = set()
        self._chats: dict[str, asyncio.Lock] = {}  # one per chat with events in hand
        self._users: dict[str, int] = {}
        self._wake: asyncio.Event | None = None
        self._loop_task: asyncio.Task[None] | None = None
        self._receiving = ThreadPoolExecutor(max_workers=1, thread_name_prefix="inbox-keep")
        engine = sessions.kw["bind"]
        # On PostgreSQL events are kept from the event loop itself; SQLite has no async
        # driver here, so there a thread of its own does it.
        self._keeper = inbox.AsyncKeeper(engine) if engine.dialect.name == "postgresql" else None
        self._arrived: list[tuple[tuple[str, str, str], asyncio.Future[bool]]] = []
        self._keeping: asyncio.Task[None] | None = None

    def register(self, platform: str, dispatcher: Dispatcher) -> None:
        self.dispatchers[platform] = dispatcher

    def wake(self) -> None:
        """Look for work now rather than at the next poll (call from the event loop)."""
        if self._wake is not None:
            self._wake.set()

    async def store(self, platform: str, event_id: str, payload: str) -> bool:
        """Keep an event for handling and wake the worker; ``False``: it was kept before.

        Never on the event loop's default threads: acknowledging must not queue behind
        handling, which keeps them busy with the core's database work. On PostgreSQL it is
        the event loop's own asyncio connection, elsewhere a thread of its own.
        """
        kept: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._arrived.append(((platform, event_id, payload), kept))
        if self._keeping is None or self._keeping.done():
            self._keeping = asyncio.create_task(self._keep_arrived())
        return await kept

    async def _keep_arrived(self) -> None:
        """Writes what arrived meanwhile in one transaction (group commit): under load many
        requests share one thread hop and one commit, each still answered only once kept."""
        loop = asyncio.get_running_loop()
        while self._arrived:
            batch, self._arrived = self._arrived[:_BATCH], self._arrived[_BATCH:]
            events = [event for event, _ in batch]
            try:
                if self._keeper is not None:
                    new = await self._keeper.store_many(events, self.clock.now())
                else:
                    new = await loop.run_in_executor(
                        self._receiving, inbox.store_many, self.sessions, events, self.clock.now()
                    )
            except Exception as error:
                for _, kept in batch:
                    kept.set_exception(error)
                continue
            for (platform, event_id, _), kept in batch:
                kept.set_result((platform, event_id) in new)
                new.discard((platform, event_id))  # a repeat within the batch is not new
            self.wake()

    async def start(self) -> None:
        self._wake = asyncio.Event()
        self._loop_task = asyncio.create_task(self._loop(), name="inbox-worker")

    async def stop(self, grace_seconds: float = 10.0) -> None:
        """Stop claiming; give events being handled ``grace_seconds`` to finish. Events not
        finished stay claimed and are taken again when their lease runs out."""
        if self._loop_task is not None:
            self._loop_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop_task
        if self._running:
            await asyncio.wait(self._running, timeout=grace_seconds)
        self._receiving.shutdown(wait=False)
        if self._keeper is not None:
            await self._keeper.close()

    async def _loop(self) -> None:
        assert self._wake is not None
        while True:
            claimed = 0
            # Only a worker that is behind asks whether a burst is on.
            burst = await self._in_burst() if self._behind or self._burst else False
            free = (1 if burst else self.concurrency) - len(self._running)
            if free > 0:
                try:
                    claimed = await self._claim(free)
                except Exception:
                    log.exception("could not claim inbox events")
                self._behind = claimed == free
            if burst:
                await asyncio.sleep(self.burst_pace)
                continue
            if claimed == free and free > 0:
                continue  # there may be more waiting
            self._wake.clear()
            # asyncio.timeout, not wait_for: wait_for can swallow the cancellation that
            # stop() sends when the wake-up comes at the same moment, and stop() then waits
            # for this loop forever.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.poll_seconds):
                    await self._wake.wait()

    async def _in_burst(self) -> bool:
        """Whether events arrive faster than ``burst_rate`` a second; counted in the
        database (every process keeps events there) at most every ``_BURST_CHECK`` seconds."""
        if self.burst_rate is None:
            return False
        checked = time.monotonic()
        if checked - self._burst_counted < _BURST_CHECK:
            return self._burst
        self._burst_counted = checked
        since = self.clock.now() - timedelta(seconds=1)
        try:
            arrived = await asyncio.to_thread(
                inbox.arrived_since, self.sessions, since, self.burst_rate
            )
        except Exception:
            log.exception("could not count arriving inbox events")
            return self._burst
        burst = arrived >= self.burst_rate
        if burst != self._burst:
            if burst:
                log.info("events arrive faster than %d/s; handling holds back", self.burst_rate)
            else:
                log.info("the burst of events is over; handling at full speed")
        self._burst = burst
        return burst

    async def _claim(self, limit: int) -> int:
        now = self.clock.now()
        items = await asyncio.to_thread(
            inbox.claim, self.sessions, self.worker_id, limit, now, self.lease
        )
        for item in items:
            task = asyncio.create_task(self._handle(item))
            self._running.add(task)
            task.add_done_callback(self._done)
        return len(items)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._running.discard(task)
        if self._wake is not None:
            self._wake.set()  # a slot is free

    async def _handle(self, item: InboxItem) -> None:
        dispatcher = self.dispatchers.get(item.platform)
        if dispatcher is None:
            log.error("no handler for %s events; %s left for another process", *_ids(item))
            return  # its lease runs out and a process that has one takes it
        chat = _chat_of(dispatcher, item)
        lock = self._chats.setdefault(chat, asyncio.Lock())
        self._users[chat] = self._users.get(chat, 0) + 1
        try:
            async with lock:
                # Never past half the lease: by then another process may take the event.
                budget = self.lease.total_seconds() / 2
                await asyncio.wait_for(dispatcher.handle(item.payload), budget)
        except Exception:
            await self._failed(item)
        else:
            await asyncio.to_thread(inbox.finish, self.sessions, item, self.clock.now())
        finally:
            self._users[chat] -= 1
            if not self._users[chat]:
                del self._users[chat], self._chats[chat]

    async def _failed(self, item: InboxItem) -> None:
        now = self.clock.now()
        if item.attempts >= self.max_attempts:
            log.exception("%s event %s failed %d times; given up", *_ids(item), item.attempts)
            await asyncio.to_thread(inbox.finish, self.sessions, item, now, "failed")
            return
        wait = self.backoff * 2 ** (item.attempts - 1)
        log.exception(
            "%s event %s failed (attempt %d); retried in %s", *_ids(item), item.attempts, wait
        )
        await asyncio.to_thread(inbox.release, self.sessions, item, now, wait)


def _ids(item: InboxItem) -> tuple[str, str]:
    return item.platform, item.event_id


def _chat_of(dispatcher: Dispatcher, item: InboxItem) -> str:
    try:
        return f"{item.platform}:{dispatcher.chat(item.payload)}"
    except Exception:
        return f"{item.platform}:?"
