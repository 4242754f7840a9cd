"""The clock's jobs on SQL: due nudges go to the outbox once and out through the sender once;
and the scheduler that runs them on the event loop.

The jobs are mostly called directly with a fake clock; the scheduler is run for real once.
"""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, col, select

from bot.cadence import Cadence
from bot.calendar import WeekendCalendar
from bot.domain import ChannelRef
from bot.map import ModelMap
from bot.schedule import Nudge, NudgeKind
from engine.delivery import Delivery
from engine.nudge_clock import NudgeClock
from engine.scheduler import Stores, Timing, start_scheduler
from model_content.loader import default_model
from storage import SqlUnitOfWork
from storage.buttons import SqlButtonStore
from storage.due import SqlCollaborations
from storage.inbox import SqlInbox
from storage.outbox import SqlOutbox
from storage.retention import SqlDormancy
from storage.tables import OutboxRow
from tests.fakes import FakeClock, FakeLeader, FakeSender
from tests.integration.builders import collaboration

MODEL = ModelMap(default_model())
TUESDAY_NINE = datetime(2026, 12, 15, 8, tzinfo=UTC)  # 09:00 in Stockholm


def stored_with_checkin(session_factory: sessionmaker[Session]) -> None:
    made = collaboration()
    made.checkin = Cadence(1, time(9, 0), 1, made.timezone, date(2026, 11, 2))
    with SqlUnitOfWork(session_factory) as uow:
        uow.collaborations.add(made)
        uow.commit()


def nudge_clock(
    session_factory: sessionmaker[Session], clock: FakeClock, **options: Any
) -> NudgeClock:
    return NudgeClock(
        SqlCollaborations(session_factory), FakeLeader(), WeekendCalendar(), clock, MODEL,
        **options,
    )  # fmt: skip


def test_a_due_checkin_is_enqueued_once_and_sent_once(
    session_factory: sessionmaker[Session],
) -> None:
    stored_with_checkin(session_factory)
    clock = FakeClock(TUESDAY_NINE - timedelta(minutes=1))
    ticker = nudge_clock(session_factory, clock)
    assert ticker.tick() == 1  # last week's check-in, caught up late and folded
    clock.advance(minutes=1)
    assert ticker.tick() == 1
    assert nudge_clock(session_factory, clock).tick() == 0  # a second process

    sender = FakeSender(clock)
    outbox = SqlOutbox(session_factory)
    delivery = Delivery(outbox, {"slack": sender}, clock, MODEL, sleep=clock.sleep)
    assert asyncio.run(delivery.run()) == 2
    assert asyncio.run(delivery.run()) == 0
    with session_factory() as session:
        slots = session.exec(select(OutboxRow.due_slot).where(col(OutboxRow.outcome) == "sent"))
        assert max(slots.all()) == TUESDAY_NINE.isoformat()
    # Sent oldest first: last week's, folded as missed, then this week's, on time.
    first, last = sender.sent
    missed = "en påminnelse som inte kom fram i tid"  # one, said in the singular
    assert missed in first.text and missed not in last.text
    assert "Dags för avstämning" in last.text


def test_a_failed_send_is_retried_after_its_backoff(
    session_factory: sessionmaker[Session],
) -> None:
    stored_with_checkin(session_factory)
    clock = FakeClock(TUESDAY_NINE)
    nudge_clock(session_factory, clock, catch_up=timedelta(hours=1)).tick()
    sender = FakeSender(clock)
    sender.down = ConnectionError("platform down")
    outbox = SqlOutbox(session_factory)
    delivery = Delivery(outbox, {"slack": sender}, clock, MODEL, sleep=clock.sleep)
    assert asyncio.run(delivery.run()) == 0
    sender.down = None
    assert asyncio.run(delivery.run()) == 0  # still backing off
    clock.advance(minutes=1)
    assert asyncio.run(delivery.run()) == 1


def stores(session_factory: sessionmaker[Session], leader: FakeLeader) -> Stores:
    return Stores(
        SqlOutbox(session_factory),
        SqlInbox(session_factory.kw["bind"]),
        leader,
        SqlCollaborations(session_factory),
        SqlDormancy(session_factory),
        SqlButtonStore(session_factory),
    )


def test_the_scheduler_has_an_enqueue_a_delivery_and_a_pruning_job(
    session_factory: sessionmaker[Session],
) -> None:
    calendar, leader = WeekendCalendar(), FakeLeader()

    async def jobs() -> dict[str, object]:
        scheduler = start_scheduler(
            stores(session_factory, leader), {}, MODEL, calendar, paused=True
        )
        try:
            found = {"enqueue": scheduler.nudges, "deliver": scheduler.delivery}
            return {"jobs": sorted(job.id for job in scheduler.get_jobs()), **found}
        finally:
            await scheduler.stop()

    found = asyncio.run(jobs())
    assert found["jobs"] == ["deliver", "enqueue", "prune", "retention"]
    # The nudges follow the bot's own calendar and model, not copies of their own.
    enqueue, deliver = found["enqueue"], found["deliver"]
    assert isinstance(enqueue, NudgeClock) and isinstance(deliver, Delivery)
    assert enqueue.calendar is calendar and enqueue.model is MODEL
    assert deliver.model is MODEL
    assert leader.released >= 1  # shutting down gives up the lead


def test_button_tokens_are_kept_as_long_as_retention_keeps_an_unused_collaboration(
    session_factory: sessionmaker[Session],
) -> None:
    timing = Timing(keep_idle=timedelta(days=365), retention_grace=timedelta(days=10))

    async def kept() -> timedelta:
        scheduler = start_scheduler(
            stores(session_factory, FakeLeader()),
            {},
            MODEL,
            WeekendCalendar(),
            paused=True,
            timing=timing,
        )
        try:
            return scheduler.pruning.keep_buttons
        finally:
            await scheduler.stop()

    assert asyncio.run(kept()) == timedelta(days=375)


class ThreadNotingLeader(FakeLeader):
    """Notes the thread each tick asks from."""

    def __init__(self) -> None:
        super().__init__()
        self.asked_in: list[threading.Thread] = []

    def held(self) -> bool:
        self.asked_in.append(threading.current_thread())
        return super().held()


def test_the_scheduler_ticks_off_the_loop_and_delivers_on_it(
    session_factory: sessionmaker[Session],
) -> None:
    stored_with_checkin(session_factory)
    clock = FakeClock(TUESDAY_NINE)
    sender = FakeSender(clock)
    leader = ThreadNotingLeader()
    every = timedelta(seconds=0.05)
    timing = Timing(tick_every=every, deliver_every=every, catch_up=timedelta(hours=1))

    async def run() -> threading.Thread:
        scheduler = start_scheduler(
            stores(session_factory, leader), {"slack": sender}, MODEL, WeekendCalendar(),
            clock=clock, timing=timing,
        )  # fmt: skip
        try:
            async with asyncio.timeout(30):
                while not sender.sent:
                    await asyncio.sleep(0.01)
        finally:
            await scheduler.stop()
        return threading.current_thread()

    loop_thread = asyncio.run(run())
    [sent] = sender.sent
    assert "Dags för avstämning" in sent.text
    assert leader.asked_in and all(thread is not loop_thread for thread in leader.asked_in)
    assert leader.released >= 1


class HeldSender(FakeSender):
    """Holds every send until the test lets it go, as a slow platform would."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__(clock)
        self.started = asyncio.Event()
        self.go_on = asyncio.Event()

    async def send(self, target: Any, replies: Any) -> None:
        self.started.set()
        await self.go_on.wait()
        await super().send(target, replies)


def test_stopping_lets_a_delivery_in_progress_finish_and_then_gives_up_the_lead(
    session_factory: sessionmaker[Session],
) -> None:
    stored_with_checkin(session_factory)
    clock = FakeClock(TUESDAY_NINE)
    leader = FakeLeader()
    every = timedelta(seconds=0.05)
    timing = Timing(tick_every=every, deliver_every=every, catch_up=timedelta(hours=1))

    async def run() -> tuple[bool, int]:
        sender = HeldSender(clock)
        scheduler = start_scheduler(
            stores(session_factory, leader), {"slack": sender}, MODEL, WeekendCalendar(),
            clock=clock, timing=timing,
        )  # fmt: skip
        async with asyncio.timeout(30):
            await sender.started.wait()
        stopping = asyncio.create_task(scheduler.stop())
        await asyncio.sleep(0.2)
        waited = not stopping.done()  # the send in progress holds the stop back
        sender.go_on.set()
        async with asyncio.timeout(30):
            await stopping
        return waited, len(sender.sent)

    waited, sent = asyncio.run(run())
    assert waited and sent == 1
    with session_factory() as session:
        [row] = session.exec(select(OutboxRow)).all()
    assert row.sent_at is not None  # marked sent, not left claimed until its lease ends
    assert leader.released >= 1


def test_a_fan_out_longer_than_a_run_goes_on_in_the_next_run_at_once(
    session_factory: sessionmaker[Session],
) -> None:
    clock = FakeClock(TUESDAY_NINE)
    channels = [ChannelRef("slack", "T1", f"C{n}") for n in range(5)]
    nudges = [
        (c, Nudge(f"collab-{c.channel}", NudgeKind.CHECKIN, "slot", {"name": "Grupp"}))
        for c in channels
    ]
    SqlOutbox(session_factory).enqueue(nudges, TUESDAY_NINE)
    sender = FakeSender(clock)
    hourly = timedelta(hours=1)  # no second run would come within the test
    timing = Timing(tick_every=hourly, deliver_every=hourly, catch_up=timedelta(hours=1))

    async def run() -> None:
        scheduler = start_scheduler(
            stores(session_factory, FakeLeader()), {"slack": sender}, MODEL, WeekendCalendar(),
            clock=clock, paused=True, timing=timing,
        )  # fmt: skip
        scheduler.delivery.batch, scheduler.delivery.max_run = 1, timedelta(0)  # a row a run
        scheduler.resume()
        try:
            async with asyncio.timeout(30):
                while len(sender.sent) < len(channels):
                    await asyncio.sleep(0.01)
        finally:
            await scheduler.stop()

    asyncio.run(run())
    assert sorted(sent.target.channel.channel for sent in sender.sent) == [
        "C0",
        "C1",
        "C2",
        "C3",
        "C4",
    ]
