"""The clock: every minute it asks the core which nudges are due and puts them in the outbox;
a delivery job claims outbox rows and hands them to a sender.

The scheduler only ticks (in-memory job store, nothing pickled): *what* is due is decided by
:func:`bot.schedule.due_nudges`, *that* it is written once by the outbox's unique key. So two
processes running this clock enqueue the same rows once, and their delivery jobs never take the
same row on PostgreSQL (``SKIP LOCKED``).
"""

from __future__ import annotations

import dataclasses
import logging
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from bot.calendar import WorkingCalendar
from bot.map import ModelMap
from bot.ports import Clock
from bot.schedule import collapse_late, due_nudges
from bot.service import Samverkansbot
from bot.texts import text
from runtime.clock import SystemClock
from storage.outbox import OutboxItem, claim, enqueue, mark_sent, release
from storage.repository import load_all

log = logging.getLogger(__name__)

# Delivers one nudge's text to its channel; raises to have it retried later.
Sender = Callable[[OutboxItem, str], None]


class Scheduled(Protocol):
    """What the scheduler needs of the assembled app: the database and the core's model and
    calendar, so that nudges follow the same rules as the bot's own replies."""

    sessions: sessionmaker[Session]
    bot: Samverkansbot


def console_sender(item: OutboxItem, message: str) -> None:
    """A sender for the terminal: prints the nudge with its channel."""
    print(f"[{item.channel.key}] {message}")


def render(item: OutboxItem, model: ModelMap) -> str:
    """The nudge's text in the collaboration's language (stored with the row), with the
    model's questions it asks, each under the id to answer it with."""
    params = dict(item.params)
    language = params.pop("language", "sv")
    questions = params.pop("questions", "").split()
    body = text(f"nudge_{item.kind}", language, **params)
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
    """Enqueues the nudges that fell due since its last tick."""

    sessions: sessionmaker[Session]
    calendar: WorkingCalendar
    clock: Clock
    model: ModelMap
    max_lateness: timedelta = timedelta(hours=2)
    # On the first tick (and after a restart) look back this far; the outbox drops repeats.
    catch_up: timedelta = timedelta(days=7)
    last_tick: datetime | None = None

    def tick(self) -> int:
        """Enqueue what is due in ``(last tick, now]``; returns how many rows were new."""
        now = self.clock.now()
        since = self.last_tick or now - self.catch_up
        items = []
        for collaboration in load_all(self.sessions):
            due = due_nudges(collaboration, now, self.calendar, since, self.model)
            for nudge in collapse_late(due, now, self.max_lateness):
                params = {**nudge.params, "language": collaboration.language}
                items.append((collaboration.channel, dataclasses.replace(nudge, params=params)))
        added = enqueue(self.sessions, items, now)
        self.last_tick = now
        return added


@dataclass
class Delivery:
    """Claims due outbox rows and sends them; a failure is retried with growing back-off."""

    sessions: sessionmaker[Session]
    sender: Sender
    clock: Clock
    model: ModelMap
    worker_id: str = field(default_factory=lambda: f"{socket.gethostname()}-{uuid.uuid4().hex}")
    batch: int = 20
    lease: timedelta = timedelta(minutes=5)
    backoff: timedelta = timedelta(minutes=1)
    max_backoff: timedelta = timedelta(hours=6)

    def run(self) -> int:
        """Send one batch; returns how many were sent."""
        sent = 0
        for item in claim(self.sessions, self.worker_id, self.batch, self.clock.now(), self.lease):
            try:
                self.sender(item, render(item, self.model))
            except Exception:
                log.exception("sending nudge %s failed (attempt %d)", item.id, item.attempts)
                wait = min(self.backoff * 2 ** (item.attempts - 1), self.max_backoff)
                release(self.sessions, item.id, self.clock.now(), wait)
                continue
            mark_sent(self.sessions, item.id, self.clock.now())
            sent += 1
        return sent


def start_scheduler(
    app: Scheduled, sender: Sender, *, clock: Clock | None = None, paused: bool = False
) -> BackgroundScheduler:
    """Start ticking: enqueue every minute, deliver every 30 s. Call ``shutdown()`` on exit."""
    clock = clock or SystemClock()
    nudges = NudgeClock(app.sessions, app.bot.calendar, clock, app.bot.model)
    delivery = Delivery(app.sessions, sender, clock, app.bot.model)
    scheduler = BackgroundScheduler(timezone=UTC)  # in-memory job store: nothing to share
    first = datetime.now(UTC)
    options = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
    scheduler.add_job(
        nudges.tick, IntervalTrigger(minutes=1), id="enqueue", next_run_time=first, **options
    )
    scheduler.add_job(
        delivery.run, IntervalTrigger(seconds=30), id="deliver", next_run_time=first, **options
    )
    scheduler.start(paused=paused)
    return scheduler
