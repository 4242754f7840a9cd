"""Claims on inbound events: first claim wins, on one process or many."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from storage import claim_event, prune_events, release_event
from tests.integration.builders import T0, at


def test_the_first_claim_wins_and_repeats_lose(session_factory: sessionmaker[Session]) -> None:
    assert claim_event(session_factory, "slack", "Ev123", T0) is True
    assert claim_event(session_factory, "slack", "Ev123", at(1)) is False
    assert claim_event(session_factory, "telegram", "Ev123", T0) is True
    assert claim_event(session_factory, "slack", "Ev124", T0) is True


def test_concurrent_claims_of_one_event_have_one_winner(
    session_factory: sessionmaker[Session],
) -> None:
    claimants = 8
    start = Barrier(claimants)

    def claim(_: int) -> bool:
        start.wait(timeout=10)  # all insert at once, so the losers really race the winner
        return claim_event(session_factory, "telegram", "update-42", T0)

    with ThreadPoolExecutor(claimants) as pool:
        results = list(pool.map(claim, range(claimants)))

    assert results.count(True) == 1


def test_pruning_forgets_old_claims_only(session_factory: sessionmaker[Session]) -> None:
    claim_event(session_factory, "slack", "old", T0)
    claim_event(session_factory, "slack", "new", at(48))

    assert prune_events(session_factory, before=at(24)) == 1

    assert claim_event(session_factory, "slack", "old", at(49)) is True
    assert claim_event(session_factory, "slack", "new", at(49)) is False


def test_a_released_claim_can_be_claimed_again(session_factory: sessionmaker[Session]) -> None:
    assert claim_event(session_factory, "telegram", "77", T0)
    release_event(session_factory, "telegram", "77")
    assert claim_event(session_factory, "telegram", "77", at(1))
    assert not claim_event(session_factory, "telegram", "77", at(2))
