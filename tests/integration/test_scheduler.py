"""The clock's jobs on SQL: due nudges go to the outbox once and out through the sender once.

The jobs are called directly with a fake clock; APScheduler is only checked to be set up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from bot.cadence import Cadence
from bot.calendar import WeekendCalendar
from bot.domain import ChannelRef
from bot.map import ModelMap
from bot.schedule import NudgeKind, due_nudges
from bot.service import Samverkansbot
from model_content.loader import default_model
from runtime.calendar import SwedishCalendar
from runtime.scheduler import Delivery, NudgeClock, render, start_scheduler
from storage import SqlUnitOfWork
from storage.outbox import OutboxItem
from tests.fakes import FakeClock
from tests.integration.builders import collaboration

MODEL = ModelMap(default_model())
TUESDAY_NINE = datetime(2026, 12, 15, 8, tzinfo=UTC)  # 09:00 in Stockholm


def stored_with_checkin(session_factory: sessionmaker[Session]) -> None:
    made = collaboration()
    made.checkin = Cadence(1, time(9, 0), 1, made.timezone, date(2026, 11, 2))
    with SqlUnitOfWork(session_factory) as uow:
        uow.collaborations.add(made)
        uow.commit()


class Outbox:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.fail = False

    def __call__(self, item: OutboxItem, message: str) -> None:
        if self.fail:
            raise ConnectionError("platform down")
        self.sent.append((item.due_slot, message))


def test_a_due_checkin_is_enqueued_once_and_sent_once(
    session_factory: sessionmaker[Session],
) -> None:
    stored_with_checkin(session_factory)
    clock = FakeClock(TUESDAY_NINE - timedelta(minutes=1))
    ticker = NudgeClock(session_factory, WeekendCalendar(), clock, MODEL)
    assert ticker.tick() == 1  # last week's check-in, caught up late and folded
    clock.advance(minutes=1)
    assert ticker.tick() == 1
    assert (
        NudgeClock(session_factory, WeekendCalendar(), clock, MODEL).tick() == 0
    )  # a second process

    sender = Outbox()
    delivery = Delivery(session_factory, sender, clock, MODEL)
    assert delivery.run() == 2
    assert delivery.run() == 0
    assert sender.sent[-1][0] == TUESDAY_NINE.isoformat()
    assert "Dags för avstämning" in sender.sent[-1][1]


def test_a_failed_send_is_retried_after_its_backoff(
    session_factory: sessionmaker[Session],
) -> None:
    stored_with_checkin(session_factory)
    clock = FakeClock(TUESDAY_NINE)
    NudgeClock(session_factory, WeekendCalendar(), clock, MODEL, catch_up=timedelta(hours=1)).tick()
    sender = Outbox()
    sender.fail = True
    delivery = Delivery(session_factory, sender, clock, MODEL)
    assert delivery.run() == 0
    sender.fail = False
    assert delivery.run() == 0  # still backing off
    clock.advance(minutes=1)
    assert delivery.run() == 1


@dataclass
class App:
    sessions: sessionmaker[Session]
    bot: Samverkansbot


def test_the_scheduler_has_an_enqueue_and_a_delivery_job(
    session_factory: sessionmaker[Session],
) -> None:
    calendar = WeekendCalendar()
    bot = Samverkansbot(
        lambda: SqlUnitOfWork(session_factory), FakeClock(), MODEL, calendar=calendar
    )
    scheduler = start_scheduler(App(session_factory, bot), Outbox(), paused=True)
    try:
        jobs = {job.id: job.func.__self__ for job in scheduler.get_jobs()}
        assert sorted(jobs) == ["deliver", "enqueue", "prune"]
        # The nudges follow the bot's own calendar and model, not copies of their own.
        assert jobs["enqueue"].calendar is calendar and jobs["enqueue"].model is MODEL
        assert jobs["deliver"].model is MODEL
    finally:
        scheduler.shutdown(wait=True)


def test_a_check_in_shows_the_questions_it_asks_in_the_collaborations_language() -> None:
    item = OutboxItem(
        "1", "c1", "checkin", "2027-01-05T08:00", ChannelRef("console", "w", "c"),
        {"name": "Läxhjälp", "local": "2027-01-05 09:00", "questions": "implement.1 develop.1",
         "language": "sv"},
        0,
    )  # fmt: skip
    shown = render(item, MODEL)
    for question_id in ("implement.1", "develop.1"):
        place = MODEL.question(question_id)
        assert place is not None and f"– {place.question.text.sv}" in shown
    assert "svara implement.1" in shown


def test_every_nudge_the_rules_produce_renders_in_both_languages() -> None:
    made = collaboration()
    made.checkin = Cadence(1, time(9, 0), 1, made.timezone, date(2026, 11, 2))
    made.evaluation_on = date(2027, 1, 20)
    since, now = datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 3, 2, tzinfo=UTC)
    due = due_nudges(made, now, SwedishCalendar(), since, MODEL)
    kinds = {nudge.kind for nudge in due}
    assert {NudgeKind.CHECKIN, NudgeKind.EVALUATION, NudgeKind.REVIEW} <= kinds
    for nudge in due:
        for language in ("sv", "en"):
            params = {**nudge.params, "language": language}
            item = OutboxItem(
                "1", made.id, nudge.kind.value, nudge.due_slot, made.channel, params, 0
            )
            shown = render(item, MODEL)
            assert shown and "{" not in shown, (nudge.kind, language, shown)
