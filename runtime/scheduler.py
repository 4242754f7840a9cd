"""The clock: every minute it asks the core which nudges are due and puts them in the outbox;
a delivery job claims outbox rows and hands them to a sender; a daily job prunes.

The scheduler only ticks (in-memory job store, nothing pickled): *what* is due is decided by
:func:`bot.schedule.due_nudges`, *that* it is written once by the outbox's unique key. The
guarantees, with several processes on one PostgreSQL:

- Only the holder of the leader lock (:mod:`runtime.leader`) enqueues; every process delivers,
  and no two take the same row (``SKIP LOCKED``). On SQLite there is one process.
- After downtime the first tick looks back ``catch_up`` (7 days): nudges that fell due meanwhile
  and are not in the outbox yet are sent once; those more than ``max_lateness`` (2 hours) late
  are folded into one per collaboration and kind (:func:`bot.schedule.collapse_late`).
- A process killed while sending leaves its claimed rows under a lease (5 minutes); then any
  process claims them again. Only a message in flight at the kill can be sent twice.
- Sends are paced per channel (:mod:`runtime.pacing`); a wait longer than ``max_pause`` leaves
  the row for a later run instead of blocking the job. A sender's error with a ``retry_after``
  (seconds; a 429) releases the row until then and holds the channel; an error that says the
  channel cannot be reached (``undeliverable``: the bot was removed, the workspace uninstalled
  the app) gives the row up; any other error retries with doubling back-off (1 minute up to 6
  hours).
- Daily, rows sent more than ``keep_sent`` (30 days) ago and inbound event claims older than
  ``keep_events`` (7 days) are removed.

The intervals and limits are the fields of :class:`Timing`; ``start_scheduler`` takes one.
"""

from __future__ import annotations

import dataclasses
import logging
import socket
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from apscheduler.events import EVENT_SCHEDULER_SHUTDOWN
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from bot.calendar import WorkingCalendar
from bot.map import ModelMap
from bot.ports import Clock
from bot.schedule import Nudge, NudgeKind, collapse_late, due_nudges
from bot.service import Samverkansbot
from bot.texts import text
from runtime.clock import SystemClock
from runtime.leader import LeaderLock
from runtime.pacing import PLATFORM_LIMITS, Limit, Pacer
from storage import inbox
from storage.dedup import prune_events
from storage.outbox import (
    OutboxItem,
    claim,
    enqueue,
    give_up,
    mark_sent,
    postpone,
    prune_sent,
    recorded_keys,
    release,
)
from storage.repository import load_all

log = logging.getLogger(__name__)

# Delivers one nudge's text to its channel; raises to have it retried later. An exception with
# a ``retry_after`` attribute (seconds) says when the platform will take it; one whose
# ``undeliverable`` attribute is true says it never will.
Sender = Callable[[OutboxItem, str], None]


class Scheduled(Protocol):
    """What the scheduler needs of the assembled app: the database and the core's model and
    calendar, so that nudges follow the same rules as the bot's own replies."""

    sessions: sessionmaker[Session]
    bot: Samverkansbot


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


def console_sender(item: OutboxItem, message: str) -> None:
    """A sender for the terminal: prints the nudge with its channel."""
    print(f"[{item.channel.key}] {message}")


def render(item: OutboxItem, model: ModelMap) -> str:
    """The nudge's text in the collaboration's language (stored with the row), with the
    model's questions it asks, each under the id to answer it with. A round's nudges (to an
    organisation that has not answered, to the coordinators) are worded by the round's kind."""
    params = dict(item.params)
    language = params.pop("language", "sv")
    questions = params.pop("questions", "").split()
    round_kind = params.pop("round", None)
    key = f"nudge_{item.kind}_{round_kind}" if round_kind else f"nudge_{item.kind}"
    body = text(key, language, **params)
    missed = params.get("missed")
    if missed:
        body = f"{body} ({text('nudge_missed', language, count=missed)})"
    lines = [body]
    for question_id in questions:
        place = model.question(question_id)
        if place is not None:
            lines.append(f"– {place.question.text.get('en' if language == 'en' else 'sv')}")
    if len(lines) > 1:
        lines.append(text("nudge_answer_hint", language, example=questions[0]))
    return "\n".join(lines)


@dataclass
class NudgeClock:
    """Enqueues the nudges that fell due since its last tick, while it leads."""

    sessions: sessionmaker[Session]
    calendar: WorkingCalendar
    clock: Clock
    model: ModelMap
    max_lateness: timedelta = timedelta(hours=2)
    # On the first tick (and after a restart) look back this far; the outbox drops repeats.
    catch_up: timedelta = timedelta(days=7)
    # None: always lead (SQLite, one process).
    leader: LeaderLock | None = None
    last_tick: datetime | None = None

    def tick(self) -> int:
        """Enqueue what is due in ``(last tick, now]``; returns how many rows were new.

        Returns 0 without looking while another process leads. Nudges already handled are
        left out before late ones are folded, so a summary counts only what was missed and a
        process that looks back again does not summarise the same nudges twice.
        """
        if self.leader is not None and not self.leader.held():
            return 0
        now = self.clock.now()
        since = self.last_tick or now - self.catch_up
        handled = _Handled(recorded_keys(self.sessions, since))
        items = []
        for collaboration in load_all(self.sessions):
            due = due_nudges(collaboration, now, self.calendar, since, self.model)
            new = [nudge for nudge in due if not handled(nudge)]
            for nudge in collapse_late(new, now, self.max_lateness):
                params = {**nudge.params, "language": collaboration.language}
                items.append((collaboration.channel, dataclasses.replace(nudge, params=params)))
        added = enqueue(self.sessions, items, now)
        self.last_tick = now
        return added


class _Handled:
    """Whether a nudge is already taken care of by the outbox's rows: written itself, or, for
    a nudge of one instant, older than a row of its collaboration and kind — the clock writes
    them in order, so an older one was folded into a summary (or belongs to an earlier
    schedule)."""

    INSTANT_KINDS = frozenset({NudgeKind.CHECKIN, NudgeKind.REVIEW, NudgeKind.EVALUATION})

    def __init__(self, keys: set[tuple[str, str, str]]) -> None:
        self.keys = keys
        self.latest: dict[tuple[str, str], datetime] = {}
        for collaboration_id, kind, slot in keys:
            if kind in self.INSTANT_KINDS:
                at = datetime.fromisoformat(slot)
                previous = self.latest.get((collaboration_id, kind), at)
                self.latest[(collaboration_id, kind)] = max(at, previous)

    def __call__(self, nudge: Nudge) -> bool:
        if nudge.key in self.keys:
            return True
        if nudge.kind not in self.INSTANT_KINDS:
            return False
        latest = self.latest.get((nudge.collaboration_id, nudge.kind.value))
        return latest is not None and nudge.due_at <= latest


def retry_after(error: BaseException) -> float | None:
    """The seconds a platform asked to wait, when ``error`` carries them; else ``None``."""
    value = getattr(error, "retry_after", None)
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return float(value)
    return None


@dataclass
class Delivery:
    """Claims due outbox rows and sends them, paced per channel; a failure is retried later."""

    sessions: sessionmaker[Session]
    sender: Sender
    clock: Clock
    model: ModelMap
    worker_id: str = field(default_factory=lambda: f"{socket.gethostname()}-{uuid.uuid4().hex}")
    batch: int = 20
    lease: timedelta = timedelta(minutes=5)
    backoff: timedelta = timedelta(minutes=1)
    max_backoff: timedelta = timedelta(hours=6)
    # Wait in place for a channel's turn up to this long; a longer wait postpones the row.
    max_pause: timedelta = timedelta(seconds=2)
    limits: Mapping[str, Sequence[Limit]] = field(default_factory=lambda: PLATFORM_LIMITS)
    sleep: Callable[[float], None] = time.sleep
    pacer: Pacer = field(init=False)

    def __post_init__(self) -> None:
        self.pacer = Pacer(self.clock, self.limits)

    def run(self) -> int:
        """Send one batch; returns how many were sent.

        A row whose claim is older than half the lease when its turn comes is given back
        unsent: another worker may take it once the lease ends, and two must not send it.
        """
        sent = 0
        claimed_at = self.clock.now()
        for item in claim(self.sessions, self.worker_id, self.batch, claimed_at, self.lease):
            wait = self.pacer.delay(item.channel)
            now = self.clock.now()
            if wait > self.max_pause or now + wait - claimed_at > self.lease / 2:
                postpone(self.sessions, item.id, now + wait, worker_id=self.worker_id)
                continue
            if wait > timedelta(0):
                self.sleep(wait.total_seconds())
            sent += self._send(item)
        return sent

    def _send(self, item: OutboxItem) -> int:
        self.pacer.record(item.channel)
        try:
            self.sender(item, render(item, self.model))
        except Exception as error:
            self._failed(item, error)
            return 0
        mark_sent(self.sessions, item.id, self.clock.now())
        return 1

    def _failed(self, item: OutboxItem, error: Exception) -> None:
        now = self.clock.now()
        if getattr(error, "undeliverable", False) is True:
            log.warning("nudge %s cannot reach its channel (%s); given up", item.id, error)
            give_up(self.sessions, item.id, now, worker_id=self.worker_id)
            return
        seconds = retry_after(error)
        if seconds is not None:
            log.warning("nudge %s: the platform asks to wait %.0f s", item.id, seconds)
            wait = timedelta(seconds=seconds)
            self.pacer.hold(item.channel, now + wait)
        else:
            attempt = item.attempts
            log.error("sending nudge %s failed (attempt %d)", item.id, attempt, exc_info=error)
            wait = min(self.backoff * 2 ** (attempt - 1), self.max_backoff)
        release(self.sessions, item.id, now, wait, worker_id=self.worker_id)


@dataclass
class Pruning:
    """Removes what is no longer needed: long-sent outbox rows, old inbound event claims and
    the keys of long-handled inbox events."""

    sessions: sessionmaker[Session]
    clock: Clock
    keep_sent: timedelta = timedelta(days=30)
    keep_events: timedelta = timedelta(days=7)

    def run(self) -> tuple[int, int]:
        """Returns how many outbox rows and how many inbound events were removed."""
        now = self.clock.now()
        rows = prune_sent(self.sessions, now - self.keep_sent)
        events = prune_events(self.sessions, now - self.keep_events)
        events += inbox.prune(self.sessions, now - self.keep_events)
        log.info("pruned %d sent nudges and %d event claims", rows, events)
        return rows, events


def start_scheduler(
    app: Scheduled,
    sender: Sender,
    *,
    clock: Clock | None = None,
    paused: bool = False,
    timing: Timing | None = None,
) -> BackgroundScheduler:
    """Start the jobs: enqueue (leader only), deliver, prune. Call ``shutdown()`` on exit; it
    also gives up the leader lock."""
    clock = clock or SystemClock()
    timing = timing or Timing()
    engine: Engine = app.sessions.kw["bind"]
    leader = LeaderLock(engine)
    nudges = NudgeClock(
        app.sessions,
        app.bot.calendar,
        clock,
        app.bot.model,
        max_lateness=timing.max_lateness,
        catch_up=timing.catch_up,
        leader=leader if leader.needed else None,
    )
    delivery = Delivery(app.sessions, sender, clock, app.bot.model, lease=timing.lease)
    pruning = Pruning(app.sessions, clock, timing.keep_sent, timing.keep_events)
    scheduler = BackgroundScheduler(timezone=UTC)  # in-memory job store: nothing to share
    first = datetime.now(UTC)
    options = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
    jobs = [
        ("enqueue", nudges.tick, timing.tick_every),
        ("deliver", delivery.run, timing.deliver_every),
        ("prune", pruning.run, timing.prune_every),
    ]
    for job_id, job, every in jobs:
        trigger = IntervalTrigger(seconds=every.total_seconds())
        scheduler.add_job(job, trigger, id=job_id, next_run_time=first, **options)
    scheduler.add_listener(lambda _: leader.release(), EVENT_SCHEDULER_SHUTDOWN)
    scheduler.start(paused=paused)
    return scheduler
