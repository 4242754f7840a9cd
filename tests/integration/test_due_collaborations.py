"""The clock reads only what is due, on SQLite and PostgreSQL: a steady tick costs the same
few queries with 3 collaborations as with 60; a message plans the next look in its own
transaction; a batch of due collaborations is held against a second clock."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, select

from bot.cadence import Cadence
from bot.calendar import WeekendCalendar
from bot.domain import ChannelRef, Person
from bot.incoming import Incoming
from bot.map import ModelMap
from bot.service import Samverkansbot
from engine.nudge_clock import NudgeClock
from model_content.loader import default_model
from storage import SqlUnitOfWork
from storage.database import make_session_factory
from storage.due import SqlCollaborations
from storage.tables import CollaborationRow, OutboxRow
from tests.fakes import FakeClock, FakeLeader
from tests.integration.builders import collaboration

MODEL = ModelMap(default_model())
MONDAY = datetime(2026, 12, 14, 12, tzinfo=UTC)


def store(session_factory: sessionmaker[Session], count: int, first: int = 0, day: int = 1) -> None:
    """``count`` collaborations with a check-in on ``day`` (Tuesday) at 09:00, each in its
    channel."""
    with SqlUnitOfWork(session_factory) as uow:
        for number in range(first, first + count):
            made = collaboration(ChannelRef("slack", "T1", f"C{number}"))
            made.checkin = Cadence(day, time(9, 0), 1, made.timezone, date(2026, 11, 2))
            uow.collaborations.add(made)
        uow.commit()


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL queries sent to ``engine`` within the block (SQLite's BEGIN left out)."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.startswith("BEGIN"):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def steady_tick(session_factory: sessionmaker[Session], clock: FakeClock) -> list[str]:
    ticker = NudgeClock(
        SqlCollaborations(session_factory), FakeLeader(), WeekendCalendar(), clock, MODEL
    )
    ticker.tick()  # plans every collaboration (catching up a week)
    clock.advance(minutes=1)
    with statements(session_factory.kw["bind"]) as seen:
        assert ticker.tick() == 0
    return seen


def test_a_steady_tick_asks_the_same_queries_with_few_and_many_collaborations(
    session_factory: sessionmaker[Session],
) -> None:
    clock = FakeClock(MONDAY)
    store(session_factory, 3)
    few = steady_tick(session_factory, clock)
    store(session_factory, 60, first=3)
    many = steady_tick(session_factory, clock)
    assert few == many
    assert len(many) == 1  # which collaborations are due: none


def test_a_due_tick_reads_the_due_rows_in_a_constant_number_of_queries(
    session_factory: sessionmaker[Session],
) -> None:
    store(session_factory, 2)  # on Tuesdays
    store(session_factory, 40, first=2, day=2)  # on Wednesdays
    clock = FakeClock(MONDAY)
    ticker = NudgeClock(
        SqlCollaborations(session_factory), FakeLeader(), WeekendCalendar(), clock, MODEL
    )
    ticker.tick()  # plans them all
    counts = []
    for day, added in ((15, 2), (16, 40)):
        clock.current = datetime(2026, 12, day, 8, 0, 30, tzinfo=UTC)  # 09:00:30 in Stockholm
        with statements(session_factory.kw["bind"]) as seen:
            assert ticker.tick() == added
        counts.append(len(seen))
    assert counts[0] == counts[1]


def test_a_message_plans_the_next_look_in_its_transaction(
    session_factory: sessionmaker[Session],
) -> None:
    clock = FakeClock(MONDAY)
    bot = Samverkansbot(lambda: SqlUnitOfWork(session_factory), clock, MODEL)
    channel = ChannelRef("slack", "T1", "C-new")
    anna = Person("U-anna", "Anna")
    bot.handle(Incoming(channel, anna, "starta Läxhjälp"))
    bot.handle(Incoming(channel, anna, "avstämning varje tisdag 09:00"))
    with session_factory() as session:
        row = session.exec(select(CollaborationRow)).one()
    assert row.nudged_until == MONDAY
    assert row.next_nudge_at == datetime(2026, 12, 15, 8, tzinfo=UTC)


@pytest.mark.postgres
def test_a_second_clock_skips_the_collaborations_the_first_holds(
    postgresql_engine: Engine,
) -> None:
    # PostgreSQL only: SQLite has one writer at a time, so a second clock simply waits.
    session_factory = make_session_factory(postgresql_engine)
    store(session_factory, 3)
    first, second = SqlCollaborations(session_factory), SqlCollaborations(session_factory)
    held, done = threading.Event(), threading.Event()
    seen: list[int] = []

    def hold() -> None:
        with first.due(MONDAY, 2) as due:
            seen.append(len(due.collaborations))
            held.set()
            done.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(10)
    with second.due(MONDAY, 10) as due:
        seen.append(len(due.collaborations))
        due.commit([], MONDAY)
    done.set()
    holder.join(10)
    assert seen == [2, 1]
    with session_factory() as session:
        assert session.exec(select(OutboxRow)).all() == []
