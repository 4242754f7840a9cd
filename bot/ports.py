"""The ports the core needs from the outside, named by role. Storage and runtime implement them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Protocol

from bot.domain import AuditEntry, ChannelRef, Collaboration, SentNudge
from bot.invitations import Invitation
from bot.replies import Answer, Reply


class StorageUnavailableError(Exception):
    """The store could not finish a transaction for a reason that may pass (a connection
    lost, a deadlock, a database that is restarting). Nothing of the transaction was written;
    the same work may succeed when it is tried again."""


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""
        ...


class CollaborationRepository(Protocol):
    """Aggregates handed out may read their answers and audit times on demand (see
    :class:`bot.domain.Answers`): they are used within the unit of work that read them."""

    def get_by_channel(self, channel: ChannelRef) -> Collaboration | None:
        """The collaboration bound to ``channel``, or ``None``; never one of another channel."""
        ...

    def get(self, collaboration_id: str) -> Collaboration | None:
        """The collaboration with this id, or ``None``. Only for a caller that was handed the id
        by something that grants access to it (an invitation); messages find theirs by channel."""
        ...

    def by_member(self, platform: str, workspace: str, user_id: str) -> list[Collaboration]:
        """Every collaboration on ``platform`` in ``workspace`` that ``user_id`` is a member of,
        by name; read only (the aggregates are not locked and are not to be saved). Like every
        aggregate, they may read more on demand, so they are used inside the unit of work."""
        ...

    def add(self, collaboration: Collaboration) -> None: ...

    def save(self, collaboration: Collaboration) -> None:
        """Write the aggregate's changes; they become durable on the unit of work's commit."""
        ...

    def nudges_sent(self, collaboration_id: str) -> list[SentNudge]:
        """The check-ins and reminders that went out to the collaboration and are still kept
        (sent ones are pruned after 30 days), oldest first."""
        ...

    def audit_trail(self, collaboration_id: str) -> list[AuditEntry]:
        """Every stored audit entry of the collaboration, oldest first. An aggregate may hold
        only the entries recorded since it was loaded."""
        ...


class InvitationRepository(Protocol):
    def add(self, invitation: Invitation) -> None: ...

    def get(self, key: str) -> Invitation | None:
        """The invitation whose code hashes to ``key``, used or not, expired or not."""
        ...

    def redeem(
        self, key: str, platform: str, workspace: str, user_id: str, now: datetime
    ) -> Invitation | None:
        """Mark the invitation ``key`` as used by ``user_id`` and return it, if it is unused,
        not expired at ``now`` and made for ``platform`` and ``workspace``; else ``None``.

        Of two transactions redeeming one invitation at once, exactly one gets it."""
        ...


# -- the partners' data rights --------------------------------------------------------------------


@dataclass(frozen=True)
class StoredAbout:
    """One thing stored about a person: what it is (``kind``: ``membership``, ``answer``,
    ``earlier_wording``, ``decision``, ``role``, ``step``, ``audit``, ``invitation``,
    ``collaboration``), the collaboration it belongs to (by name), and its stored fields."""

    kind: str
    collaboration: str
    fields: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Erasure:
    """Someone to forget in one workspace of one platform.

    ``pseudonym_id`` takes the place of their id, and ``pseudonym_name`` (by a collaboration's
    language) of every name they were known by (``names``, and those stored with their id).
    Their answers' text stays only where the collaboration keeps answers as its record, else
    ``removed_text`` (by language) takes its place and earlier wordings go."""

    platform: str
    workspace: str
    user_id: str
    names: tuple[str, ...]
    pseudonym_id: str
    pseudonym_name: Mapping[str, str]
    removed_text: Mapping[str, str]
    language: str  # of the places that belong to no collaboration (kept replies, nudges)
    at: datetime


class PersonalData(Protocol):
    def about(self, platform: str, workspace: str, user_id: str) -> list[StoredAbout]:
        """Everything stored with ``user_id`` in ``workspace``, collaboration by collaboration."""
        ...

    def erase(self, erasure: Erasure) -> int:
        """Forget the person everywhere in the workspace, as part of this transaction: their
        memberships and roles go, their id and names become the pseudonym wherever else they
        are stored, and each collaboration's audit trail records that an erasure happened.
        Returns how many collaborations held something of theirs."""
        ...


class UnitOfWork(Protocol):
    """One transaction: everything a handled message changes, or nothing."""

    @property
    def collaborations(self) -> CollaborationRepository:
        """The collaborations, inside the ``with`` block only."""
        ...

    @property
    def invitations(self) -> InvitationRepository:
        """The invitations, inside the ``with`` block only."""
        ...

    @property
    def people(self) -> PersonalData:
        """What is stored about a person, to hand over or to erase; inside the block only."""
        ...

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed. An error of the store that may pass is raised
        again as :class:`StorageUnavailableError`."""
        ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    def claim_event(
        self, platform: str, event_id: str, replies: list[Reply] | None = None
    ) -> list[Reply] | None:
        """Record, as part of this transaction, that the event is handled, keeping its
        ``replies`` with the claim to be sent again if they were lost: ``None`` the first
        time; if a committed (or concurrent, now committed) transaction handled it before,
        the replies it kept."""
        ...

    def handled_before(self, platform: str, event_id: str) -> Answer | None:
        """The replies a committed transaction kept for the event, with how many of their
        messages have gone out (read together); ``None`` when it was not handled."""
        ...

    def record_sent(self, platform: str, event_id: str, sent: int | None) -> None:
        """Record that the first ``sent`` messages of the event's kept replies have gone out;
        ``None``: all of them, and the replies are no longer kept."""
        ...
