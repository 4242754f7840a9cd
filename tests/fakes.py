"""Test doubles for the core's ports: an in-memory unit of work, a clock moved by hand."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from types import TracebackType

from bot.domain import ChannelRef, Collaboration
from bot.replies import Reply


class FakeClock:
    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


class FakeCollaborationRepository:
    """Holds committed aggregates; hands out copies so that an uncommitted change is lost."""

    def __init__(self) -> None:
        self.committed: dict[ChannelRef, Collaboration] = {}
        self.pending: dict[ChannelRef, Collaboration] = {}

    def get_by_channel(self, channel: ChannelRef) -> Collaboration | None:
        if channel in self.pending:
            return self.pending[channel]
        found = self.committed.get(channel)
        if found is None:
            return None
        self.pending[channel] = copy.deepcopy(found)
        return self.pending[channel]

    def add(self, collaboration: Collaboration) -> None:
        self.pending[collaboration.channel] = collaboration

    def save(self, collaboration: Collaboration) -> None:
        self.pending[collaboration.channel] = collaboration


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.collaborations = FakeCollaborationRepository()
        self.commits = 0
        # Event claims with their replies: committed, and of the open transaction.
        self.claimed: dict[tuple[str, str], list[Reply]] = {}
        self.claimed_now: dict[tuple[str, str], list[Reply]] = {}

    def __enter__(self) -> FakeUnitOfWork:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()

    def commit(self) -> None:
        committed = self.collaborations.committed
        for collaboration in self.collaborations.pending.values():
            for channel, stored in list(committed.items()):
                if stored.id == collaboration.id:  # it may have moved to another channel
                    del committed[channel]
            committed[collaboration.channel] = copy.deepcopy(collaboration)
        self.collaborations.pending.clear()
        self.claimed.update(self.claimed_now)
        self.claimed_now.clear()
        self.commits += 1

    def rollback(self) -> None:
        self.collaborations.pending.clear()
        self.claimed_now.clear()

    def claim_event(self, platform: str, event_id: str) -> list[Reply] | None:
        key = (platform, event_id)
        if key in self.claimed or key in self.claimed_now:
            return list(self.claimed.get(key) or self.claimed_now.get(key) or [])
        self.claimed_now[key] = []
        return None

    def keep_replies(self, platform: str, event_id: str, replies: list[Reply]) -> None:
        self.claimed_now[(platform, event_id)] = list(replies)
