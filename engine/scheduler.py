"""The scheduler: the engine's jobs on the process's event loop.

Every minute the nudge clock enqueues what fell due (:mod:`engine.nudge_clock`, the leader
only); every 30 seconds delivery sends what is due (:mod:`engine.delivery`, every process,
run after run while a fan-out lasts); daily pruning removes what is no longer needed
(:mod:`engine.pruning`), and retention announces and then deletes collaborations unused for
long (:mod:`engine.retention`, the leader only).

The scheduler only ticks (APScheduler 3's ``AsyncIOScheduler``, in-memory job store, nothing
pickled). Delivery is a coroutine and runs on the loop, sending through the platforms' async
senders; the clock and pruning do blocking database work in the loop's default thread pool,
so the loop stays free. Stopping waits for the jobs that run, then gives up the lead. The
intervals and limits are the fields of :class:`Timing`; :func:`start_scheduler` takes one.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.schedulers.base import STATE_RUNNING
from apscheduler.triggers.interval import IntervalTrigger

from bot.calendar import WorkingCalendar
from bot.map import ModelMap
from bot.ports import Clock
from engine import metrics
from engine.clock import SystemClock
from engine.delivery import Delivery
from engine.nudge_clock import NudgeClock
from engine.platform import Sender
from engine.ports import ButtonStore, Collaborations, Dormancy, Inbox, Leader, Outbox
from engine.pruning import Pruning
from engine.retention import GRACE, KEEP_IDLE, Retention


@dataclass(frozen=True)
class Timing:
    """How often the jobs run and how long things are kept; the defaults suit production."""

    tick_every: timedelta = timedelta(minutes=1)
    deliver_every: timedelta = timedelta(seconds=30)
    prune_every: timedelta = timedelta(days=1)
    max_lateness: timedelta = timedelta(hours=2)
    catch_up: timedelta = timedelta(days=7)
    lease: timedelta = timedelta(minutes=5)
    keep_sent: timedelta = timedelta(days=30)
    keep_events: timedelta = timedelta(days=7)
    # Retention: a collaboration unused this long is announced, and deleted this much later.
    keep_idle: timedelta = KEEP_IDLE
    retention_grace: timedelta = GRACE

    @property
    def keep_buttons(self) -> timedelta:
        """A button token no message carried for this long is pruned: as long as a
        collaboration nobody uses is kept."""
        return self.keep_idle + self.retention_grace

    def __post_init__(self) -> None:
        if self.keep_sent <= self.catch_up:
            # A pruned row's nudge would be found again by the catch-up and sent twice.
            raise ValueError("keep_sent must be longer than catch_up")


@dataclass(frozen=True)
class Stores:
    """What the jobs keep their state in."""

    outbox: Outbox
    inbox: Inbox
    leader: Leader
    collaborations: Collaborations
    dormancy: Dormancy
    buttons: ButtonStore


JOB_THREADS = 2  # the clock's tick, pruning and retention may run at the same time


class EngineScheduler(AsyncIOScheduler):  # type: ignore[misc]
    """An ``AsyncIOScheduler`` running the clock, delivery and pruning, as coroutines on the
    loop (blocking work in threads), so that :meth:`stop` can wait for them."""

    def __init__(
        self,
        leader: Leader,
        nudges: NudgeClock,
        delivery: Delivery,
        pruning: Pruning,
        retention: Retention,
    ) -> None:
        super().__init__(timezone=UTC)  # in-memory job store: nothing to share or pickle
        self.leader, self.nudges, self.delivery, self.pruning = leader, nudges, delivery, pruning
        self.retention = retention
        self._running: set[asyncio.Task[Any]] = set()
        # The jobs' blocking work has threads of its own: a long tick never holds one that
        # handling messages waits for (a worker process keeps few, runtime.worker).
        self._threads = ThreadPoolExecutor(JOB_THREADS, thread_name_prefix="clock")

    def add_jobs(self, timing: Timing) -> None:
        first = datetime.now(UTC)
        options = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
        jobs: list[tuple[str, Callable[[], Awaitable[Any]], timedelta]] = [
            ("enqueue", self._in_thread(self.nudges.tick), timing.tick_every),
            ("deliver", self._deliver, timing.deliver_every),
            ("prune", self._in_thread(self.pruning.run), timing.prune_every),
            ("retention", self._in_thread(self.retention.run), timing.prune_every),
        ]
        for job_id, job, every in jobs:
            trigger = IntervalTrigger(seconds=every.total_seconds())
            scheduler_job = self._tracked(job)
            self.add_job(scheduler_job, trigger, id=job_id, next_run_time=first, **options)

    async def _deliver(self) -> int:
        """Delivery's runs, back to back while rows are waiting (a fan-out), so that no pause
        opens between one run and the next; none after :meth:`stop` began."""
        sent = await self.delivery.run()
        while self.delivery.more_waiting and self.state == STATE_RUNNING:
            sent += await self.delivery.run()
        return sent

    async def stop(self, grace_seconds: float = 10.0) -> None:
        """Start no more jobs or sends. Give the running jobs ``grace_seconds`` to end: a
        delivery under way lets its sends end and gives back the rows it has not started (one
        cut off mid-send would leave its claimed rows to wait out their lease). Then stop and
        give up the lead, so that another process leads at once."""
        self.pause()
        self.delivery.stop()  # a run under way ends with the sends it started
        if self._running:
            await asyncio.wait(self._running, timeout=grace_seconds)
        super().shutdown(wait=False)
        self._threads.shutdown(wait=False)
        await asyncio.to_thread(self.leader.release)
        metrics.leading(False)

    def _tracked(self, job: Callable[[], Awaitable[Any]]) -> Callable[[], Awaitable[Any]]:
        async def run() -> Any:
            task = asyncio.current_task()
            assert task is not None  # APScheduler runs a coroutine job as a task of its own
            self._running.add(task)
            try:
                return await job()
            finally:
                self._running.discard(task)

        return run

    def _in_thread(self, work: Callable[[], Any]) -> Callable[[], Awaitable[Any]]:
        """``work`` blocks on the database: off the loop, on the jobs' own threads (with the
        job's context, as ``asyncio.to_thread`` would)."""

        async def run() -> Any:
            in_context = functools.partial(contextvars.copy_context().run, work)
            return await asyncio.get_running_loop().run_in_executor(self._threads, in_context)

        return run


def start_scheduler(
    stores: Stores,
    senders: Mapping[str, Sender],
    model: ModelMap,
    calendar: WorkingCalendar,
    *,
    clock: Clock | None = None,
    paused: bool = False,
    timing: Timing | None = None,
) -> EngineScheduler:
    """Start the jobs on the running event loop: enqueue (leader only), deliver through
    ``senders`` (by platform name), prune. Nudges follow the core's ``model`` and ``calendar``,
    as its replies do. ``await scheduler.stop()`` on exit; it also gives up the lead."""
    clock = clock or SystemClock()
    timing = timing or Timing()
    nudges = NudgeClock(
        stores.collaborations,
        stores.leader,
        calendar,
        clock,
        model,
        max_lateness=timing.max_lateness,
        catch_up=timing.catch_up,
    )
    delivery = Delivery(
        stores.outbox, senders, clock, model, lease=timing.lease, leader=stores.leader
    )
    pruning = Pruning(
        stores.outbox,
        stores.inbox,
        stores.buttons,
        clock,
        keep_sent=timing.keep_sent,
        keep_events=timing.keep_events,
        keep_buttons=timing.keep_buttons,
    )
    retention = Retention(
        stores.dormancy, stores.leader, clock, timing.keep_idle, timing.retention_grace
    )
    scheduler = EngineScheduler(stores.leader, nudges, delivery, pruning, retention)
    scheduler.add_jobs(timing)
    scheduler.start(paused=paused)
    return scheduler
