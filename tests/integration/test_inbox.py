"""The inbox on SQLite and PostgreSQL, the event claim with its kept replies, and the worker."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta

import pytest
from psycopg import OperationalError
from sqlalchemy import Engine, text
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from bot.replies import Action, FileReply, Message, QuestionCard, Reaction, Section
from runtime.inbox import Dispatcher, InboxWorker
from storage import SqlUnitOfWork, make_session_factory
from storage.inbox import (
    AsyncKeeper,
    arrived_since,
    claim,
    finish,
    pending,
    prune,
    release,
    store,
)
from tests.fakes import FakeClock, FakeUnitOfWork

NOW = datetime(2026, 12, 15, 8, tzinfo=UTC)
LEASE = timedelta(minutes=2)


def test_an_event_is_stored_once(session_factory: sessionmaker[Session]) -> None:
    assert store(session_factory, "slack", "Ev1", '{"a": 1}', NOW) is True
    assert store(session_factory, "slack", "Ev1", '{"a": 2}', NOW) is False
    assert store(session_factory, "telegram", "Ev1", "{}", NOW) is True
    [first, second] = claim(session_factory, "w1", 10, NOW, LEASE)
    assert (first.platform, first.event_id, first.payload, first.attempts) == (
        "slack",
        "Ev1",
        '{"a": 1}',
        1,
    )
    assert second.platform == "telegram"


def test_a_claimed_event_waits_for_its_lease(session_factory: sessionmaker[Session]) -> None:
    store(session_factory, "slack", "Ev1", "{}", NOW)
    assert len(claim(session_factory, "w1", 10, NOW, LEASE)) == 1
    assert claim(session_factory, "w2", 10, NOW + LEASE / 2, LEASE) == []
    [again] = claim(session_factory, "w2", 10, NOW + LEASE * 2, LEASE)
    assert again.attempts == 2  # the first worker died; another takes it


def test_finished_events_are_kept_as_keys_until_pruned(
    session_factory: sessionmaker[Session],
) -> None:
    store(session_factory, "slack", "Ev1", "{}", NOW)
    [item] = claim(session_factory, "w1", 10, NOW, LEASE)
    assert pending(session_factory) == 1
    finish(session_factory, item, NOW)
    assert pending(session_factory) == 0
    assert claim(session_factory, "w1", 10, NOW + LEASE * 2, LEASE) == []
    assert store(session_factory, "slack", "Ev1", "{}", NOW) is False  # a late redelivery
    assert prune(session_factory, NOW + timedelta(days=1)) == 1
    assert store(session_factory, "slack", "Ev1", "{}", NOW) is True


def test_a_released_event_comes_back_after_its_backoff(
    session_factory: sessionmaker[Session],
) -> None:
    store(session_factory, "telegram", "7", "{}", NOW)
    [item] = claim(session_factory, "w1", 10, NOW, LEASE)
    release(session_factory, item, NOW, timedelta(seconds=30))
    assert claim(session_factory, "w1", 10, NOW + timedelta(seconds=29), LEASE) == []
    assert len(claim(session_factory, "w1", 10, NOW + timedelta(seconds=30), LEASE)) == 1


def test_arrivals_are_counted_after_an_instant_up_to_a_limit(
    session_factory: sessionmaker[Session],
) -> None:
    for second in range(5):
        store(session_factory, "slack", f"Ev{second}", "{}", NOW + timedelta(seconds=second))
    assert arrived_since(session_factory, NOW + timedelta(seconds=1), 10) == 3
    assert arrived_since(session_factory, NOW + timedelta(seconds=1), 2) == 2
    assert arrived_since(session_factory, NOW + timedelta(seconds=4), 10) == 0


def test_concurrent_workers_never_take_the_same_event(
    session_factory: sessionmaker[Session],
) -> None:
    for number in range(40):
        store(session_factory, "telegram", str(number), "{}", NOW)
    taken: list[str] = []
    lock = threading.Lock()

    def work(name: str) -> None:
        while items := claim(session_factory, name, 3, NOW, LEASE):
            with lock:
                taken.extend(item.event_id for item in items)

    threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken, key=int) == [str(n) for n in range(40)]


REPLIES = [
    Message(
        (Section("Rubrik <b>", ("rad & ett", "två"), bullets=True, verbatim=True),),
        (Action("Nästa", "nästa", "primary"),),
        private=True,
        title="Titel",
    ),
    QuestionCard("c1", "q1", "Steg", None, "Vad?", "1/3", "Svara i tråden", ()),
    FileReply("samverkan.md", "# Innehåll\n", caption="Export"),
    Reaction(),
]


def test_a_claimed_event_gives_back_the_replies_it_kept(
    uow: FakeUnitOfWork | SqlUnitOfWork,
) -> None:
    with uow:
        assert uow.claim_event("slack", "Ev9") is None
        uow.keep_replies("slack", "Ev9", REPLIES)
        uow.commit()
    with uow:
        assert uow.claim_event("slack", "Ev9") == REPLIES
        assert uow.claim_event("telegram", "Ev9") is None  # another platform's id
    with uow:
        assert uow.claim_event("telegram", "Ev9") is None  # that claim was rolled back


class Recorder:
    """A dispatcher that records what it handled and can fail on demand."""

    def __init__(self, fail_first: int = 0) -> None:
        self.handled: list[str] = []
        self.fail_first = fail_first
        self.active: dict[str, int] = {}
        self.overlap = False
        self.most_at_once = 0  # events in hand together, over all chats

    async def handle(self, payload: str) -> None:
        chat = self.chat(payload)
        self.active[chat] = self.active.get(chat, 0) + 1
        self.overlap |= self.active[chat] > 1
        self.most_at_once = max(self.most_at_once, sum(self.active.values()))
        try:
            await asyncio.sleep(0.001)
            if self.fail_first > 0:
                self.fail_first -= 1
                raise RuntimeError("the platform is down")
            self.handled.append(payload)
        finally:
            self.active[chat] -= 1

    @staticmethod
    def chat(payload: str) -> str:
        return payload.split(":")[0]

    def dispatcher(self) -> Dispatcher:
        return Dispatcher(handle=self.handle, chat=self.chat)


async def _run_until(worker: InboxWorker, done: object, timeout: float = 60.0) -> None:
    await worker.start()
    try:
        async with asyncio.timeout(timeout):
            while not done():  # type: ignore[operator]
                worker.wake()
                await asyncio.sleep(0.01)
    finally:
        await worker.stop()


def test_the_worker_handles_each_chat_in_order_and_chats_side_by_side(
    session_factory: sessionmaker[Session],
) -> None:
    clock = FakeClock(NOW)
    recorder = Recorder()
    payloads = [f"{chat}:{n}" for n in range(10) for chat in ("a", "b", "c")]
    for number, payload in enumerate(payloads):
        clock.current = NOW + timedelta(microseconds=number)
        store(session_factory, "test", str(number), payload, clock.now())
    worker = InboxWorker(session_factory, clock=clock, concurrency=5, poll_seconds=0.05)
    worker.register("test", recorder.dispatcher())
    asyncio.run(_run_until(worker, lambda: len(recorder.handled) == len(payloads)))
    for chat in ("a", "b", "c"):
        mine = [p for p in recorder.handled if p.startswith(chat)]
        assert mine == [f"{chat}:{n}" for n in range(10)]
    assert not recorder.overlap
    assert pending(session_factory) == 0


def test_during_a_burst_the_worker_takes_one_event_at_a_time_and_the_rest_after_it(
    session_factory: sessionmaker[Session],
) -> None:
    clock = FakeClock(NOW)
    recorder = Recorder()
    # 60 chats, so that nothing but the burst keeps the worker from taking several at once.
    for number in range(60):
        received = NOW - timedelta(milliseconds=10 * number)  # all within the last second
        store(session_factory, "test", str(number), f"c{number}:x", received)
    worker = InboxWorker(
        session_factory, clock=clock, poll_seconds=0.02, burst_rate=50, burst_pace=0.005
    )
    worker.register("test", recorder.dispatcher())

    async def run() -> tuple[int, int]:
        await worker.start()
        try:
            async with asyncio.timeout(30):
                while len(recorder.handled) < 10:
                    await asyncio.sleep(0.01)
                during = recorder.most_at_once
                clock.current = NOW + timedelta(seconds=2)  # nothing arrived since: it is over
                while len(recorder.handled) < 60:
                    await asyncio.sleep(0.01)
        finally:
            await worker.stop()
        return during, recorder.most_at_once

    during, after = asyncio.run(run())
    assert during == 1
    assert after > 1  # several at once, as many as there are free places
    assert pending(session_factory) == 0


def test_a_failing_event_is_tried_again_after_its_backoff(
    session_factory: sessionmaker[Session],
) -> None:
    clock = FakeClock(NOW)
    recorder = Recorder(fail_first=2)
    store(session_factory, "test", "1", "a:1", NOW)
    # The clock runs fast here; a day's lease keeps the claim from running out meanwhile.
    worker = InboxWorker(
        session_factory, clock=clock, poll_seconds=0.02, backoff=timedelta(seconds=10),
        lease=timedelta(days=1),
    )  # fmt: skip
    worker.register("test", recorder.dispatcher())

    def advance() -> bool:
        clock.current += timedelta(seconds=15)  # past each back-off (10 s, then 20 s)
        return recorder.handled == ["a:1"]

    asyncio.run(_run_until(worker, advance))
    assert pending(session_factory) == 0


def test_an_event_that_keeps_failing_is_given_up_after_the_last_attempt(
    session_factory: sessionmaker[Session],
) -> None:
    clock = FakeClock(NOW)
    recorder = Recorder(fail_first=100)
    store(session_factory, "test", "1", "a:1", NOW)
    worker = InboxWorker(
        session_factory, clock=clock, poll_seconds=0.02, max_attempts=3,
        backoff=timedelta(seconds=1), lease=timedelta(days=1),
    )  # fmt: skip
    worker.register("test", recorder.dispatcher())

    def advance() -> bool:
        clock.current += timedelta(minutes=1)
        return pending(session_factory) == 0

    asyncio.run(_run_until(worker, advance))
    assert recorder.handled == [] and recorder.fail_first == 97


def test_events_arriving_together_are_kept_once_each(
    session_factory: sessionmaker[Session],
) -> None:
    worker = InboxWorker(session_factory)

    async def arrive() -> tuple[list[bool], bool]:
        together = [worker.store("slack", f"Ev{i % 5}", f"payload {i}") for i in range(12)]
        kept = await asyncio.gather(*together)
        again = await worker.store("slack", "Ev1", "a retry")
        await worker.stop()
        return kept, again

    kept, again = asyncio.run(arrive())

    assert kept == [True] * 5 + [False] * 7
    assert again is False
    stored = claim(session_factory, "w", 20, NOW + timedelta(minutes=1), LEASE)
    assert sorted((item.event_id, item.payload) for item in stored) == [
        (f"Ev{i}", f"payload {i}") for i in range(5)
    ]


@pytest.mark.postgres
def test_a_lost_database_connection_fails_one_batch_and_is_opened_anew(
    postgresql_engine: Engine,
) -> None:
    sessions = make_session_factory(postgresql_engine)
    worker = InboxWorker(sessions)
    cut = text(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = :name"
    ).bindparams(name=AsyncKeeper.APPLICATION_NAME)

    async def arrive() -> tuple[bool, BaseException | None, bool]:
        first = await worker.store("slack", "Ev-before", "{}")
        with postgresql_engine.begin() as connection:
            assert connection.execute(cut).scalars().all() == [True]
        try:
            await worker.store("slack", "Ev-lost", "{}")
            failed = None
        except Exception as error:
            failed = error
        after = await worker.store("slack", "Ev-after", "{}")
        await worker.stop()
        return first, failed, after

    first, failed, after = asyncio.run(arrive())

    assert first is True and after is True
    assert isinstance(failed, OperationalError)  # answered 500: the platform sends it again
    stored = claim(sessions, "w", 10, datetime.now(UTC) + timedelta(minutes=1), LEASE)
    assert sorted(item.event_id for item in stored) == ["Ev-after", "Ev-before"]
