"""Test doubles for the core's ports: an in-memory unit of work, a clock moved by hand."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from types import TracebackType

from bot.domain import AuditEntry, ChannelRef, Collaboration
from bot.invitations import Invitation
from bot.replies import Reply


class FakeClock:
    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


def as_loaded(collaboration: Collaboration) -> Collaboration:
    """A copy of ``collaboration`` as a repository hands it out: the audit trail left out, only
    when each action was last recorded kept (``recorded_before``)."""
    loaded = copy.deepcopy(collaboration)
    latest = dict(collaboration.recorded_before)
    for entry in collaboration.audit:
        if entry.action not in latest or entry.at > latest[entry.action]:
            latest[entry.action] = entry.at
    loaded.audit, loaded.recorded_before = [], latest
    return loaded


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
        self.pending[channel] = as_loaded(found)
        return self.pending[channel]

    def by_member(self, platform: str, workspace: str, user_id: str) -> list[Collaboration]:
        found = [
            c
            for c in self.committed.values()
            if (c.channel.platform, c.channel.workspace) == (platform, workspace)
            and user_id in c.members
        ]
        return [as_loaded(c) for c in sorted(found, key=lambda c: (c.name, c.id))]

    def get(self, collaboration_id: str) -> Collaboration | None:
        for collaboration in self.pending.values():
            if collaboration.id == collaboration_id:
                return collaboration
        for channel, found in self.committed.items():
            if found.id == collaboration_id:
                return self.get_by_channel(channel)
        return None

    def add(self, collaboration: Collaboration) -> None:
        self.pending[collaboration.channel] = collaboration

    def save(self, collaboration: Collaboration) -> None:
        self.pending[collaboration.channel] = collaboration

    def audit_trail(self, collaboration_id: str) -> list[AuditEntry]:
        found = [c for c in self.committed.values() if c.id == collaboration_id]
        return list(found[0].audit) if found else []


class FakeInvitationRepository:
    """Invitations by key; changes become visible to later units of work on commit only."""

    def __init__(self) -> None:
        self.committed: dict[str, Invitation] = {}
        self.pending: dict[str, Invitation] = {}

    def add(self, invitation: Invitation) -> None:
        self.pending[invitation.key] = invitation

    def get(self, key: str) -> Invitation | None:
        found = self.pending.get(key) or self.committed.get(key)
        return copy.deepcopy(found)

    def redeem(
        self, key: str, platform: str, workspace: str, user_id: str, now: datetime
    ) -> Invitation | None:
        found = self.get(key)
        if (
            found is None
            or (found.platform, found.workspace) != (platform, workspace)
            or found.redeemed_by is not None
            or found.expires_at <= now
        ):
            return None
        found.redeemed_by, found.redeemed_at = user_id, now
        self.pending[key] = found
        return copy.deepcopy(found)

    def commit(self) -> None:
        self.committed.update(copy.deepcopy(self.pending))
        self.pending.clear()


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.collaborations = FakeCollaborationRepository()
        self.invitations = FakeInvitationRepository()
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
            trail: list[AuditEntry] = []
            for channel, stored in list(committed.items()):
                if stored.id == collaboration.id:  # it may have moved to another channel
                    trail = stored.audit
                    del committed[channel]
            kept = copy.deepcopy(collaboration)
            # Like the database: the whole trail, the entries recorded since loading appended.
            kept.audit, kept.recorded_before = trail + kept.audit, {}
            committed[collaboration.channel] = kept
        self.collaborations.pending.clear()
        self.invitations.commit()
        self.claimed.update(self.claimed_now)
        self.claimed_now.clear()
        self.commits += 1

    def rollback(self) -> None:
        self.collaborations.pending.clear()
        self.invitations.pending.clear()
        self.claimed_now.clear()

    def claim_event(self, platform: str, event_id: str) -> list[Reply] | None:
        key = (platform, event_id)
        if key in self.claimed or key in self.claimed_now:
            return list(self.claimed.get(key) or self.claimed_now.get(key) or [])
        self.claimed_now[key] = []
        return None

    def keep_replies(self, platform: str, event_id: str, replies: list[Reply]) -> None:
        self.claimed_now[(platform, event_id)] = list(replies)
