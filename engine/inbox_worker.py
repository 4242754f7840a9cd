"""The inbox worker: handles kept platform events after the platform got its acknowledgement.

A platform's routes only verify, :meth:`InboxWorker.keep` and acknowledge; this worker, an
asyncio task in each process that handles events, claims kept events from the inbox
(:class:`engine.ports.Inbox`) and hands each to the handler registered for its platform (a
:class:`engine.platform.Platform` is one). Events of one chat are handled one after the other,
in the order received; different chats run side by side, at most ``concurrency`` at a time.
A claim takes as many events as there are free places, and in the same transaction finishes
those handled since the last one; with events in hand, a worker claims again only once half its
places are free, so a busy one spends one transaction on many events. An
event handled and not yet finished when its process dies is taken again once its lease runs
out, and the core, which recorded it with its changes, only sends its kept replies again.
The core does its database work in worker threads, so the event loop stays free to
acknowledge new requests while others are handled.

A handler that raises gets its event back with a growing back-off, up to ``max_attempts`` (the
last time it is handed over it says so, ``final``: the person is told only then); a
:class:`engine.platform.RetryLaterError` (the platform asked us to wait) gets it back after the
wait the platform named instead. A process that dies mid-way leaves its claims to run out
(``lease``) and be taken again.

Acknowledging comes first. A platform that waits too long for its acknowledgement sends the
event again (Slack after 3 seconds), which only adds to the load. So while events arrive faster
than a worker handles them (``burst_rate`` a second, counted over all processes), each worker
takes one event at a time, one every ``burst_pace`` seconds, and leaves the CPU (and the
database) to the acknowledging side; what is kept meanwhile waits in the inbox and is handled
at full speed once the burst is over.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import socket
import time
import uuid
from datetime import datetime, timedelta
from typing import Protocol

from bot.ports import Clock
from engine import log_context, metrics
from engine.clock import SystemClock
from engine.platform import RetryLaterError
from engine.ports import Inbox, InboxItem, KeptEvent

log = logging.getLogger(__name__)

_BATCH = 100  # events kept in one go at most
# Events a second, over all processes, above which handling holds back. Workers run only on
# CPU time nothing else wants, so below it they handle events as they come, at full speed (a few
# hundred a second on two cores); above it, far past what they handle, the acknowledging side
# needs every core and what arrives waits in the inbox.
BURST_RATE = 1000
BURST_PACE = 0.25  # seconds between events a worker takes during a burst
_BURST_CHECK = 0.25  # seconds a count of arrivals is trusted


class Handles(Protocol):
    """How one platform's kept events are handled (a :class:`engine.platform.Platform` is one)."""

    @property
    def name(self) -> str:
        """The platform whose events these are."""
        ...

    def chat_of(self, event: KeptEvent) -> str:
        """The conversation ``event`` belongs to: events of one chat are handled in order."""
        ...

    async def handle(self, event: KeptEvent) -> None:
        """Handle ``event`` to the end; raise to have it tried again."""
        ...


class InboxWorker:
    """Keeps arriving events in the inbox, and claims and handles kept ones."""

    def __init__(
        self,
        inbox: Inbox,
        *,
        clock: Clock | None = None,
        concurrency: int = 16,
        lease: timedelta = timedelta(minutes=2),
        poll_seconds: float = 1.0,
        max_attempts: int = 6,
        backoff: timedelta = timedelta(seconds=5),
        burst_rate: int | None = BURST_RATE,
        burst_pace: float = BURST_PACE,
    ) -> None:
        self.inbox = inbox
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
        self.handlers: dict[str, Handles] = {}
        self._running: set[asyncio.Task[None]] = set()
        # Handled and not yet finished in the inbox: finished with the next claim.
        self._handled: list[InboxItem] = []
        self._chats: dict[str, asyncio.Lock] = {}  # one per chat with events in hand
        self._users: dict[str, int] = {}
        self._wake: asyncio.Event | None = None
        self._loop_task: asyncio.Task[None] | None = None
        self._listening: asyncio.Task[None] | None = None
        self._arrived: list[tuple[KeptEvent, asyncio.Future[bool]]] = []
        self._keeping: asyncio.Task[None] | None = None

    def register(self, handler: Handles) -> None:
        """Handle the events of ``handler.name`` with ``handler``."""
        self.handlers[handler.name] = handler

    def wake(self) -> None:
        """Look for work now rather than at the next poll (call from the event loop)."""
        if self._wake is not None:
            self._wake.set()

    async def keep(self, event: KeptEvent) -> bool:
        """Keep an event for handling and wake the worker; ``False``: it was kept before.

        Events arriving meanwhile are kept together (:meth:`Inbox.keep`), each answered only
        once kept. The inbox keeps them off the event loop's default threads: acknowledging
        must not queue behind handling, which keeps those busy with the core's database work.
        """
        kept: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._arrived.append((event, kept))
        if self._keeping is None or self._keeping.done():
            self._keeping = asyncio.create_task(self._keep_arrived())
        return await kept

    async def _keep_arrived(self) -> None:
        """Keeps what arrived meanwhile in one go (group commit): under load many requests
        share one write and one commit."""
        while self._arrived:
            batch, self._arrived = self._arrived[:_BATCH], self._arrived[_BATCH:]
            try:
                new = await self.inbox.keep([event for event, _ in batch], self.clock.now())
            except Exception as error:
                for _, kept in batch:
                    if not kept.done():  # its caller may have been cancelled meanwhile
                        kept.set_exception(error)
                continue
            for event, kept in batch:
                key = (event.platform, event.event_id)
                metrics.event_received(event.platform, new=key in new)
                if not kept.done():
                    kept.set_result(key in new)
                new.discard(key)  # a repeat within the batch is not new
            self.wake()

    async def start(self) -> None:
        self._wake = asyncio.Event()
        self._loop_task = asyncio.create_task(self._loop(), name="inbox-worker")
        # Woken when any process keeps an event, where the inbox can tell; else it polls.
        self._listening = asyncio.create_task(self.inbox.arrivals(self.wake), name="arrivals")

    async def stop(self, grace_seconds: float = 10.0) -> None:
        """Stop claiming; give events being handled ``grace_seconds`` to finish, then let go
        of what the inbox holds open for keeping (:meth:`Inbox.close`). Events not finished
        stay claimed and are taken again when their lease runs out."""
        for task in (self._loop_task, self._listening):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        if self._running:
            await asyncio.wait(self._running, timeout=grace_seconds)
        if self._handled:
            try:
                await self._claim(0)  # finishes what was handled, takes nothing
            except Exception:
                # Taken again once their leases run out; the core knows them as handled.
                log.exception("could not finish %d handled inbox events", len(self._handled))
        if self._keeping is not None:  # what arrived last is kept before the inbox lets go
            await asyncio.wait([self._keeping], timeout=grace_seconds)
        await self.inbox.close()

    async def _loop(self) -> None:
        assert self._wake is not None
        while True:
            claimed = 0
            # Only a worker that is behind asks whether a burst is on.
            burst = await self._in_burst() if self._behind or self._burst else False
            places = 1 if burst else self.concurrency
            free = max(places - len(self._running), 0)
            # With events in hand, the next claim waits until half the places are free, and the
            # handled ones wait to be finished until as many are done: a busy worker takes and
            # finishes events by the batch, not a transaction each.
            if self._running and free * 2 < places:
                free = 0
            if free > 0 or len(self._handled) * 2 >= places:
                try:
                    claimed = await self._claim(free)
                except Exception:
                    log.exception("could not claim inbox events")
                if free > 0:
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
        """Whether events arrive faster than ``burst_rate`` a second; counted in the inbox
        (every process keeps events there) at most every ``_BURST_CHECK`` seconds."""
        if self.burst_rate is None:
            return False
        checked = time.monotonic()
        if checked - self._burst_counted < _BURST_CHECK:
            return self._burst
        self._burst_counted = checked
        since = self.clock.now() - timedelta(seconds=1)
        try:
            arrived = await asyncio.to_thread(self.inbox.arrived_since, since, self.burst_rate)
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
        """Finish what was handled since the last claim and take up to ``limit`` events, in
        one transaction; what could not be finished is finished with the next claim."""
        now = self.clock.now()
        handled, self._handled = self._handled, []
        try:
            items = await asyncio.to_thread(
                self.inbox.claim, self.worker_id, limit, now, self.lease, handled=handled
            )
        except BaseException:
            self._handled[:0] = handled
            raise
        for item in items:
            task = asyncio.create_task(self._handle(item, now))
            self._running.add(task)
            task.add_done_callback(self._done)
        return len(items)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._running.discard(task)
        if self._wake is not None:
            self._wake.set()  # a slot is free

    async def _handle(self, item: InboxItem, claimed_at: datetime) -> None:
        log_context.about(platform=item.platform, event_id=item.event_id)  # this task's logs
        handler = self.handlers.get(item.platform)
        if handler is None:
            log.error("no handler for %s events; %s left for another process", *_ids(item))
            return  # its lease runs out and a process that has one takes it
        chat = _chat_of(handler, item)
        lock = self._chats.setdefault(chat, asyncio.Lock())
        self._users[chat] = self._users.get(chat, 0) + 1
        try:
            async with lock:
                # Never past half the lease from the claim (the wait for the chat's earlier
                # events included): by then another process may take the event.
                budget = self.lease / 2 - (self.clock.now() - claimed_at)
                if budget <= timedelta(0):
                    raise TimeoutError("waited for the chat's earlier events past half the lease")
                final = dataclasses.replace(item, final=item.attempts >= self.max_attempts)
                await asyncio.wait_for(handler.handle(final), budget.total_seconds())
        except Exception as error:
            await self._failed(item, error)
        else:
            self._handled.append(item)  # finished with the next claim, woken by _done
            handled_in = _seconds(item.received_at, self.clock.now())
            metrics.event_done(item.platform, "handled", handled_in)
        finally:
            self._users[chat] -= 1
            if not self._users[chat]:
                del self._users[chat], self._chats[chat]

    async def _failed(self, item: InboxItem, error: Exception) -> None:
        """Give the event back to be tried again later, or up after ``max_attempts``: every
        failure counts, a platform's request to wait as well, so no event is tried forever."""
        now = self.clock.now()
        if item.attempts >= self.max_attempts:
            log.error(
                "%s event %s failed %d times; given up", *_ids(item), item.attempts, exc_info=error
            )
            await asyncio.to_thread(
                self.inbox.finish, item, now, "failed", worker_id=self.worker_id
            )
            metrics.event_done(item.platform, "failed")
            return
        if isinstance(error, RetryLaterError):
            wait = timedelta(seconds=error.retry_after)
            log.warning("%s event %s: the platform asks to wait %s", *_ids(item), wait)
        else:
            wait = self.backoff * 2 ** (item.attempts - 1)
            log.error(
                "%s event %s failed (attempt %d); retried in %s",
                *_ids(item),
                item.attempts,
                wait,
                exc_info=error,
            )
        await asyncio.to_thread(self.inbox.release, item, now, wait, worker_id=self.worker_id)
        metrics.event_done(item.platform, "retry")


def _seconds(since: datetime | None, until: datetime) -> float | None:
    return (until - since).total_seconds() if since is not None else None


def _ids(item: InboxItem) -> tuple[str, str]:
    return item.platform, item.event_id


def _chat_of(handler: Handles, item: InboxItem) -> str:
    try:
        return f"{item.platform}:{handler.chat_of(item)}"
    except Exception:
        return f"{item.platform}:?"
