"""Test doubles for the ports: an in-memory unit of work, inbox, outbox and leader, a sender
and a platform's handling that record, a clock moved by hand; and a way to run the inbox
worker until something has happened."""

from __future__ import annotations

import asyncio
import copy
import threading
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import TracebackType

from bot.domain import AuditEntry, ChannelRef, Collaboration, SentNudge
from bot.invitations import Invitation
from bot.ports import Erasure, StoredAbout
from bot.replies import Answer, Reply
from bot.schedule import Nudge
from engine.inbox_worker import InboxWorker
from engine.platform import Target, UnreachableError
from engine.ports import Dormant, Inbox, InboxItem, KeptEvent, OutboxItem


class FakeClock:
    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)

    async def sleep(self, seconds: float) -> None:
        """A pause on this clock: it moves on, and no real time passes (others run meanwhile)."""
        self.advance(seconds=seconds)
        await asyncio.sleep(0)


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
        # What the outbox delivered, by collaboration id: a test tells the fake.
        self.sent: dict[str, list[SentNudge]] = {}

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

    def nudges_sent(self, collaboration_id: str) -> list[SentNudge]:
        return sorted(self.sent.get(collaboration_id, []), key=lambda n: n.sent_at)

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


class FakePersonalData:
    """A person's data in the aggregates held in memory: memberships, answers, decisions and
    roles (the database holds more; see tests/integration/test_data_rights.py)."""

    def __init__(self, collaborations: FakeCollaborationRepository) -> None:
        self.collaborations = collaborations

    def _in(self, platform: str, workspace: str) -> list[Collaboration]:
        channels = [
            channel
            for channel in {*self.collaborations.committed, *self.collaborations.pending}
            if (channel.platform, channel.workspace) == (platform, workspace)
        ]
        found = [self.collaborations.get_by_channel(channel) for channel in channels]
        return sorted((c for c in found if c is not None), key=lambda c: (c.name, c.id))

    def about(self, platform: str, workspace: str, user_id: str) -> list[StoredAbout]:
        found: list[StoredAbout] = []
        for c in self._in(platform, workspace):
            member = c.members.get(user_id)
            if member is not None:
                fields = (("user_id", user_id), ("display_name", member.display_name))
                found.append(StoredAbout("membership", c.name, fields))
            for answer in c.answers:
                if answer.author_id == user_id:
                    found.append(StoredAbout("answer", c.name, (("text", answer.text),)))
            for decision in c.decisions:
                if user_id in (decision.author_id, decision.confirmed_by):
                    found.append(StoredAbout("decision", c.name, (("text", decision.text),)))
            for role in c.roles:
                if role.user_id == user_id:
                    found.append(StoredAbout("role", c.name, (("title", role.title),)))
            for key, count in c.message_counts.items():
                if key.user_id == user_id:
                    fields = (("step_id", key.step_id), ("count", str(count)))
                    found.append(StoredAbout("message_count", c.name, fields))
        return found

    def erase(self, erasure: Erasure) -> int:
        e, touched = erasure, 0
        for c in self._in(e.platform, e.workspace):
            name = e.pseudonym_name.get(c.language) or e.pseudonym_name[e.language]
            mine = [a for a in c.answers if a.author_id == e.user_id]
            held = e.user_id in c.members or mine
            c.members.pop(e.user_id, None)
            c.roles = [r for r in c.roles if r.user_id != e.user_id]
            c.message_counts = {
                key._replace(user_id=e.pseudonym_id) if key.user_id == e.user_id else key: count
                for key, count in c.message_counts.items()
            }
            for answer in mine:
                answer.author_id, answer.author_name = e.pseudonym_id, name
                if not c.keep_answers:
                    answer.text = e.removed_text.get(c.language) or e.removed_text[e.language]
                    answer.history.clear()
            for decision in c.decisions:
                if decision.author_id == e.user_id:
                    decision.author_id, decision.author_name = e.pseudonym_id, name
                if decision.confirmed_by == e.user_id:
                    decision.confirmed_by = e.pseudonym_id
            if held:
                touched += 1
                c.record(e.at, e.pseudonym_id, "erased")
        return touched


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.collaborations = FakeCollaborationRepository()
        self.invitations = FakeInvitationRepository()
        self.people = FakePersonalData(self.collaborations)
        self.commits = 0
        # Event claims with their replies: committed, and of the open transaction.
        self.claimed: dict[tuple[str, str], list[Reply]] = {}
        self.claimed_now: dict[tuple[str, str], list[Reply]] = {}
        self.sent: dict[tuple[str, str], int] = {}  # messages of the kept replies sent

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

    def claim_event(
        self, platform: str, event_id: str, replies: list[Reply] | None = None
    ) -> list[Reply] | None:
        key = (platform, event_id)
        if key in self.claimed or key in self.claimed_now:
            return list(self.claimed.get(key) or self.claimed_now.get(key) or [])
        self.claimed_now[key] = list(replies or [])
        return None

    def handled_before(self, platform: str, event_id: str) -> Answer | None:
        key = (platform, event_id)
        if key not in self.claimed:
            return None
        replies = self.claimed[key]
        return Answer(list(replies), self.sent.get(key, 0)) if replies else Answer([])

    def record_sent(self, platform: str, event_id: str, sent: int | None) -> None:
        # Durable at once, as the core commits it right after.
        if sent is None:
            self.claimed[(platform, event_id)] = []
        else:
            self.sent[(platform, event_id)] = sent


class FakeButtonStore:
    """The shared button tokens in memory (:class:`engine.ports.ButtonStore`)."""

    def __init__(self) -> None:
        self.commands: dict[str, str] = {}
        self.remembered_at: dict[str, datetime] = {}

    def remember(self, token: str, command: str, now: datetime) -> None:
        self.commands.setdefault(token, command)
        self.remembered_at[token] = max(now, self.remembered_at.get(token, now))

    def recall(self, token: str) -> str | None:
        return self.commands.get(token)

    def prune(self, before: datetime) -> int:
        old = [token for token, at in self.remembered_at.items() if at < before]
        for token in old:
            del self.commands[token], self.remembered_at[token]
        return len(old)


class FakeDueCollaborations:
    """A batch of due collaborations (:class:`engine.ports.DueCollaborations`)."""

    def __init__(self, owner: FakeCollaborations, collaborations: list[Collaboration]) -> None:
        self.owner = owner
        self.collaborations: Sequence[Collaboration] = collaborations

    def recorded_keys(self, since: datetime) -> set[tuple[str, str, str]]:
        ids = {c.id for c in self.collaborations}
        return {key for key in self.owner.outbox.recorded_keys(since) if key[0] in ids}

    def commit(self, nudges: Iterable[tuple[ChannelRef, Nudge]], now: datetime) -> int:
        added = self.owner.outbox.enqueue(nudges, now)
        stored = {c.id: c for c in self.owner.uow.collaborations.committed.values()}
        for collaboration in self.collaborations:
            kept = stored[collaboration.id]
            kept.nudged_until = collaboration.nudged_until
            kept.next_nudge_at = collaboration.next_nudge_at
        return added


class FakeCollaborations:
    """The collaborations due for the nudge clock (:class:`engine.ports.Collaborations`):
    those committed in ``uow``, as a repository hands them out; nudges go to ``outbox``."""

    def __init__(self, uow: FakeUnitOfWork, outbox: FakeOutbox) -> None:
        self.uow = uow
        self.outbox = outbox

    @contextmanager
    def due(self, now: datetime, limit: int) -> Iterator[FakeDueCollaborations]:
        committed = self.uow.collaborations.committed.values()
        due = [c for c in committed if c.next_nudge_at is None or c.next_nudge_at <= now]
        due.sort(key=lambda c: (c.next_nudge_at is not None, c.next_nudge_at or now, c.id))
        yield FakeDueCollaborations(self, [as_loaded(c) for c in due[:limit]])


class FakeDormancy:
    """Retention's view of the collaborations committed in ``uow`` (:class:`engine.ports.Dormancy`):
    notices go to ``outbox``, and when each was given is kept here."""

    def __init__(self, uow: FakeUnitOfWork, outbox: FakeOutbox) -> None:
        self.uow = uow
        self.outbox = outbox
        self.told: dict[str, datetime] = {}

    def announce(
        self,
        idle_since: datetime,
        now: datetime,
        notice: Callable[[Dormant], Nudge],
        limit: int,
    ) -> int:
        def untold(c: Collaboration) -> bool:
            told = self.told.get(c.id)
            return told is None or told < _active(c)

        committed = self.uow.collaborations.committed.values()
        found = [c for c in committed if _active(c) < idle_since and untold(c)]
        found = sorted(found, key=lambda c: (_active(c), c.id))[:limit]
        nudges = []
        for c in found:
            coordinators = tuple(sorted(m.user_id for m in c.coordinators))
            dormant = Dormant(c.id, c.channel, c.name, c.language, coordinators, _active(c))
            nudges.append((c.channel, notice(dormant)))
            self.told[c.id] = now
        self.outbox.enqueue(nudges, now)
        return len(found)

    def erase(self, told_before: datetime) -> int:
        committed = self.uow.collaborations.committed
        gone = {
            channel: c.id
            for channel, c in committed.items()
            if c.id in self.told and self.told[c.id] <= told_before
            and _active(c) <= self.told[c.id]
        }  # fmt: skip
        for channel in gone:
            del committed[channel]
        ids = set(gone.values())
        invitations = self.uow.invitations.committed
        for key in [k for k, i in invitations.items() if i.collaboration_id in ids]:
            del invitations[key]
        self.outbox.forget(ids)
        return len(ids)


def _active(collaboration: Collaboration) -> datetime:
    return collaboration.active_at or collaboration.created_at


@dataclass
class _KeptRow:
    payload: str
    received_at: datetime
    available_at: datetime
    attempts: int = 0
    claimed_at: datetime | None = None
    claimed_by: str | None = None
    handled_at: datetime | None = None
    outcome: str | None = None


def _free(row: _KeptRow | _OutboxRow, now: datetime, lease: timedelta) -> bool:
    """Available at ``now`` and under no live lease."""
    return row.available_at <= now and (row.claimed_at is None or row.claimed_at < now - lease)


class FakeInbox:
    """The inbox in memory (:class:`engine.ports.Inbox`); safe to call from several threads.

    ``refuse_keep`` makes the next :meth:`keep` raise it (a lost connection)."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], _KeptRow] = {}
        self.refuse_keep: Exception | None = None
        self.keeps = 0  # how many times events were kept together
        self.claims = 0  # how many times events were claimed (and handled ones finished)
        self.finishes = 0  # how many times one event was finished on its own
        self.closed = 0
        self._lock = threading.Lock()

    async def keep(self, events: Sequence[KeptEvent], now: datetime) -> set[tuple[str, str]]:
        with self._lock:
            if self.refuse_keep is not None:
                error, self.refuse_keep = self.refuse_keep, None
                raise error
            self.keeps += 1
            new: set[tuple[str, str]] = set()
            for event in events:
                key = (event.platform, event.event_id)
                if key not in self.rows:
                    self.rows[key] = _KeptRow(event.payload, now, now)
                    new.add(key)
            return new

    def claim(
        self,
        worker_id: str,
        limit: int,
        now: datetime,
        lease: timedelta,
        *,
        handled: Sequence[InboxItem] = (),
    ) -> list[InboxItem]:
        with self._lock:
            for item in handled:
                self._finish(item, now, "handled", worker_id)
            self.claims += 1
            waiting = [
                (row.received_at, key, row)
                for key, row in self.rows.items()
                if row.handled_at is None and _free(row, now, lease)
            ]
            taken = sorted(waiting, key=lambda each: (each[0], each[1][1]))[:limit]
            for _, _, row in taken:
                row.claimed_at, row.claimed_by = now, worker_id
                row.attempts += 1
            return [
                InboxItem(key[0], key[1], row.payload, row.attempts, row.received_at)
                for _, key, row in taken
            ]

    def finish(
        self,
        item: InboxItem,
        now: datetime,
        outcome: str = "handled",
        *,
        worker_id: str | None = None,
    ) -> None:
        with self._lock:
            self.finishes += 1
            self._finish(item, now, outcome, worker_id)

    def _finish(self, item: InboxItem, now: datetime, outcome: str, worker_id: str | None) -> None:
        row = self.rows[(item.platform, item.event_id)]
        if worker_id in (None, row.claimed_by):
            row.handled_at, row.outcome, row.payload = now, outcome, ""

    def release(
        self, item: InboxItem, now: datetime, backoff: timedelta, *, worker_id: str | None = None
    ) -> None:
        with self._lock:
            row = self.rows[(item.platform, item.event_id)]
            if worker_id in (None, row.claimed_by):
                row.claimed_at, row.claimed_by, row.available_at = None, None, now + backoff

    def arrived_since(self, since: datetime, at_most: int) -> int:
        with self._lock:
            return min(sum(1 for row in self.rows.values() if row.received_at > since), at_most)

    def pending(self) -> int:
        with self._lock:
            return sum(1 for row in self.rows.values() if row.handled_at is None)

    def prune(self, before: datetime) -> int:
        with self._lock:
            old = [k for k, row in self.rows.items() if row.handled_at and row.handled_at < before]
            for key in old:
                del self.rows[key]
            return len(old)

    async def arrivals(self, wake: Callable[[], None]) -> None:
        return  # the worker polls

    async def close(self) -> None:
        self.closed += 1


@dataclass
class _OutboxRow:
    collaboration_id: str
    kind: str
    due_slot: str
    channel: ChannelRef
    params: dict[str, str]
    available_at: datetime
    attempts: int = 0
    claimed_at: datetime | None = None
    claimed_by: str | None = None
    sent_at: datetime | None = None
    outcome: str | None = None


class FakeOutbox:
    """The outbox in memory (:class:`engine.ports.Outbox`); safe to call from several
    threads."""

    def __init__(self) -> None:
        self.rows: dict[str, _OutboxRow] = {}
        self._lock = threading.Lock()

    def enqueue(self, nudges: Iterable[tuple[ChannelRef, Nudge]], now: datetime) -> int:
        with self._lock:
            keys = {(r.collaboration_id, r.kind, r.due_slot) for r in self.rows.values()}
            added = 0
            for channel, nudge in nudges:
                if nudge.key in keys:
                    continue
                keys.add(nudge.key)
                self.rows[uuid.uuid4().hex] = _OutboxRow(
                    nudge.collaboration_id, nudge.kind.value, nudge.due_slot, channel,
                    dict(nudge.params), now,
                )  # fmt: skip
                added += 1
            return added

    def claim(
        self,
        worker_id: str,
        limit: int,
        now: datetime,
        lease: timedelta,
        platforms: Collection[str] | None = None,
    ) -> list[OutboxItem]:
        with self._lock:
            waiting = [
                (row.due_slot, row_id)
                for row_id, row in self.rows.items()
                if row.sent_at is None
                and _free(row, now, lease)
                and (platforms is None or row.channel.platform in platforms)
            ]
            items = []
            for _, row_id in sorted(waiting)[:limit]:
                row = self.rows[row_id]
                row.claimed_at, row.claimed_by = now, worker_id
                row.attempts += 1
                item = OutboxItem(
                    row_id, row.collaboration_id, row.kind, row.due_slot, row.channel,
                    dict(row.params), row.attempts,
                )  # fmt: skip
                items.append(item)
            return items

    def mark_sent(self, item_id: str, now: datetime) -> None:
        self._update(item_id, None, sent_at=now, outcome="sent")

    def give_up(self, item_id: str, now: datetime, *, worker_id: str | None = None) -> None:
        self._update(item_id, worker_id, sent_at=now, outcome="undeliverable")

    def release(
        self, item_id: str, now: datetime, backoff: timedelta, *, worker_id: str | None = None
    ) -> None:
        self._update(
            item_id, worker_id, claimed_at=None, claimed_by=None, available_at=now + backoff
        )

    def postpone(self, item_id: str, until: datetime, *, worker_id: str | None = None) -> None:
        with self._lock:
            row = self.rows[item_id]
            if worker_id is None or row.claimed_by == worker_id:
                row.claimed_at, row.claimed_by, row.available_at = None, None, until
                row.attempts -= 1

    def recorded_keys(self, since: datetime) -> set[tuple[str, str, str]]:
        after = since.astimezone(UTC).isoformat()  # due slots compare as text, as in SQL
        with self._lock:
            return {
                (row.collaboration_id, row.kind, row.due_slot)
                for row in self.rows.values()
                if row.due_slot > after
            }

    def prune_sent(self, before: datetime) -> int:
        with self._lock:
            old = [i for i, row in self.rows.items() if row.sent_at and row.sent_at < before]
            for row_id in old:
                del self.rows[row_id]
            return len(old)

    def forget(self, collaboration_ids: Collection[str]) -> None:
        """Drop every row of ``collaboration_ids`` (their collaborations were deleted)."""
        with self._lock:
            for row_id in [
                i for i, r in self.rows.items() if r.collaboration_id in collaboration_ids
            ]:
                del self.rows[row_id]

    def unsent(self) -> list[_OutboxRow]:
        with self._lock:
            return [row for row in self.rows.values() if row.sent_at is None]

    def _update(self, item_id: str, worker_id: str | None, **values: object) -> None:
        with self._lock:
            row = self.rows[item_id]
            if worker_id is None or row.claimed_by == worker_id:
                for name, value in values.items():
                    setattr(row, name, value)


class FakeLeadership:
    """The lock the fake leaders of one installation share."""

    def __init__(self) -> None:
        self.holder: FakeLeader | None = None


class FakeLeader:
    """:class:`engine.ports.Leader` in memory: leads while no other leader of ``shared``
    does (alone, it always leads)."""

    def __init__(self, shared: FakeLeadership | None = None) -> None:
        self.shared = shared or FakeLeadership()
        self.released = 0

    def held(self) -> bool:
        if self.shared.holder is None:
            self.shared.holder = self
        return self.shared.holder is self

    def release(self) -> None:
        self.released += 1
        if self.shared.holder is self:
            self.shared.holder = None


@dataclass(frozen=True)
class SentReplies:
    """What a :class:`FakeSender` sent, and when on its clock: started ``at``, answered at
    ``answered`` (later by the sender's ``takes``)."""

    at: datetime
    target: Target
    replies: tuple[Reply, ...]
    answered: datetime | None = None

    @property
    def text(self) -> str:
        return "\n".join(reply.plain_text for reply in self.replies)


class FakeSender:
    """A platform's sender (:class:`engine.platform.Sender`) that records what it sent.

    ``refuse(*errors)`` makes the next calls raise those errors, one each; ``down`` makes every
    call raise it while set; a channel in ``unreachable`` always raises
    :class:`~engine.platform.UnreachableError`. Refused calls are kept in ``refused``. A send to
    a channel in ``stalled`` waits until ``resume`` is set, as a platform slow to answer;
    ``busy`` counts the sends under way and ``most_busy`` the most there ever were at once.
    Every send takes ``takes`` on the clock (which it moves on) before it is answered.
    """

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.clock = clock or FakeClock()
        self.sent: list[SentReplies] = []
        self.refused: list[Target] = []
        self.unreachable: set[str] = set()
        self.down: Exception | None = None
        self.stalled: set[str] = set()
        self.resume = asyncio.Event()
        self.busy = self.most_busy = 0
        self.takes = timedelta(0)
        self._refusals: list[Exception] = []

    def refuse(self, *errors: Exception) -> None:
        self._refusals.extend(errors)

    async def send(self, target: Target, replies: Sequence[Reply]) -> None:
        self.busy += 1
        self.most_busy = max(self.most_busy, self.busy)
        started = self.clock.now()
        try:
            if target.channel.channel in self.stalled:
                await self.resume.wait()
            self.clock.advance(seconds=self.takes.total_seconds())
            error = self._refusal(target)
            if error is not None:
                self.refused.append(target)
                raise error
            sent = SentReplies(started, target, tuple(replies), self.clock.now())
            self.sent.append(sent)
        finally:
            self.busy -= 1

    def _refusal(self, target: Target) -> Exception | None:
        if target.channel.channel in self.unreachable:
            return UnreachableError(f"{target.channel.channel} is out of reach")
        if self.down is not None:
            return self.down
        return self._refusals.pop(0) if self._refusals else None


class FakeHandler:
    """A platform's handling (:class:`engine.inbox_worker.Handles`) that records what it
    handled and can fail on demand: the first ``fail_first`` events raise ``failure``."""

    name = "test"

    def __init__(self, fail_first: int = 0, failure: Exception | None = None) -> None:
        self.handled: list[str] = []
        self.fail_first = fail_first
        self.failure = failure or RuntimeError("the platform is down")
        self.active: dict[str, int] = {}
        self.overlap = False
        self.most_at_once = 0  # events in hand together, over all chats
        self.finals: list[bool] = []  # whether each event was handed over for the last time

    async def handle(self, event: KeptEvent) -> None:
        self.finals.append(event.final)
        chat = self.chat_of(event)
        self.active[chat] = self.active.get(chat, 0) + 1
        self.overlap |= self.active[chat] > 1
        self.most_at_once = max(self.most_at_once, sum(self.active.values()))
        try:
            await asyncio.sleep(0.001)
            if self.fail_first > 0:
                self.fail_first -= 1
                raise self.failure
            self.handled.append(event.payload)
        finally:
            self.active[chat] -= 1

    @staticmethod
    def chat_of(event: KeptEvent) -> str:
        return event.payload.split(":")[0]


async def run_until(worker: InboxWorker, done: Callable[[], bool], timeout: float = 60.0) -> None:
    await worker.start()
    try:
        async with asyncio.timeout(timeout):
            while not done():
                worker.wake()
                await asyncio.sleep(0.01)
    finally:
        await worker.stop()


def keep_together(worker: InboxWorker) -> tuple[list[bool], bool]:
    """Twelve events reaching ``worker`` at once, five of them distinct, then a redelivery of
    one; returns whether each was new, and whether the redelivery was. Stops the worker."""

    async def arrive() -> tuple[list[bool], bool]:
        together = [
            worker.keep(KeptEvent("slack", f"Ev{i % 5}", f"payload {i}")) for i in range(12)
        ]
        kept = await asyncio.gather(*together)
        again = await worker.keep(KeptEvent("slack", "Ev1", "a retry"))
        await worker.stop()
        return kept, again

    return asyncio.run(arrive())


def handle_three_chats(inbox: Inbox, at: datetime) -> FakeHandler:
    """Keeps ten events in each of three chats, interleaved, from ``at`` on, and has a worker
    handle them all (five at a time at most); returns the handler that saw them."""
    handler = FakeHandler()
    payloads = [f"{chat}:{n}" for n in range(10) for chat in ("a", "b", "c")]
    events = [KeptEvent("test", str(number), payload) for number, payload in enumerate(payloads)]

    async def keep_each() -> None:
        for number, event in enumerate(events):
            await inbox.keep([event], at + timedelta(microseconds=number))
        await inbox.close()  # each asyncio.run is a loop of its own

    asyncio.run(keep_each())
    clock = FakeClock(at + timedelta(seconds=1))  # after the last arrival
    worker = InboxWorker(inbox, clock=clock, concurrency=5, poll_seconds=0.05)
    worker.register(handler)
    asyncio.run(run_until(worker, lambda: len(handler.handled) == len(payloads)))
    return handler
