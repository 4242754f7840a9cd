"""Claims on inbound events, taken in the core's transaction: first claim wins, on one process
or many; a rolled-back claim was never taken; old claims are pruned with the inbox's keys."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from threading import Barrier

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from storage import SqlUnitOfWork
from storage.inbox import SqlInbox
from storage.tables import ProcessedEventRow
from tests.integration.builders import T0, at


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
