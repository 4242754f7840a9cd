"""The engine's jobs on SQL with a controllable clock: catch-up after downtime, pacing through
the SQL outbox, and pruning of the outbox, the inbox, the core's event claims and the button
tokens.

How delivery treats a platform's refusals, and the rest of pacing, is shown on the in-memory
outbox (tests/unit/test_delivery.py); the outbox's own contract in test_outbox.py.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, col, select

from bot.cadence import Cadence
from bot.calendar import WeekendCalendar
from bot.domain import ChannelRef
from bot.map import ModelMap
from bot.schedule import Nudge, NudgeKind
from engine.delivery import Delivery
from engine.nudge_clock import NudgeClock
from engine.ports import KeptEvent
from engine.pruning import Pruning
from model_content.loader import default_model
from storage import SqlUnitOfWork
from storage.buttons import SqlButtonStore
from storage.due import SqlCollaborations
from storage.inbox import SqlInbox
from storage.outbox import SqlOutbox
from storage.tables import ButtonRow, OutboxRow, ProcessedEventRow
from tests.fakes import FakeClock, FakeLeader, FakeSender
from tests.integration.builders import collaboration

MODEL = ModelMap(default_model())
NOW = datetime(2027, 1, 12, 8, tzinfo=UTC)  # a Tuesday, 09:00 in Stockholm
LEASE = timedelta(minutes=5)


def many(channel: ChannelRef, count: int) -> list[tuple[ChannelRef, Nudge]]:
    """``count`` distinct nudges for ``channel``, as the clock would enqueue them."""
    return [
        (
            channel,
            Nudge(
                f"collab-{channel.channel}",
                NudgeKind.CHECKIN,
                (NOW - timedelta(minutes=n)).isoformat(),
                {"name": "Läxhjälp"},
            ),
        )
        for n in range(count)
    ]


def delivery(outbox: SqlOutbox, sender: FakeSender, clock: FakeClock) -> Delivery:
    async def sleep(seconds: float) -> None:
        clock.advance(seconds=seconds)

    senders = {"slack": sender, "telegram": sender}
    return Delivery(outbox, senders, clock, MODEL, batch=30, sleep=sleep)


def unsent(session_factory: sessionmaker[Session]) -> list[OutboxRow]:
    with session_factory() as session:
        return list(session.exec(select(OutboxRow).where(col(OutboxRow.sent_at).is_(None))).all())


def test_a_telegram_group_paced_through_the_sql_outbox_hears_twenty_a_minute(
    session_factory: sessionmaker[Session],
) -> None:
    clock, outbox = FakeClock(NOW), SqlOutbox(session_factory)
    outbox.enqueue(many(ChannelRef("telegram", "telegram", "-100123"), 25), NOW)
    sender = FakeSender(clock)
    worker = delivery(outbox, sender, clock)
    assert asyncio.run(worker.run()) == 20  # the other five are postponed, not slept on
    assert len(unsent(session_factory)) == 5
    clock.advance(seconds=45)
    assert asyncio.run(worker.run()) == 5
    assert unsent(session_factory) == []
    with session_factory() as session:  # postponing is not a failed attempt
        assert {row.attempts for row in session.exec(select(OutboxRow)).all()} == {1}


# -- catch-up after downtime --------------------------------------------------------------------


def test_nudges_due_while_down_are_sent_once_and_old_ones_are_summarised(
    session_factory: sessionmaker[Session],
) -> None:
    made = collaboration()
    made.checkin = Cadence(1, time(9, 0), 1, made.timezone, date(2026, 11, 2))  # Tuesdays 09:00
    made.decisions = []
    with SqlUnitOfWork(session_factory) as uow:
        uow.collaborations.add(made)
        uow.commit()
    outbox, collaborations = SqlOutbox(session_factory), SqlCollaborations(session_factory)
    calendar = WeekendCalendar()

    def clock_of(clock: FakeClock, catch_up: timedelta) -> NudgeClock:
        return NudgeClock(collaborations, FakeLeader(), calendar, clock, MODEL, catch_up=catch_up)

    clock = FakeClock(NOW - timedelta(weeks=4))
    sender = FakeSender(clock)
    assert clock_of(clock, timedelta(minutes=1)).tick() == 1  # four weeks ago, on time
    assert asyncio.run(delivery(outbox, sender, clock).run()) == 1

    clock.advance(weeks=4, minutes=30)  # down for three check-ins; back half an hour after a fourth
    assert clock_of(clock, timedelta(days=35)).tick() == 2  # one summary, and the timely one
    worker = delivery(outbox, sender, clock)
    assert asyncio.run(worker.run()) == 2
    assert clock_of(clock, timedelta(days=35)).tick() == 0
    assert asyncio.run(worker.run()) == 0

    messages = [sent.text for sent in sender.sent[1:]]
    assert len(messages) == 2
    summary = [m for m in messages if "samlar" in m]
    assert len(summary) == 1 and "samlar 3 påminnelser" in summary[0]  # the first one was sent


# -- pruning -----------------------------------------------------------------------------------


def test_pruning_removes_long_sent_nudges_and_old_event_claims_only(
    session_factory: sessionmaker[Session],
) -> None:
    clock = FakeClock(NOW)
    outbox, inbox = SqlOutbox(session_factory), SqlInbox(session_factory.kw["bind"])
    buttons = SqlButtonStore(session_factory)
    outbox.enqueue(many(ChannelRef("slack", "T1", "C1"), 4), NOW - timedelta(days=60))
    old, recent, unsent_long, _ = outbox.claim("w", 10, NOW - timedelta(days=60), LEASE)
    outbox.mark_sent(old.id, NOW - timedelta(days=31))
    outbox.mark_sent(recent.id, NOW - timedelta(days=29))
    with session_factory() as session:
        for event_id, days in (("Ev-old", 8), ("Ev-new", 6)):
            received = NOW - timedelta(days=days)
            session.add(
                ProcessedEventRow(platform="slack", event_id=event_id, received_at=received)
            )
        session.commit()
    for update_id, days in (("1", 8), ("2", 6)):
        inbox.keep_now([KeptEvent("telegram", update_id, "{}")], NOW - timedelta(days=days))
        [kept_event] = inbox.claim("w", 1, NOW, LEASE)
        inbox.finish(kept_event, NOW - timedelta(days=days))

    assert Pruning(outbox, inbox, buttons, clock).run() == (1, 2, 0)  # a claim and an inbox key
    with session_factory() as session:
        kept = {row.id for row in session.exec(select(OutboxRow)).all()}
        events = {row.event_id for row in session.exec(select(ProcessedEventRow)).all()}
    assert old.id not in kept and {recent.id, unsent_long.id} <= kept and len(kept) == 3
    assert events == {"Ev-new"}
    assert Pruning(outbox, inbox, buttons, clock).run() == (0, 0, 0)


def test_pruning_forgets_button_tokens_no_message_carried_for_as_long_as_retention_keeps(
    session_factory: sessionmaker[Session],
) -> None:
    clock = FakeClock(NOW)
    outbox, inbox = SqlOutbox(session_factory), SqlInbox(session_factory.kw["bind"])
    buttons = SqlButtonStore(session_factory)
    keep = timedelta(days=731 + 30)  # 24 months and the grace of 30 days
    buttons.remember("~old", "tips Gemensam bild", NOW - keep - timedelta(minutes=1))
    buttons.remember("~again", "fråga 2.3", NOW - keep - timedelta(days=100))
    buttons.remember("~again", "fråga 2.3", NOW - timedelta(days=3))  # on a newer message
    buttons.remember("~again", "fråga 2.3", NOW - keep - timedelta(days=50))  # a late retry
    buttons.remember("~edge", "beslut 4 bekräfta", NOW - keep)
    buttons.remember("~new", "nästa", NOW - timedelta(days=1))

    assert Pruning(outbox, inbox, buttons, clock).run() == (0, 0, 1)
    assert buttons.recall("~old") is None
    assert buttons.recall("~again") == "fråga 2.3"
    assert buttons.recall("~edge") == "beslut 4 bekräfta"
    assert buttons.recall("~new") == "nästa"
    with session_factory() as session:
        remembered = {row.token: row.remembered_at for row in session.exec(select(ButtonRow))}
    assert remembered["~again"] == NOW - timedelta(days=3)
    assert Pruning(outbox, inbox, buttons, clock).run() == (0, 0, 0)
    clock.advance(minutes=1)
    assert Pruning(outbox, inbox, buttons, clock).run() == (0, 0, 1)  # "~edge" now
