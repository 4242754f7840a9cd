"""Delivery: claims due nudges from the outbox and sends them through their platforms.

Every process delivers; no two take the same row (the outbox's claims are leases). A process
sends up to ``in_flight`` nudges side by side (4), each started at its turn under the pacing,
and marks each row sent the moment its own send returns. A process killed while sending leaves
its claimed rows under the lease (5 minutes); then any process claims them again. Only the
messages in flight at the kill, at most ``in_flight``, can be sent twice. A process told to
stop lets its sends end and gives the rows it has not started back at once.

A nudge is built like any other reply (:func:`bot.nudges.nudge_reply`) and sent with the
platform's own :meth:`engine.platform.Sender.send`, its one retry policy included. Sends are
paced per channel (:mod:`engine.pacing`); a wait longer than ``max_pause`` leaves the row for a
later run instead of holding up the job. When the platform still refuses:

- :class:`~engine.platform.UnreachableError` (the bot was removed from the channel, the
  workspace uninstalled the app): the row is given up;
- :class:`~engine.platform.RetryLaterError` (a 429): the row is released until the
  ``retry_after`` the platform named, and the channel is held as long;
- anything else: the row is retried with doubling back-off (1 minute up to 6 hours).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import socket
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.map import ModelMap
from bot.nudges import nudge_reply
from bot.ports import Clock
from engine import log_context, metrics
from engine.pacing import PLATFORM_LIMITS, Limit, Pacer, Scope, Send
from engine.platform import RetryLaterError, Sender, Target, UnreachableError, recorded
from engine.ports import Leader, Outbox, OutboxItem

log = logging.getLogger(__name__)

COORDINATOR_NOTE = "coordinator_note"  # the nudge kind that is for the coordinators alone
# The nudge kinds for the coordinators alone: the note on organisations that have not
# answered, and the notice that an unused collaboration will be deleted.
FOR_COORDINATORS = frozenset({COORDINATOR_NOTE, "retention"})


def target_of(item: OutboxItem) -> Target:
    """Where ``item`` goes: its channel; a note to the coordinators is for them alone where
    the platform allows it (their ids are stored with it)."""
    for_them = item.kind in FOR_COORDINATORS
    only_for = item.params.get("coordinators", "").split() if for_them else []
    return Target(item.channel, only_for=tuple(only_for))


@dataclass
class Delivery:
    """Claims due outbox rows and sends them, paced per channel; a failure is retried later."""

    outbox: Outbox
    senders: Mapping[str, Sender]
    clock: Clock
    model: ModelMap
    worker_id: str = field(default_factory=lambda: f"{socket.gethostname()}-{uuid.uuid4().hex}")
    batch: int = 20
    lease: timedelta = timedelta(minutes=5)
    backoff: timedelta = timedelta(minutes=1)
    max_backoff: timedelta = timedelta(hours=6)
    # Wait in place for a channel's turn up to this long; a longer wait postpones the row.
    max_pause: timedelta = timedelta(seconds=2)
    # One run sends for at most this long, shorter than the time between runs.
    max_run: timedelta = timedelta(seconds=25)
    # Sends side by side at most: what a process killed mid-way may send twice. One send
    # takes tens of milliseconds, so 4 keep up with Telegram's 30 a second with room to spare.
    in_flight: int = 4
    limits: Mapping[str, Sequence[Limit]] = field(default_factory=lambda: PLATFORM_LIMITS)
    # With a leader, platforms with a limit over all their channels (Telegram's 30 a second)
    # are sent to only while this process leads; the others by every process, flat out.
    leader: Leader | None = None
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    pacer: Pacer = field(init=False)
    more_waiting: bool = field(init=False, default=False)
    stopping: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        self.pacer = Pacer(self.clock, self.limits)

    def stop(self) -> None:
        """Start no send any more: a run under way lets its sends end, gives the rows it
        claimed and did not start back untried, and returns."""
        self.stopping = True

    async def run(self) -> int:
        """Send what is due, a batch at a time, while batches come full and for at most
        ``max_run``; returns how many were sent.

        Thousands of check-ins due in the same minute thus go out as fast as the platforms'
        limits allow, not a batch per run: halfway through a full batch the next is claimed,
        so that it is in hand when this one is all under way. Up to ``in_flight`` sends run
        side by side, each started when the pacing lets it; a slot frees when its send has
        returned and its row is marked sent or given back. ``more_waiting`` then says whether
        the last batch came full: the next run may start at once.
        """
        began = self.clock.now()
        sending: list[asyncio.Task[int]] = []
        try:
            await self._start_sends(began, sending)
        except Exception:
            # The store failed: what is under way still ends, and is marked, before it raises.
            await asyncio.gather(*sending, return_exceptions=True)
            raise
        self.pacer.forget_past()
        # Every send ends, and is marked, before the first error (a store that stayed away
        # while marking) goes on.
        ended = await asyncio.gather(*sending, return_exceptions=True)
        for outcome in ended:
            if isinstance(outcome, BaseException):
                raise outcome
        return sum(outcome for outcome in ended if isinstance(outcome, int))

    async def _start_sends(self, began: datetime, sending: list[asyncio.Task[int]]) -> None:
        """Claim batches and start their sends, each at its turn, adding them to ``sending``."""
        if self.stopping:
            self.more_waiting = False
            return
        slots = asyncio.Semaphore(self.in_flight)
        claim: asyncio.Task[_Claimed] | None = asyncio.create_task(self._claim())
        try:
            while claim is not None:
                claimed = await claim
                claim = None
                self.more_waiting = len(claimed.items) == self.batch
                go_on = self.more_waiting and self.clock.now() - began < self.max_run
                for number, item in enumerate(claimed.items):
                    may_claim = go_on and claim is None and not self.stopping
                    if may_claim and number >= len(claimed.items) // 2:
                        claim = asyncio.create_task(self._claim())
                    await slots.acquire()
                    turn = None if self.stopping else await self._await_turn(item, claimed.at)
                    if self.stopping:  # before its turn, or while it waited for it
                        slots.release()
                        # A turn too far off gave its row back already.
                        held = claimed.items[number + 1 if turn is False else number :]
                        ahead, claim = claim, None
                        await self._give_back(held, ahead)
                        return
                    if not turn:
                        slots.release()
                        continue
                    pacing = self.pacer.record(item.channel)
                    task = asyncio.create_task(self._send(item, pacing))
                    task.add_done_callback(functools.partial(self._ended, slots, pacing))
                    sending.append(task)
                    await asyncio.sleep(0)  # the send starts now, at its turn
        finally:
            if claim is not None:  # claimed ahead when the store failed: its rows wait out
                with contextlib.suppress(Exception):  # their lease
                    await claim

    async def _give_back(
        self, items: Sequence[OutboxItem], ahead: asyncio.Task[_Claimed] | None
    ) -> None:
        """Rows claimed and not started (``items``, then the batch ``ahead`` once claimed),
        back to the outbox untried: claimable at once by the next process. Raises what the
        store raises; a claim ahead that failed leaves its rows, if any, to their lease."""
        self.more_waiting = False
        await self._postpone(items)
        if ahead is not None:
            try:
                claimed = await ahead
            except Exception:
                log.warning("a claim made ahead failed while stopping", exc_info=True)
                return
            await self._postpone(claimed.items)

    async def _postpone(self, items: Sequence[OutboxItem]) -> None:
        now = self.clock.now()
        for item in items:
            await asyncio.to_thread(self.outbox.postpone, item.id, now, worker_id=self.worker_id)

    def _ended(self, slots: asyncio.Semaphore, pacing: Send, _: asyncio.Task[int]) -> None:
        """A send's slot is free; a send cancelled before it began leaves the pacing too."""
        slots.release()
        self.pacer.answered(pacing)

    async def _claim(self) -> _Claimed:
        """The next batch of due rows this process may send."""
        claimed_at = self.clock.now()
        platforms = await self._platforms()
        items = await asyncio.to_thread(
            self.outbox.claim, self.worker_id, self.batch, claimed_at, self.lease, platforms
        )
        return _Claimed(claimed_at, items)

    async def _await_turn(self, item: OutboxItem, claimed_at: datetime) -> bool:
        """Wait until ``item``'s channel may hear it; ``False`` (the row given back until its
        turn) when that is longer than ``max_pause`` in all or too late in the claim's lease.

        A row whose claim is older than half the lease when its turn comes is given back
        unsent: another worker may take it once the lease ends, and two must not send it.
        """
        paused = timedelta(0)
        while True:
            wait, known = self.pacer.delay(item.channel)
            now = self.clock.now()
            if paused + wait > self.max_pause or now + wait - claimed_at > self.lease / 2:
                await asyncio.to_thread(
                    self.outbox.postpone, item.id, now + wait, worker_id=self.worker_id
                )
                return False
            if wait <= timedelta(0):
                return True
            await self.sleep(wait.total_seconds())
            if known or self.stopping:  # stopping: the caller gives the row back
                return True
            paused += wait  # a send it waits on was not answered yet: ask again

    async def _platforms(self) -> frozenset[str]:
        """The platforms to claim rows of now: only what this process can send (another one
        may have the platform it lacks), and those with a limit over the whole platform only
        while it leads: two processes pacing themselves alike would together go past it."""
        platforms = frozenset(self.senders)
        wide = platforms & _platform_wide(self.limits)
        if self.leader is None or not wide or await asyncio.to_thread(self.leader.held):
            return platforms
        return platforms - wide

    async def _send(self, item: OutboxItem, pacing: Send) -> int:
        sender = self.senders[item.channel.platform]  # claimed for this process's platforms
        log_context.about(platform=item.channel.platform, collaboration_id=item.collaboration_id)
        try:
            await self._post(sender, item, pacing)
        except Exception as error:
            await self._failed(item, error)
            return 0
        # Sent: a store that fails for a moment is asked again in place, or the row would be
        # claimed, and sent, again once its lease ran out.
        await recorded(self.outbox.mark_sent, item.id, self.clock.now())
        metrics.nudge_done(item.channel.platform, "sent")
        return 1

    async def _post(self, sender: Sender, item: OutboxItem, pacing: Send) -> None:
        try:
            await sender.send(target_of(item), [nudge_reply(item.kind, item.params, self.model)])
        finally:
            self.pacer.answered(pacing)  # refused, failed or cancelled: it has left

    async def _failed(self, item: OutboxItem, error: Exception) -> None:
        now = self.clock.now()
        if isinstance(error, UnreachableError):
            log.warning("nudge %s cannot reach its channel (%s); given up", item.id, error)
            await asyncio.to_thread(self.outbox.give_up, item.id, now, worker_id=self.worker_id)
            metrics.nudge_done(item.channel.platform, "undeliverable")
            return
        if isinstance(error, RetryLaterError):
            log.warning("nudge %s: the platform asks to wait %.0f s", item.id, error.retry_after)
            wait = timedelta(seconds=error.retry_after)
            self.pacer.hold(item.channel, now + wait)
        else:
            attempt = item.attempts
            log.error("sending nudge %s failed (attempt %d)", item.id, attempt, exc_info=error)
            wait = min(self.backoff * 2 ** (attempt - 1), self.max_backoff)
        await asyncio.to_thread(self.outbox.release, item.id, now, wait, worker_id=self.worker_id)
        metrics.nudge_done(item.channel.platform, "retry")


@dataclass(frozen=True)
class _Claimed:
    """A batch of rows claimed at ``at``."""

    at: datetime
    items: list[OutboxItem]


def _platform_wide(limits: Mapping[str, Sequence[Limit]]) -> frozenset[str]:
    """The platforms with a limit counted over all their channels."""
    return frozenset(
        name for name, kept in limits.items() if any(k.scope is Scope.PLATFORM for k in kept)
    )
