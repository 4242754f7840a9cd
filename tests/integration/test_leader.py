"""The leader lock: one process at a time runs the nudge clock; on the fake and on PostgreSQL
the lead passes on when its holder lets go or dies; on SQLite the one process always leads."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from time import monotonic, sleep

import pytest
from sqlalchemy import Engine, text

from bot.calendar import WeekendCalendar
from bot.map import ModelMap
from engine.nudge_clock import NudgeClock
from engine.ports import Leader
from model_content.loader import default_model
from storage import make_engine
from storage.leader import SqlLeader
from tests.fakes import (
    FakeClock,
    FakeCollaborations,
    FakeLeader,
    FakeLeadership,
    FakeOutbox,
    FakeUnitOfWork,
)

MODEL = ModelMap(default_model())
NOW = datetime(2027, 1, 12, 8, tzinfo=UTC)


@pytest.fixture(params=["fake", pytest.param("postgresql", marks=pytest.mark.postgres)])
def two_leaders(request: pytest.FixtureRequest) -> Iterator[tuple[Leader, Leader]]:
    """Two processes' leaders of one installation."""
    if request.param == "fake":
        shared = FakeLeadership()
        yield FakeLeader(shared), FakeLeader(shared)
        return
    engine: Engine = request.getfixturevalue("postgresql_engine")
    other_engine = make_engine(request.getfixturevalue("postgres_url"))
    first, second = SqlLeader(engine), SqlLeader(other_engine)
    try:
        yield first, second
    finally:
        first.release()
        second.release()
        other_engine.dispose()


def test_only_one_process_at_a_time_leads(two_leaders: tuple[Leader, Leader]) -> None:
    first, second = two_leaders
    assert first.held() and not second.held()
    assert first.held()  # still: it is kept from one tick to the next

    follower = NudgeClock(
        FakeCollaborations(FakeUnitOfWork(), FakeOutbox()), second, WeekendCalendar(),
        FakeClock(NOW), MODEL,
    )  # fmt: skip
    assert follower.tick() == 0 and follower.last_tick is None  # it did not even look

    first.release()
    assert second.held() and not first.held()
    second.release()
    assert first.held()


@pytest.mark.postgres
def test_when_the_leaders_connection_dies_another_process_leads(
    postgresql_engine: Engine, postgres_url: str
) -> None:
    other_engine = make_engine(postgres_url)
    first, second = SqlLeader(postgresql_engine), SqlLeader(other_engine)
    try:
        assert second.held() and not first.held()
        # The leader's connection dies (a crash, a restart of the server): the lock is free.
        with postgresql_engine.connect() as connection:
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks "
                    "WHERE locktype = 'advisory' AND granted AND database = "
                    "(SELECT oid FROM pg_database WHERE datname = current_database())"
                )
            )
        deadline = monotonic() + 30  # the server ends the backend after answering
        while not first.held():
            assert monotonic() < deadline, "the lock was not freed"
            sleep(0.05)
        assert not second.held()
    finally:
        first.release()
        second.release()
        other_engine.dispose()


def test_on_sqlite_the_one_process_always_leads(sqlite_engine: Engine) -> None:
    lock = SqlLeader(sqlite_engine)
    assert not lock.needed and lock.held() and SqlLeader(sqlite_engine).held()
