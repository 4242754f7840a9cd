"""The nudge clock and delivery on the in-memory ports: what fell due is enqueued once, caught
up after downtime with old ones summarised, and only while the clock leads; the jobs' timing."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.cadence import Cadence
from bot.calendar import WeekendCalendar
from bot.map import ModelMap
from engine.delivery import Delivery
from engine.nudge_clock import NudgeClock
from engine.scheduler import Timing
from model_content.loader import default_model
from tests.fakes import (
    FakeClock,
    FakeCollaborations,
    FakeLeader,
    FakeLeadership,
    FakeOutbox,
    FakeSender,
    FakeUnitOfWork,
)
from tests.integration.builders import collaboration

MODEL = ModelMap(default_model())
NOW = datetime(2027, 1, 12, 8, tzinfo=UTC)  # a Tuesday, 09:00 in Stockholm


def with_weekly_checkin(outbox: FakeOutbox) -> FakeCollaborations:
    made = collaboration()
    made.checkin = Cadence(1, time(9, 0), 1, made.timezone, date(2026, 11, 2))  # Tuesdays 09:00
    made.decisions = []
    uow = FakeUnitOfWork()
    with uow:
        uow.collaborations.add(made)
        uow.commit()
    return FakeCollaborations(uow, outbox)


def clock_of(collaborations: FakeCollaborations, clock: FakeClock, **options: object) -> NudgeClock:
    return NudgeClock(
        collaborations, FakeLeader(), WeekendCalendar(), clock, MODEL,
        **options,  # type: ignore[arg-type]
    )  # fmt: skip


def deliver(outbox: FakeOutbox, sender: FakeSender, clock: FakeClock) -> int:
    return asyncio.run(Delivery(outbox, {"slack": sender}, clock, MODEL, sleep=clock.sleep).run())


def test_nudges_due_while_down_are_sent_once_and_old_ones_are_summarised() -> None:
    outbox = FakeOutbox()
    collaborations = with_weekly_checkin(outbox)
    clock = FakeClock(NOW - timedelta(weeks=4))
    sender = FakeSender(clock)
    before = clock_of(collaborations, clock, catch_up=timedelta(minutes=1))
    assert before.tick() == 1  # the check-in of four weeks ago, on time
    assert deliver(outbox, sender, clock) == 1

    clock.advance(weeks=4, minutes=30)  # down for three check-ins; back half an hour after a fourth
    after = clock_of(collaborations, clock, catch_up=timedelta(days=35))
    assert after.tick() == 2  # one summary of the three missed, and the timely one
    assert deliver(outbox, sender, clock) == 2
    assert clock_of(collaborations, clock, catch_up=timedelta(days=35)).tick() == 0
    assert deliver(outbox, sender, clock) == 0

    messages = [sent.text for sent in sender.sent[1:]]
    assert len(messages) == 2
    summary = [m for m in messages if "samlar" in m]
    assert len(summary) == 1 and "samlar 3 påminnelser" in summary[0]  # the first one was sent


def test_a_due_checkin_is_enqueued_once_even_by_a_second_clock() -> None:
    outbox = FakeOutbox()
    collaborations = with_weekly_checkin(outbox)
    clock = FakeClock(NOW - timedelta(minutes=1))
    ticker = clock_of(collaborations, clock)
    assert ticker.tick() == 1  # last week's check-in, caught up late and folded
    clock.advance(minutes=1)
    assert ticker.tick() == 1
    assert clock_of(collaborations, clock).tick() == 0  # a second process
    keys = outbox.recorded_keys(NOW - timedelta(weeks=2))
    assert NOW.isoformat() in {slot for _, _, slot in keys}


def test_a_clock_that_does_not_lead_does_not_look() -> None:
    outbox = FakeOutbox()
    collaborations = with_weekly_checkin(outbox)
    shared = FakeLeadership()
    leader, follower = FakeLeader(shared), FakeLeader(shared)
    assert leader.held()
    clock = FakeClock(NOW)
    ticking = NudgeClock(collaborations, follower, WeekendCalendar(), clock, MODEL)
    assert ticking.tick() == 0 and ticking.last_tick is None
    leader.release()
    assert ticking.tick() == 1 and ticking.last_tick == NOW


def test_sent_nudges_are_kept_longer_than_the_clock_looks_back() -> None:
    with pytest.raises(ValueError):
        Timing(catch_up=timedelta(days=40))
