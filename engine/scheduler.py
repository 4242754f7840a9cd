"""The scheduler: the engine's jobs on the process's event loop.

Every minute the nudge clock enqueues what fell due (:mod:`engine.nudge_clock`, the leader
only); every 30 seconds delivery sends what is due (:mod:`engine.delivery`, every process);
daily pruning removes what is no longer needed (:mod:`engine.pruning`).

The scheduler only ticks (APScheduler 3's ``AsyncIOScheduler``, in-memory job store, nothing
pickled). Delivery is a coroutine and runs on the loop, sending through the platforms' async
senders; the clock and pruning do blocking database work and run in the loop's default
thread pool, so the loop stays free. The intervals and limits are the fields of
:class:`Timing`; :func:`start_scheduler` takes one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.events import EVENT_SCHEDULER_SHUTDOWN
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.calendar import WorkingCalendar
from bot.map import ModelMap
from bot.ports import Clock
from engine.clock import SystemClock
from engine.delivery import Delivery
from engine.nudge_clock import NudgeClock
from engine.platform import Sender
from engine.ports import Collaborations, Inbox, Leader, Outbox
from engine.pruning import Pruning


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


class EngineScheduler(AsyncIOScheduler):  # type: ignore[misc]
    """An ``AsyncIOScheduler`` whose ``shutdown()`` also lets another process lead."""

    def __init__(self, leader: Leader, **options: Any) -> None:
        super().__init__(**options)
        self.leader = leader
        # Again once the scheduler has stopped on the loop: a tick that was still running
        # may have taken the lead meanwhile.
        self.add_listener(lambda _: leader.release(), EVENT_SCHEDULER_SHUTDOWN)

    def shutdown(self, wait: bool = True) -> None:
        """Stop the jobs (on the loop, soon after) and give up the lead at once, so that
        another process leads even if this loop ends before the jobs have stopped."""
        super().shutdown(wait)
        self.leader.release()


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
    as its replies do. Call ``shutdown()`` on exit; it also gives up the lead."""
    clock = clock or SystemClock()
    timing = timing or Timing()
    nudges = NudgeClock(
        stores.outbox,
        stores.collaborations,
        stores.leader,
        calendar,
        clock,
        model,
        max_lateness=timing.max_lateness,
        catch_up=timing.catch_up,
    )
    delivery = Delivery(stores.outbox, senders, clock, model, lease=timing.lease)
    pruning = Pruning(stores.outbox, stores.inbox, clock, timing.keep_sent, timing.keep_events)
    scheduler = EngineScheduler(stores.leader, timezone=UTC)
    first = datetime.now(UTC)
    options = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
    jobs = [
        ("enqueue", nudges.tick, timing.tick_every),  # blocking: in the loop's thread pool
        ("deliver", delivery.run, timing.deliver_every),  # a coroutine: on the loop
        ("prune", pruning.run, timing.prune_every),  # blocking: in the loop's thread pool
    ]
    for job_id, job, every in jobs:
        trigger = IntervalTrigger(seconds=every.total_seconds())
        scheduler.add_job(job, trigger, id=job_id, next_run_time=first, **options)
    scheduler.start(paused=paused)
    return scheduler
