"""The outbox on SQLite and PostgreSQL: written once, claimed once, leased, released, sent."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from bot.domain import ChannelRef
from bot.schedule import Nudge, NudgeKind
from storage import make_session_factory
from storage.outbox import claim, enqueue, mark_sent, release

NOW = datetime(2026, 12, 15, 8, tzinfo=UTC)
LEASE = timedelta(minutes=5)
CHANNEL = ChannelRef("slack", "T1", "C1")


def nudges(count: int = 1) -> list[tuple[ChannelRef, Nudge]]:
    return [
        (
            CHANNEL,
            Nudge(
                "collab-1",
                NudgeKind.CHECKIN,
                (NOW - timedelta(weeks=week)).isoformat(),
                {"name": "Läxhjälp"},
            ),
        )
        for week in range(count)
    ]


def test_enqueueing_the_same_nudge_twice_writes_one_row(
    session_factory: sessionmaker[Session],
) -> None:
    assert enqueue(session_factory, nudges(), NOW) == 1
    assert enqueue(session_factory, nudges(), NOW) == 0
    claimed = claim(session_factory, "w1", 10, NOW, LEASE)
    assert [(item.kind, item.channel, item.params) for item in claimed] == [
        ("checkin", CHANNEL, {"name": "Läxhjälp"})
    ]


def test_a_claimed_row_is_not_claimed_again_until_its_lease_ends(
    session_factory: sessionmaker[Session],
) -> None:
    enqueue(session_factory, nudges(), NOW)
    assert len(claim(session_factory, "w1", 10, NOW, LEASE)) == 1
    assert claim(session_factory, "w2", 10, NOW + timedelta(minutes=1), LEASE) == []
    again = claim(session_factory, "w2", 10, NOW + timedelta(minutes=6), LEASE)
    assert [item.attempts for item in again] == [2]


def test_a_sent_row_is_never_claimed_and_a_released_one_waits_its_backoff(
    session_factory: sessionmaker[Session],
) -> None:
    enqueue(session_factory, nudges(2), NOW)
    first, second = claim(session_factory, "w1", 10, NOW, LEASE)
    mark_sent(session_factory, first.id, NOW)
    release(session_factory, second.id, NOW, timedelta(minutes=2))
    assert claim(session_factory, "w1", 10, NOW + timedelta(minutes=1), LEASE) == []
    retried = claim(session_factory, "w1", 10, NOW + timedelta(minutes=2), LEASE)
    assert [item.id for item in retried] == [second.id]
    later = NOW + timedelta(hours=1)
    mark_sent(session_factory, second.id, later)
    assert claim(session_factory, "w1", 10, later, LEASE) == []


@pytest.mark.postgres
def test_concurrent_workers_on_postgres_never_take_the_same_row(
    postgresql_engine: Engine,
) -> None:
    factory = make_session_factory(postgresql_engine)
    enqueue(factory, nudges(40), NOW)
    taken: dict[str, list[str]] = {}
    start = threading.Barrier(4)

    def work(worker: str) -> None:
        start.wait()
        mine = taken.setdefault(worker, [])
        while batch := claim(factory, worker, 3, NOW, LEASE):
            mine += [item.id for item in batch]

    threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [item for items in taken.values() for item in items]
    assert len(every) == len(set(every)) == 40
