"""The outbox's contract on the fake, SQLite and PostgreSQL: written once, claimed once,
leased, released, postponed, given up, sent and pruned."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, select

from bot.domain import ChannelRef, SentNudge
from bot.ports import StorageUnavailableError
from bot.schedule import Nudge, NudgeKind
from engine.ports import Outbox
from storage import make_engine, make_session_factory
from storage.outbox import SqlOutbox
from storage.tables import OutboxRow
from storage.uow import SqlUnitOfWork
from tests.fakes import FakeOutbox
from tests.integration.conftest import SQL_BACKENDS

NOW = datetime(2026, 12, 15, 8, tzinfo=UTC)
LEASE = timedelta(minutes=5)
FAKE_AND_POSTGRES = ["fake", pytest.param("postgresql", marks=pytest.mark.postgres)]
CHANNEL = ChannelRef("slack", "T1", "C1")


@pytest.fixture(params=["fake", *SQL_BACKENDS])
def outbox(request: pytest.FixtureRequest) -> Outbox:
    if request.param == "fake":
        return FakeOutbox()
    return SqlOutbox(make_session_factory(request.getfixturevalue(f"{request.param}_engine")))


def nudges(count: int = 1, start: datetime = NOW) -> list[tuple[ChannelRef, Nudge]]:
    return [
        (
            CHANNEL,
            Nudge(
                "collab-1",
                NudgeKind.CHECKIN,
                (start - timedelta(weeks=week)).isoformat(),
                {"name": "Läxhjälp"},
            ),
        )
        for week in range(count)
    ]


def test_enqueueing_the_same_nudge_twice_writes_one_row(outbox: Outbox) -> None:
    assert outbox.enqueue(nudges(), NOW) == 1
    assert outbox.enqueue(nudges(), NOW) == 0
    claimed = outbox.claim("w1", 10, NOW, LEASE)
    assert [(item.kind, item.channel, item.params) for item in claimed] == [
        ("checkin", CHANNEL, {"name": "Läxhjälp"})
    ]


def test_rows_are_claimed_oldest_due_slot_first(outbox: Outbox) -> None:
    outbox.enqueue(nudges(3), NOW)
    claimed = outbox.claim("w1", 2, NOW, LEASE)
    assert [item.due_slot for item in claimed] == [
        (NOW - timedelta(weeks=week)).isoformat() for week in (2, 1)
    ]


def test_a_claim_for_some_platforms_takes_only_their_rows(outbox: Outbox) -> None:
    telegram = ChannelRef("telegram", "telegram", "-100123")
    group = Nudge("collab-t", NudgeKind.CHECKIN, NOW.isoformat(), {"name": "T"})
    outbox.enqueue([*nudges(2), (telegram, group)], NOW)
    claimed = outbox.claim("w1", 10, NOW, LEASE, platforms={"telegram"})
    assert [item.channel for item in claimed] == [telegram]
    assert outbox.claim("w2", 10, NOW, LEASE, platforms=set()) == []
    assert {item.channel.platform for item in outbox.claim("w3", 10, NOW, LEASE)} == {"slack"}


def test_a_claimed_row_is_not_claimed_again_until_its_lease_ends(outbox: Outbox) -> None:
    outbox.enqueue(nudges(), NOW)
    assert len(outbox.claim("w1", 10, NOW, LEASE)) == 1
    assert outbox.claim("w2", 10, NOW + timedelta(minutes=1), LEASE) == []
    again = outbox.claim("w2", 10, NOW + timedelta(minutes=6), LEASE)
    assert [item.attempts for item in again] == [2]


def test_a_sent_row_is_never_claimed_and_a_released_one_waits_its_backoff(
    outbox: Outbox,
) -> None:
    outbox.enqueue(nudges(2), NOW)
    first, second = outbox.claim("w1", 10, NOW, LEASE)
    outbox.mark_sent(first.id, NOW)
    outbox.release(second.id, NOW, timedelta(minutes=2))
    assert outbox.claim("w1", 10, NOW + timedelta(minutes=1), LEASE) == []
    retried = outbox.claim("w1", 10, NOW + timedelta(minutes=2), LEASE)
    assert [item.id for item in retried] == [second.id]
    later = NOW + timedelta(hours=1)
    outbox.mark_sent(second.id, later)
    assert outbox.claim("w1", 10, later, LEASE) == []


def test_a_postponed_row_comes_back_untried_at_its_time(outbox: Outbox) -> None:
    outbox.enqueue(nudges(), NOW)
    [item] = outbox.claim("w1", 10, NOW, LEASE)
    outbox.postpone(item.id, NOW + timedelta(seconds=45), worker_id="w1")
    assert outbox.claim("w1", 10, NOW + timedelta(seconds=44), LEASE) == []
    [again] = outbox.claim("w2", 10, NOW + timedelta(seconds=45), LEASE)
    assert again.attempts == 1  # postponing is not a failed attempt


def test_a_worker_whose_lease_ran_out_cannot_give_back_the_next_workers_claim(
    outbox: Outbox,
) -> None:
    outbox.enqueue(nudges(), NOW)
    [first] = outbox.claim("slow", 1, NOW, LEASE)
    later = NOW + timedelta(minutes=6)
    assert len(outbox.claim("next", 1, later, LEASE)) == 1
    outbox.release(first.id, later, timedelta(minutes=1), worker_id="slow")
    outbox.postpone(first.id, later, worker_id="slow")
    outbox.give_up(first.id, later, worker_id="slow")
    # Still the next worker's, counted twice, and not claimable by anyone else.
    assert outbox.claim("third", 1, later + timedelta(minutes=1), LEASE) == []
    [back] = outbox.claim("third", 1, later + LEASE * 2, LEASE)
    assert back.attempts == 3


def test_a_row_given_up_is_never_claimed_and_is_pruned_like_a_sent_one(outbox: Outbox) -> None:
    outbox.enqueue(nudges(), NOW)
    [item] = outbox.claim("w1", 10, NOW, LEASE)
    outbox.give_up(item.id, NOW, worker_id="w1")
    assert outbox.claim("w1", 10, NOW + timedelta(days=1), LEASE) == []
    assert outbox.prune_sent(NOW + timedelta(seconds=1)) == 1


def test_the_keys_of_rows_due_after_an_instant_are_recorded_sent_or_not(outbox: Outbox) -> None:
    outbox.enqueue(nudges(3), NOW)
    [oldest] = outbox.claim("w1", 1, NOW, LEASE)
    outbox.mark_sent(oldest.id, NOW)
    slots = [(NOW - timedelta(weeks=week)).isoformat() for week in range(3)]
    since = NOW - timedelta(weeks=3)
    assert outbox.recorded_keys(since) == {("collab-1", "checkin", slot) for slot in slots}
    assert outbox.recorded_keys(NOW - timedelta(weeks=1)) == {("collab-1", "checkin", slots[0])}


def test_pruning_removes_long_sent_rows_only(outbox: Outbox) -> None:
    outbox.enqueue(nudges(4), NOW - timedelta(days=60))
    old, recent, _, _ = outbox.claim("w", 10, NOW - timedelta(days=60), LEASE)
    outbox.mark_sent(old.id, NOW - timedelta(days=31))
    outbox.mark_sent(recent.id, NOW - timedelta(days=29))
    assert outbox.prune_sent(NOW - timedelta(days=30)) == 1
    assert outbox.prune_sent(NOW - timedelta(days=30)) == 0
    later = NOW + timedelta(days=1)
    # The two never sent are still there (their leases long over), the recent one is kept.
    assert len(outbox.claim("w", 10, later, LEASE)) == 2
    assert outbox.prune_sent(NOW) == 1


@pytest.mark.parametrize(
    "backend", ["fake", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_concurrent_workers_never_take_the_same_row(
    backend: str, request: pytest.FixtureRequest
) -> None:
    outbox: Outbox = FakeOutbox()
    if backend == "postgresql":
        engine: Engine = request.getfixturevalue("postgresql_engine")
        outbox = SqlOutbox(make_session_factory(engine))
    outbox.enqueue(nudges(40), NOW)
    taken: dict[str, list[str]] = {}
    start = threading.Barrier(4)

    def work(worker: str) -> None:
        start.wait()
        mine = taken.setdefault(worker, [])
        while batch := outbox.claim(worker, 3, NOW, LEASE):
            mine += [item.id for item in batch]

    threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [item for items in taken.values() for item in items]
    assert len(every) == len(set(every)) == 40


# -- on SQL ------------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", SQL_BACKENDS)
def test_each_row_records_how_it_ended(backend: str, request: pytest.FixtureRequest) -> None:
    factory = make_session_factory(request.getfixturevalue(f"{backend}_engine"))
    outbox = SqlOutbox(factory)
    outbox.enqueue(nudges(3), NOW)
    sent, given_up, _ = outbox.claim("w", 10, NOW, LEASE)
    outbox.mark_sent(sent.id, NOW)
    outbox.give_up(given_up.id, NOW, worker_id="w")
    with factory() as session:
        outcomes = {row.id: row.outcome for row in session.exec(select(OutboxRow)).all()}
    assert sorted(outcomes.values(), key=str) == [None, "sent", "undeliverable"]
    assert outcomes[sent.id] == "sent" and outcomes[given_up.id] == "undeliverable"


def test_the_repository_lists_what_the_outbox_delivered_to_a_collaboration(
    session_factory: sessionmaker[Session],
) -> None:
    outbox = SqlOutbox(session_factory)
    evaluation = Nudge("collab-1", NudgeKind.EVALUATION, NOW.isoformat(), {})
    elsewhere = Nudge("collab-2", NudgeKind.CHECKIN, NOW.isoformat(), {})
    outbox.enqueue([*nudges(3), (CHANNEL, evaluation), (CHANNEL, elsewhere)], NOW)
    items = {(i.collaboration_id, i.kind, i.due_slot): i for i in outbox.claim("w", 10, NOW, LEASE)}
    sent_at = {
        ("collab-1", "checkin", (NOW - timedelta(weeks=2)).isoformat()): NOW,
        ("collab-1", "evaluation", NOW.isoformat()): NOW - timedelta(hours=1),
        ("collab-2", "checkin", NOW.isoformat()): NOW,
    }
    for key, at in sent_at.items():
        outbox.mark_sent(items[key].id, at)
    # The other two check-ins of collab-1 are claimed, not sent.

    with SqlUnitOfWork(session_factory) as uow:
        sent = uow.collaborations.nudges_sent("collab-1")
    assert sent == [
        SentNudge("evaluation", NOW - timedelta(hours=1)),
        SentNudge("checkin", NOW),
    ]


def test_a_database_out_of_reach_when_a_nudge_is_marked_sent_is_said_to_be_passing() -> None:
    # Nothing listens on port 1: the connection is refused, as by a database restarting.
    unreachable = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/none")
    try:
        with pytest.raises(StorageUnavailableError):
            SqlOutbox(make_session_factory(unreachable)).mark_sent("row-1", NOW)
    finally:
        unreachable.dispose()
