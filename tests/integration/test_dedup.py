"""Claims on inbound events, taken in the core's transaction: first claim wins, on one process
or many; a rolled-back claim was never taken; old claims are pruned with the inbox's keys."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from threading import Barrier, Event

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from bot.domain import ChannelRef, Person
from bot.incoming import Incoming
from bot.map import ModelMap
from bot.replies import Answer
from bot.service import Samverkansbot
from model_content.loader import default_model
from storage import SqlUnitOfWork, make_session_factory
from storage.inbox import SqlInbox
from storage.tables import ProcessedEventRow
from tests.fakes import FakeClock, FakeUnitOfWork
from tests.integration.builders import T0, at, wait_for_a_lock_wait

CHANNEL = ChannelRef("slack", "T1", "C1")


def claim(session_factory: sessionmaker[Session], platform: str, event_id: str) -> bool:
    """Claim in a transaction of its own; ``True`` for the first claim."""
    with SqlUnitOfWork(session_factory) as uow:
        first = uow.claim_event(platform, event_id) is None
        uow.commit()
    return first


def claimed_at(
    session_factory: sessionmaker[Session], platform: str, event_id: str, when: datetime
) -> None:
    with session_factory() as session:
        session.add(ProcessedEventRow(platform=platform, event_id=event_id, received_at=when))
        session.commit()


def test_the_first_claim_wins_and_repeats_lose(session_factory: sessionmaker[Session]) -> None:
    assert claim(session_factory, "slack", "Ev123") is True
    assert claim(session_factory, "slack", "Ev123") is False
    assert claim(session_factory, "telegram", "Ev123") is True
    assert claim(session_factory, "slack", "Ev124") is True


def test_concurrent_claims_of_one_event_have_one_winner(
    session_factory: sessionmaker[Session],
) -> None:
    claimants = 8
    start = Barrier(claimants)

    def race(_: int) -> bool:
        start.wait(timeout=10)  # all insert at once, so the losers really race the winner
        return claim(session_factory, "telegram", "update-42")

    with ThreadPoolExecutor(claimants) as pool:
        results = list(pool.map(race, range(claimants)))

    assert results.count(True) == 1


def test_a_claim_whose_transaction_rolled_back_was_never_taken(
    session_factory: sessionmaker[Session],
) -> None:
    with SqlUnitOfWork(session_factory) as uow:
        assert uow.claim_event("telegram", "77") is None  # handling failed: no commit
    assert claim(session_factory, "telegram", "77") is True
    assert claim(session_factory, "telegram", "77") is False


def test_pruning_forgets_old_claims_only(session_factory: sessionmaker[Session]) -> None:
    claimed_at(session_factory, "slack", "old", T0)
    claimed_at(session_factory, "slack", "new", at(48))

    assert SqlInbox(session_factory.kw["bind"]).prune(before=at(24)) == 1

    assert claim(session_factory, "slack", "old") is True
    assert claim(session_factory, "slack", "new") is False


def test_an_event_handled_again_sends_its_first_replies_and_changes_nothing_more(
    uow: FakeUnitOfWork | SqlUnitOfWork,
) -> None:
    """A retry after a crash: the event was handled and committed, then handed over again.
    Its command runs once more and loses the claim, so what it did again is rolled back; a
    command that would now be refused (starting twice) gets its first replies too."""
    bot = Samverkansbot(lambda: uow, FakeClock(), ModelMap(default_model()))
    anna, omar = Person("U1", "Anna"), Person("U2", "Omar")
    start = Incoming(CHANNEL, anna, "starta Läxhjälp", event_id="Ev1")
    first = bot.answer(start)
    assert bot.answer(start) == Answer(first.replies)  # not "there is one already"

    join = Incoming(CHANNEL, omar, "gå med Läxhjälpen ideell", event_id="Ev2")
    answer = Incoming(CHANNEL, omar, "svara 1: Vi har en lokal.", event_id="Ev3")
    bot.answer(join)
    answered = bot.answer(answer)
    assert bot.answer(answer) == Answer(answered.replies)
    with uow:
        found = uow.collaborations.get_by_channel(CHANNEL)
        assert found is not None
        assert [a.text for a in found.answers.in_cycle(found.cycle)] == ["Vi har en lokal."]


class HeldUnitOfWork(SqlUnitOfWork):
    """A unit of work whose commit says it is ``ready`` and waits for ``go``: a first worker
    still at an event when a second one takes it (its lease ran out)."""

    def __init__(self, session_factory: sessionmaker[Session], ready: Event, go: Event) -> None:
        super().__init__(session_factory)
        self.ready, self.go = ready, go

    def commit(self) -> None:
        self.ready.set()
        assert self.go.wait(10)
        super().commit()


@pytest.mark.postgres
@pytest.mark.parametrize(
    "first, again",
    [("starta Läxhjälp", "starta Läxhjälp"), ("svara 1: Vi har en lokal.", None)],
)
def test_two_workers_at_one_event_send_the_first_ones_replies(
    postgresql_engine: Engine, first: str, again: str | None
) -> None:
    """The second worker's try collides with the first's (a channel taken, or the claim) and
    waits for it; once the first commits, the second sends the first's replies, never "nothing
    was saved", and stores nothing of its own."""
    factory = make_session_factory(postgresql_engine)
    model = ModelMap(default_model())
    anna = Person("U1", "Anna")
    if again is None:  # an answer in a started collaboration
        plain = Samverkansbot(lambda: SqlUnitOfWork(factory), FakeClock(), model)
        plain.answer(Incoming(CHANNEL, anna, "starta Läxhjälp", event_id="Ev0"))
    ready, go = Event(), Event()
    held = Samverkansbot(lambda: HeldUnitOfWork(factory, ready, go), FakeClock(), model)
    second = Samverkansbot(lambda: SqlUnitOfWork(factory), FakeClock(), model)
    incoming = Incoming(CHANNEL, anna, first, event_id="Ev1")

    with ThreadPoolExecutor(2) as pool:
        answered = pool.submit(held.answer, incoming)
        assert ready.wait(10)  # the first has done everything but commit
        taken_again = pool.submit(second.answer, incoming)
        wait_for_a_lock_wait(postgresql_engine, "the second worker")
        go.set()
        first_answer, second_answer = answered.result(10), taken_again.result(10)

    assert first_answer.replies and second_answer == first_answer
    with SqlUnitOfWork(factory) as uow:
        found = uow.collaborations.get_by_channel(CHANNEL)
        assert found is not None
        texts = [a.text for a in found.answers.in_cycle(found.cycle)]
    assert texts == ([] if again else ["Vi har en lokal."])
