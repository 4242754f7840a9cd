"""The engine's ports to storage, named by role: the inbox of kept events, the outbox of
nudges, the leader lock, the collaborations due for the clock and the shared button tokens.

:mod:`storage` implements them on SQLite and PostgreSQL; ``tests.fakes`` in memory. One
contract suite runs on all three.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from bot.domain import ChannelRef, Collaboration
from bot.schedule import Nudge


@dataclass(frozen=True)
class KeptEvent:
    """What a platform sent, as it was verified and kept: handled after the acknowledgement.
    ``final``: it is handed over for the last time, and a failure the store would mend later
    is told to the person instead (see :attr:`bot.incoming.Incoming.final`)."""

    platform: str
    event_id: str
    payload: str
    final: bool = field(default=False, kw_only=True)


@dataclass(frozen=True)
class InboxItem(KeptEvent):
    """A kept event claimed for handling; ``attempts`` counts this one; ``received_at``: when
    it was kept (the start of its handling time, as ``/metrics`` counts it)."""

    attempts: int = 1
    received_at: datetime | None = None


class Inbox(Protocol):
    """Events kept on receipt, claimed under a lease by the workers of every process."""

    async def keep(self, events: Sequence[KeptEvent], now: datetime) -> set[tuple[str, str]]:
        """Keep each event in one go; returns the (platform, event id) keys that were new (a
        redelivery, or a repeat within ``events``, is not). On the acknowledging path."""
        ...

    def claim(
        self,
        worker_id: str,
        limit: int,
        now: datetime,
        lease: timedelta,
        *,
        handled: Sequence[InboxItem] = (),
    ) -> list[InboxItem]:
        """Up to ``limit`` unhandled, available events under no live lease, oldest first;
        each counts one more attempt. In the same transaction, first, each of ``handled``
        that ``worker_id`` still holds is finished as "handled" at ``now`` (as :meth:`finish`
        does): a busy worker finishes what it handled with its next claim."""
        ...

    def finish(
        self,
        item: InboxItem,
        now: datetime,
        outcome: str = "handled",
        *,
        worker_id: str | None = None,
    ) -> None:
        """Mark the event done ("handled" or "failed"); its key is kept until pruned. With
        ``worker_id`` only while that worker still holds the claim. An event handled lets go
        of the replies the core kept for it (:class:`engine.platform.Progress`): it will not
        be handled again."""
        ...

    def release(
        self, item: InboxItem, now: datetime, backoff: timedelta, *, worker_id: str | None = None
    ) -> None:
        """Give a failed event back, to be claimed again no sooner than ``now + backoff``; with
        ``worker_id`` only while that worker still holds the claim: an event whose lease ran
        out and that another worker took meanwhile is left to that worker."""
        ...

    def arrived_since(self, since: datetime, at_most: int) -> int:
        """How many events were received after ``since``, counted up to ``at_most``."""
        ...

    def pending(self) -> int:
        """How many events wait to be handled (claimed or not)."""
        ...

    def prune(self, before: datetime) -> int:
        """Forget events handled, and the core's event claims made, before ``before``."""
        ...

    async def arrivals(self, wake: Callable[[], None]) -> None:
        """Call ``wake`` whenever events were kept (by any process), until cancelled; returns
        at once when the inbox cannot tell, and the worker then finds them by polling."""
        ...

    async def close(self) -> None: ...


@dataclass(frozen=True)
class OutboxItem:
    """A claimed nudge."""

    id: str
    collaboration_id: str
    kind: str
    due_slot: str
    channel: ChannelRef
    params: dict[str, str]
    attempts: int


class Outbox(Protocol):
    """Nudges written once per (collaboration, kind, due slot), claimed under a lease."""

    def enqueue(self, nudges: Iterable[tuple[ChannelRef, Nudge]], now: datetime) -> int:
        """Write each nudge unless its key is there; returns how many were new."""
        ...

    def claim(
        self,
        worker_id: str,
        limit: int,
        now: datetime,
        lease: timedelta,
        platforms: Collection[str] | None = None,
    ) -> list[OutboxItem]:
        """Up to ``limit`` unsent rows available at ``now`` under no live lease, oldest due
        slot first, of ``platforms`` only when given; each counts one more attempt."""
        ...

    def mark_sent(self, item_id: str, now: datetime) -> None:
        """Record that the row was delivered; raises
        :class:`~bot.ports.StorageUnavailableError` for a failure that may pass."""
        ...

    def give_up(self, item_id: str, now: datetime, *, worker_id: str | None = None) -> None:
        """The row can never be delivered; it is pruned like a sent one."""
        ...

    def release(
        self, item_id: str, now: datetime, backoff: timedelta, *, worker_id: str | None = None
    ) -> None:
        """Give a failed row back from ``now + backoff`` (only while ``worker_id`` holds it)."""
        ...

    def postpone(self, item_id: str, until: datetime, *, worker_id: str | None = None) -> None:
        """Give a row back untried (pacing held it), to be claimed from ``until``."""
        ...

    def recorded_keys(self, since: datetime) -> set[tuple[str, str, str]]:
        """The keys of every row due after ``since``, sent or not."""
        ...

    def prune_sent(self, before: datetime) -> int: ...


class Leader(Protocol):
    """Which process runs the nudge clock. Every process delivers; one enqueues."""

    def held(self) -> bool:
        """Whether this process leads now; takes the lead if it is free."""
        ...

    def release(self) -> None: ...


class DueCollaborations(Protocol):
    """Collaborations whose next nudge is due, held for one transaction of the clock: another
    clock skips them, and a message to one of them waits until :meth:`commit` or the end."""

    collaborations: Sequence[Collaboration]

    def recorded_keys(self, since: datetime) -> set[tuple[str, str, str]]:
        """The keys of these collaborations' outbox rows due after ``since``, sent or not."""
        ...

    def commit(self, nudges: Iterable[tuple[ChannelRef, Nudge]], now: datetime) -> int:
        """Write ``nudges`` to the outbox (each key once) and every collaboration's
        ``nudged_until`` and ``next_nudge_at``, in one transaction; returns how many nudges
        were new. Leaving the block without it writes nothing."""
        ...


class Collaborations(Protocol):
    """The collaborations the clock asks what is due: only those due, by their bookmark."""

    def due(self, now: datetime, limit: int) -> AbstractContextManager[DueCollaborations]:
        """Up to ``limit`` collaborations whose ``next_nudge_at`` is by ``now`` or not yet
        planned, the longest waiting first; those another transaction holds are skipped."""
        ...


class ButtonStore(Protocol):
    """Short tokens for what a button does, shared by every process and kept over restarts
    (Telegram's ``callback_data`` holds 64 bytes), until pruned."""

    def remember(self, token: str, command: str, now: datetime) -> None:
        """Keep ``command`` under ``token``, posted on a message at ``now``; the same token
        always names the same command. A token kept already is kept from the latest ``now``
        it was remembered at."""
        ...

    def recall(self, token: str) -> str | None:
        """The command kept under ``token``, or ``None``."""
        ...

    def prune(self, before: datetime) -> int:
        """Forget the tokens last remembered before ``before``; returns how many."""
        ...


# -- retention ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Dormant:
    """A collaboration untouched since ``active_at``: what the notice of its deletion needs."""

    collaboration_id: str
    channel: ChannelRef
    name: str
    language: str
    coordinators: tuple[str, ...]
    active_at: datetime


class Dormancy(Protocol):
    """The collaborations retention looks at: those untouched for long, found by the time the
    channel was last in use (a handled message sets it), and deleted whole."""

    def announce(
        self,
        idle_since: datetime,
        now: datetime,
        notice: Callable[[Dormant], Nudge],
        limit: int,
    ) -> int:
        """Up to ``limit`` collaborations last used before ``idle_since`` and not told since:
        write ``notice`` of each to the outbox (each key once) and remember that they were told
        at ``now``, in one transaction; returns how many were told."""
        ...

    def erase(self, told_before: datetime) -> int:
        """Delete every collaboration told before ``told_before`` and not used since, with
        everything in it (members, answers and their history, decisions, roles, audit trail,
        cards, invitations) and its outbox rows; returns how many."""
        ...
